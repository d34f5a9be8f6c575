/** Workflow ids: one workflow per SS ticket, named by its key, so duplicate webhooks deduplicate. */
const PREFIX = 'ticket-';

export function ticketWorkflowId(key: string): string {
  return `${PREFIX}${key}`;
}

/** The inverse of ticketWorkflowId; null for ids that are not ticket workflows. */
export function ticketKeyFromWorkflowId(workflowId: string): string | null {
  return workflowId.startsWith(PREFIX) ? workflowId.slice(PREFIX.length) : null;
}
