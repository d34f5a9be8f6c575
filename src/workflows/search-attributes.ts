/** The custom search attributes operators filter by in the Temporal UI (registered at start-up). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ticketKeyAttribute = defineSearchAttributeKey('TicketKey', SearchAttributeType.KEYWORD);
export const routeAttribute = defineSearchAttributeKey('TicketRoute', SearchAttributeType.KEYWORD);
export const stageAttribute = defineSearchAttributeKey('TicketStage', SearchAttributeType.KEYWORD);
export const slaDeadlineAttribute = defineSearchAttributeKey('SlaDeadline', SearchAttributeType.DATETIME);
export const assigneeAttribute = defineSearchAttributeKey('TicketAssignee', SearchAttributeType.KEYWORD);
/** The earliest deadline the ticket runs against: its current wait's end or the first-response SLA. */
export const nextDeadlineAttribute = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
/** The first-response SLA (S-01) was missed: no reply by the deadline. */
export const slaBreachedAttribute = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);

/** Name=Type pairs, as `temporal server start-dev --search-attribute` and `operator search-attribute create` take them. */
export const searchAttributeDefinitions: ReadonlyArray<{ name: string; type: 'Keyword' | 'Datetime' | 'Bool' }> = [
  { name: 'TicketKey', type: 'Keyword' },
  { name: 'TicketRoute', type: 'Keyword' },
  { name: 'TicketStage', type: 'Keyword' },
  { name: 'SlaDeadline', type: 'Datetime' },
  { name: 'TicketAssignee', type: 'Keyword' },
  { name: 'NextDeadline', type: 'Datetime' },
  { name: 'SlaBreached', type: 'Bool' },
];
