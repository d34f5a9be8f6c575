/**
 * E-mail addresses where the procedures need them (configured roles, internal domains, the onboarding
 * form). Jira Cloud's webhooks name people by account id only (README, "Who acted"), so an address is
 * looked up through Jira's user API by that id (an activity, cached by the worker), never read from the
 * webhook. Events recorded before carry the address itself and need no look-up.
 */

import { jira } from './activities';
import type { CommentEvent, TicketCreatedEvent } from './messages';
import { taken } from './patches';

/**
 * Since December 2026 (issue 9): the reporter's and comment authors' e-mails come from their account ids.
 * Runs that started before read them from the event as they were recorded.
 */
export function identityByAccountId(): boolean {
  return taken('identity-by-account-id');
}

/** The reporter's e-mail, looked up by account id when the created event carries none. */
export async function resolveReporter(ticket: TicketCreatedEvent): Promise<void> {
  if (ticket.reporter !== null || !ticket.reporterAccountId || !identityByAccountId()) return;
  ticket.reporter = (await jira.lookupAccount({ accountId: ticket.reporterAccountId })).email;
}

/** A comment author's e-mail (null when Jira hides it), looked up once per comment by account id. */
export async function authorOf(reply: CommentEvent): Promise<string | null> {
  if (reply.author !== null || !reply.authorAccountId || !identityByAccountId()) return reply.author;
  reply.author = (await jira.lookupAccount({ accountId: reply.authorAccountId })).email;
  return reply.author;
}
