/**
 * R-24: a feature request is logged as an Aha! idea, the link goes into an internal comment, the
 * customer is thanked, and the ticket closes after a business day without a reply (S-15). An Aha!
 * outage does not hold back the customer's thank-you (their first response, S-01): after a short wait
 * the customer is thanked and the idea is noted when Aha! answers.
 */
import { condition } from '@temporalio/workflow';
import { jira, notify } from '../activities';
import { closeUnlessCustomerReplies, handleUntilClosed } from '../closing';
import { thanksNotHeldByAha } from '../patches';
import { internalNote, publicComment } from '../steps';
import type { TicketState } from '../state';
import { fillTemplate } from '../templates';

/** How long the thank-you waits for Aha! before it goes out anyway. */
const THANKS_WAIT = '15 minutes';

type IdeaOutcome = { ok: true; referenceNum: string; url: string } | { ok: false; error: unknown };

export async function featureRequest(t: TicketState): Promise<void> {
  const issue = await jira.readIssue({ key: t.key });
  const thank = () =>
    publicComment(t, 'R-24', fillTemplate(t.settings.templates.featureRequestThanks ?? '', { key: t.key }));
  let settled = false;
  const idea: Promise<IdeaOutcome> = notify
    .createAhaIdea({
      opKey: t.opKey('R-24:idea'),
      name: issue.summary,
      description: `${issue.description}\n\nRequested in ${t.key} by ${issue.reporter ?? 'a customer'}${t.organization ? ` (${t.organization})` : ''}.`,
      ticketKey: t.key,
    })
    .then(
      (created): IdeaOutcome => ({ ok: true, referenceNum: created.referenceNum, url: created.url }),
      (error: unknown): IdeaOutcome => ({ ok: false, error }),
    )
    .finally(() => {
      settled = true;
    });
  let thanked = false;
  if (thanksNotHeldByAha() && !(await condition(() => settled, THANKS_WAIT))) {
    await thank();
    thanked = true;
  }
  const outcome = await idea;
  if (outcome.ok) await internalNote(t, 'R-24', `Logged in Aha! as ${outcome.referenceNum}: ${outcome.url}`);
  else
    await internalNote(t, 'R-24', `Could not log this idea in Aha! (${String(outcome.error)}). Please log it by hand.`);
  if (!thanked) await thank();
  if (!(await closeUnlessCustomerReplies(t, 'R-24'))) await handleUntilClosed(t);
}
