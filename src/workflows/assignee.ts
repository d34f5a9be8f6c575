/**
 * An assignee Jira named by account id only (a reassignment made in Jira Cloud, whose webhooks carry no
 * e-mail): the address Slack needs is looked up once by that id and kept as the ticket's assignee.
 */

import { jira } from './activities';
import type { TicketState } from './state';
import { taken } from './patches';

/** Jira Cloud account ids look like `712020:…` or a bare hex id: never an address nor a channel. */
function isAccountId(to: string): boolean {
  return !to.includes('@') && !to.startsWith('#');
}

/** `to`, or — when it is the assignee's account id — the assignee's e-mail (the ticket keeps it). */
export async function assigneeAddress(t: TicketState, to: string): Promise<string> {
  if (to !== t.assignee || !isAccountId(to) || !taken('assignee-email-by-account')) return to;
  const email = (await jira.lookupAccount({ accountId: to })).email;
  if (!email) return to;
  if (t.assignee === to) t.setAssignee(email);
  return email;
}
