/**
 * E-13, the new ticket's side: an approval that arrives as its own ticket (the approver e-mailed
 * instead of replying) is linked to the open onboarding as a duplicate, closed, and the onboarding's
 * workflow is told.
 */
import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { parseOnboardingForm } from '../classification/onboarding-form';
import { jira } from './activities';
import { ticketWorkflowId } from './ids';
import { approvalTicketSignal, type TicketCreatedEvent } from './messages';
import { closeTicket, internalNote } from './steps';
import type { TicketState } from './state';
import { sameEmail } from './templates';

const LOOKS_LIKE_APPROVAL = /\b(approv\w*|push(ed)? (it |them |the products )?live|go(ing)? live|ok to launch)\b/i;
const ONBOARDING_SUBJECT = /new partner onboarding/i;

/** Returns true when this ticket was an approval and has been closed as a duplicate. */
export async function handleApprovalTicket(t: TicketState, ticket: TicketCreatedEvent): Promise<boolean> {
  const { roles, jira: j } = t.settings;
  const fromTeam = [roles.onboardingApprover, ...roles.onboardingTeam].some((m) => sameEmail(m, ticket.reporter));
  const text = `${ticket.summary}\n${ticket.description}`;
  if (!fromTeam || !LOOKS_LIKE_APPROVAL.test(text)) return false;
  // A reply e-mailed under the onboarding subject ("RE: EverBright - New Partner Onboarding") opens a
  // ticket with that subject too: it is an approval only if it carries no complete form and names the
  // onboarding it approves (its key or installer name), never by the one-open-onboarding guess.
  const onboardingSubject = ONBOARDING_SUBJECT.test(ticket.summary);
  if (onboardingSubject && !parseOnboardingForm(ticket.description).missing.length) return false;

  const open = (
    await jira.searchIssues({
      jql: `project = ${j.supportProject} AND statusCategory != Done AND summary ~ "New Partner Onboarding" ORDER BY created DESC`,
    })
  ).filter((i) => i.key !== t.key);
  const lower = text.toLowerCase();
  const match =
    open.find((i) => text.includes(i.key)) ??
    open.find((i) => !!i.organization && lower.includes(i.organization.toLowerCase())) ??
    (open.length === 1 && !onboardingSubject ? open[0] : undefined);
  if (!match) return false;

  t.setRoute('onboarding.everbright', t.settings.routes['onboarding.everbright']?.requestType ?? '', 1, [
    `approval for the open onboarding ${match.key}`,
  ]);
  await jira.linkIssues({ from: t.key, to: match.key, type: j.linkTypes.duplicate });
  await internalNote(
    t,
    'E-13',
    `Approval for ${match.key}${match.organization ? ` (${match.organization})` : ''}: linked as a duplicate and closed; the onboarding continues on ${match.key}.`,
  );
  await closeTicket(t, 'E-13', j.resolutions.duplicate);
  await getExternalWorkflowHandle(ticketWorkflowId(match.key)).signal(approvalTicketSignal, {
    key: t.key,
    by: ticket.reporter,
    body: text,
  });
  return true;
}
