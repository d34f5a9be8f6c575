/**
 * R-24: a feature request is logged as an Aha! idea, the link goes into an internal comment, the
 * customer is thanked, and the ticket closes after a business day without a reply (S-15).
 */
import { jira, notify } from '../activities';
import { closeUnlessCustomerReplies, handleUntilClosed } from '../closing';
import { internalNote, publicComment } from '../steps';
import type { TicketState } from '../state';
import { fillTemplate } from '../templates';

export async function featureRequest(t: TicketState): Promise<void> {
  const issue = await jira.readIssue({ key: t.key });
  try {
    const idea = await notify.createAhaIdea({
      opKey: t.opKey('R-24:idea'),
      name: issue.summary,
      description: `${issue.description}\n\nRequested in ${t.key} by ${issue.reporter ?? 'a customer'}${t.organization ? ` (${t.organization})` : ''}.`,
      ticketKey: t.key,
    });
    await internalNote(t, 'R-24', `Logged in Aha! as ${idea.referenceNum}: ${idea.url}`);
  } catch (err) {
    await internalNote(t, 'R-24', `Could not log this idea in Aha! (${String(err)}). Please log it by hand.`);
  }
  await publicComment(t, 'R-24', fillTemplate(t.settings.templates.featureRequestThanks ?? '', { key: t.key }));
  if (!(await closeUnlessCustomerReplies(t, 'R-24'))) await handleUntilClosed(t);
}
