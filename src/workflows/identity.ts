/**
 * E-mail addresses where the procedures need them (configured roles, internal domains, the onboarding
 * form). Jira Cloud's webhooks name people by account id only (README, "Who acted"), so an address is
 * looked up through Jira's user API by that id (an activity, cached by the worker), never read from the
 * webhook. Events recorded before carry the address itself and need no look-up.
 */

import { ActivityFailure } from '@temporalio/workflow';
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

/**
 * Request participants Jira Cloud's webhook names by account id only (December 2026, issue 14): their
 * e-mails are looked up and join `participants`, as older payloads gave them. One Jira hides stays out.
 */
export async function resolveParticipants(ticket: TicketCreatedEvent): Promise<void> {
  const ids = ticket.participantAccountIds ?? [];
  if (ids.length === 0 || !taken('participants-by-account-id')) return;
  const known = new Set(ticket.participants.map((p) => p.toLowerCase()));
  for (const accountId of ids) {
    let email: string | null;
    try {
      email = (await jira.lookupAccount({ accountId })).email;
    } catch (err) {
      // An account Jira refuses to show (deleted, no permission) leaves this one out, not the run.
      if (err instanceof ActivityFailure) continue;
      throw err;
    }
    if (email && email !== ticket.reporter && !known.has(email)) {
      known.add(email);
      ticket.participants.push(email);
    }
  }
  ticket.participantAccountIds = [];
}

/** A comment author's e-mail (null when Jira hides it), looked up once per comment by account id. */
export async function authorOf(reply: CommentEvent): Promise<string | null> {
  if (reply.author !== null || !reply.authorAccountId || !identityByAccountId()) return reply.author;
  reply.author = (await jira.lookupAccount({ accountId: reply.authorAccountId })).email;
  return reply.author;
}
