/**
 * The fixed summary and details a ticket's run carries in the Temporal Web UI (workflow start options
 * `staticSummary` / `staticDetails`), set where the relay starts it: the ticket key and what the ticket
 * is about in one line, and who asked when. The route and stage change during the run: they are in the
 * run's current details (setCurrentDetails) and its search attributes.
 */
import { formatInstant } from '../shared/instants';
import type { TicketCreatedEvent } from '../workflows/messages';

const SUMMARY_CHARS = 120;

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface TicketRunMetadata {
  staticSummary: string;
  staticDetails: string;
}

/**
 * From the ticket's created event when the run starts with it; else (a comment or change reached
 * deskflow first) the key and what started it.
 */
export function ticketRunMetadata(
  key: string,
  created: TicketCreatedEvent | undefined,
  timeZone: string,
  startedBy = 'a Jira event',
): TicketRunMetadata {
  if (!created) {
    return {
      staticSummary: `${key} · support ticket`,
      staticDetails: `Support ticket **${key}**; its run was started by ${startedBy} (the created event came later or not at all).`,
    };
  }
  const description = oneLine(created.description, 400);
  return {
    staticSummary: `${key} · ${oneLine(created.summary || '(no summary)', SUMMARY_CHARS)}`,
    staticDetails: [
      `Support ticket **${key}**: ${oneLine(created.summary || '(no summary)', 300)}`,
      `**From:** ${created.reporter ?? (created.reporterAccountId ? `Jira account ${created.reporterAccountId} (its e-mail: Customer, under Current details)` : 'unknown')}${created.participants.length ? ` (with ${created.participants.join(', ')})` : ''}`,
      `**Created:** ${formatInstant(created.created, timeZone)}`,
      description ? `**Description:** ${description}` : '',
      'Route, stage and deadlines: see Current details.',
    ]
      .filter(Boolean)
      .join('  \n'),
  };
}
