/**
 * Tickets that were in Jira before deskflow was switched on (scenario `existing`): created with their
 * history — comments, assignee, request type, status and resolution — at times in the past. The caller
 * mutes webhooks around this: Jira sent them long ago, to nobody.
 */
import { JiraValidationError, type JiraModel } from './jira-model';
import { projectDef, type StoredIssue } from './state';
import type { ExistingTicketInput } from './types';

function past(iso: string, what: string, now: Date): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new JiraValidationError({ [what]: `'${iso}' is not a date` });
  if (ms > now.getTime()) throw new JiraValidationError({ [what]: `${iso} lies in the future` });
  return new Date(ms).toISOString();
}

export function importExistingTicket(model: JiraModel, input: ExistingTicketInput, now: Date): StoredIssue {
  const created = past(input.created, 'created', now);
  const reporter = model.ensureUser(input.reporter);
  const requestTypeId =
    input.requestType === undefined
      ? undefined
      : model.requestTypes.find((r) => r.name.toLowerCase() === input.requestType?.toLowerCase())?.id;
  if (input.requestType !== undefined && !requestTypeId) {
    throw new JiraValidationError({ requestType: `no request type '${input.requestType}'` });
  }
  const issue = model.createIssue({
    project: projectDef('SS')!,
    issueType: 'Service Request',
    summary: input.summary,
    description: input.description,
    actor: reporter,
    key: input.key,
    attachments: input.attachments ?? [],
    patch: {
      participants: (input.participants ?? [])
        .map((p) => model.ensureUser(p).accountId)
        .filter((id) => id !== reporter.accountId),
      ...(requestTypeId ? { requestTypeId } : {}),
    },
  });
  let last = created;
  const stamp = (at: string) => {
    for (const entry of issue.changelog) if (entry.created > at) entry.created = at;
  };
  if (input.assignee) {
    model.updateIssue(
      issue,
      { assigneeId: model.ensureUser(input.assignee).accountId },
      model.ensureUser(input.assignee),
    );
  }
  const comments = [...(input.comments ?? [])]
    .map((c) => ({ ...c, created: past(c.created, 'comments.created', now) }))
    .sort((a, b) => a.created.localeCompare(b.created));
  for (const c of comments) {
    const comment = model.addComment(issue, model.ensureUser(c.by), c.body, c.internal !== true);
    comment.created = comment.updated = c.created < created ? created : c.created;
    if (comment.created > last) last = comment.created;
  }
  if (input.status) {
    const resolution = input.resolution ?? undefined;
    model.transitionIssue(issue, input.status, model.ensureUser(input.assignee ?? reporter.email), resolution);
  }
  // Every change happened in the past: the issue's dates and changelog say so.
  issue.created = created;
  stamp(last);
  for (const entry of issue.changelog) if (entry.created < created) entry.created = created;
  issue.updated = last;
  issue.statusChanged = last;
  if (issue.resolutionDate) issue.resolutionDate = last;
  model.touch();
  return issue;
}
