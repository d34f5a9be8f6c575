/**
 * Routes support (or a named owner) answers directly, then closes by the closing rules (S-13..S-16):
 * R-01, R-03 general questions; R-02 financier partner status (Ops); R-06, R-10, R-11, R-18 small
 * configuration done with an SOP; R-17 Tesla/Sunlight (its owner); R-19 integration questions (its
 * owner); R-23 other project changes (the account owner).
 */
import { handleUntilClosed } from '../closing';
import { jira } from '../activities';
import { assign, internalNote } from '../steps';
import type { TicketState } from '../state';

/** R-01, R-03: support answers; the closing rules apply. */
export async function supportAnswers(t: TicketState): Promise<void> {
  await handleUntilClosed(t);
}

/** R-06, R-10, R-11, R-18: support does it with the SOP linked in an internal note, then `resolve`. */
export function withSop(linkName: string, what: string) {
  return async (t: TicketState): Promise<void> => {
    const link = t.settings.links[linkName] ?? '(SOP link not configured)';
    await internalNote(
      t,
      t.route === 'finance.other_financier' ? 'R-18' : 'S-12',
      `${what}. SOP: ${link}. When done: deskflow resolve ${t.key} --note "what was done"`,
    );
    await handleUntilClosed(t);
  };
}

/** R-02, R-17, R-19, R-23: a named owner takes the ticket; support stays in the loop as watcher. */
export function handOver(step: string, ownerOf: (t: TicketState) => string, why: string) {
  return async (t: TicketState): Promise<void> => {
    const owner = ownerOf(t);
    const previous = t.assignee;
    await assign(t, 'S-09', owner);
    if (previous && previous !== owner) await jira.addWatchers({ key: t.key, emails: [previous] });
    await internalNote(
      t,
      step,
      `${why}: assigned to ${owner}${previous && previous !== owner ? `; ${previous} stays as watcher` : ''}.`,
    );
    await handleUntilClosed(t);
  };
}

/** The account owner of the ticket's organization (R-22, R-23), else the default account manager. */
export function accountOwner(t: TicketState): string {
  const org = t.organization;
  return (org ? t.settings.accounts[org]?.accountManager : undefined) ?? t.settings.roles.defaultAccountManager;
}
