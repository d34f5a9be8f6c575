/**
 * E-13, the new ticket's side: an approval that arrives as its own ticket (the approver e-mailed
 * instead of replying) is linked to the open onboarding as a duplicate, closed, and the onboarding's
 * workflow is told.
 */
import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { parseForwarded } from '../classification/forwarded';
import { parseOnboardingForm } from '../classification/onboarding-form';
import { jira } from './activities';
import { readApproval } from './approval-words';
import { ticketWorkflowId } from './ids';
import { approvalTicketSignal, type TicketCreatedEvent } from './messages';
import { approvalsForwardedByStaff, strictApprovals } from './patches';
import { closeTicket, internalNote } from './steps';
import type { TicketState } from './state';
import { isInternal, sameEmail } from './templates';

/** The words of the E-11 question deskflow asks on the onboarding ticket (how a waiting onboarding is found). */
export const APPROVAL_QUESTION = 'Are we approved to push live?';
/** The words deskflow notes on the onboarding ticket once it is approved. */
export const APPROVED_MARK = /^(Approved to push live|Approval received|Configuration for .* approval given earlier)/;

const LOOKS_LIKE_APPROVAL = /\b(approv\w*|push(ed)? (it |them |the products )?live|go(ing)? live|ok to launch)\b/i;
const ONBOARDING_SUBJECT = /new partner onboarding/i;

/**
 * Returns true when this ticket was about an open onboarding's approval and has been closed as a
 * duplicate; 'support' when it was linked to the onboarding but asks for more (support handles it as a
 * general request, without classifying it again); false for any other ticket.
 */
export async function handleApprovalTicket(t: TicketState, ticket: TicketCreatedEvent): Promise<boolean | 'support'> {
  const { roles } = t.settings;
  const fromTeam =
    [roles.onboardingApprover, ...roles.onboardingTeam].some((m) => sameEmail(m, ticket.reporter)) ||
    (isInternal(ticket.reporter, roles.internalDomains) &&
      forwardedFromApprover(t, ticket) &&
      approvalsForwardedByStaff());
  if (!fromTeam || !LOOKS_LIKE_APPROVAL.test(`${ticket.summary}\n${ticket.description}`)) return false;
  return strictApprovals() ? handleApproval(t, ticket) : handleApprovalLegacy(t, ticket);
}

/** A staff member forwarded the approver's own e-mail into the desk (E-13, S-05). */
function forwardedFromApprover(t: TicketState, ticket: TicketCreatedEvent): boolean {
  const { roles } = t.settings;
  return sameEmail(parseForwarded(ticket.description, roles.internalDomains)?.originalSender, roles.onboardingApprover);
}

/**
 * Who speaks in the ticket: the approver, or the approver's words forwarded by the onboarding team
 * (a forwarded message from the approver). Returns the approver's words, or null for anyone else.
 */
function approversWords(t: TicketState, ticket: TicketCreatedEvent): { by: string; words: string } | null {
  const { roles } = t.settings;
  const approver = roles.onboardingApprover;
  if (sameEmail(ticket.reporter, approver)) return { by: approver, words: `${ticket.summary}\n${ticket.description}` };
  const fwd = parseForwarded(ticket.description, roles.internalDomains);
  if (fwd && sameEmail(fwd.originalSender, approver)) return { by: approver, words: fwd.body };
  return null;
}

async function handleApproval(t: TicketState, ticket: TicketCreatedEvent): Promise<boolean | 'support'> {
  const { jira: j } = t.settings;
  const text = `${ticket.summary}\n${ticket.description}`;
  const onboardingSubject = ONBOARDING_SUBJECT.test(ticket.summary);
  if (onboardingSubject && !parseOnboardingForm(ticket.description).missing.length) return false; // a new form
  const speaker = approversWords(t, ticket);
  const reading = readApproval(speaker?.words ?? text);
  // The forwarder's own lines (above the forwarded message) may ask for more too.
  const own = speaker && !sameEmail(ticket.reporter, speaker.by) ? readApproval(ticket.description) : null;
  const requests = [...reading.requests, ...(own?.requests ?? [])];

  const open = (
    await jira.searchIssues({
      jql: `project = ${j.supportProject} AND statusCategory != Done AND summary ~ "New Partner Onboarding" ORDER BY created DESC`,
    })
  ).filter((i) => i.key !== t.key);
  const lower = text.toLowerCase();
  let match =
    open.find((i) => text.includes(i.key)) ??
    open.find((i) => !!i.organization && lower.includes(i.organization.toLowerCase()));
  if (!match && !onboardingSubject) {
    const waiting = [];
    for (const i of open) if (await awaitsApproval(i.key)) waiting.push(i);
    if (waiting.length === 1) match = waiting[0];
  }
  if (!match) return false;

  const installer = match.organization ? ` (${match.organization})` : '';
  const by = speaker?.by ?? ticket.reporter;
  t.setRoute('onboarding.everbright', t.settings.routes['onboarding.everbright']?.requestType ?? '', 1, [
    `about the approval of the open onboarding ${match.key}`,
  ]);
  const signal = () =>
    getExternalWorkflowHandle(ticketWorkflowId(match.key)).signal(approvalTicketSignal, {
      key: t.key,
      by,
      body: speaker?.words ?? text,
      approves: reading.approves && !!speaker,
    });

  if (requests.length) {
    // It asks for more than the approval: linked, not closed; support takes the rest as a general request.
    await jira.linkIssues({ from: t.key, to: match.key, type: j.linkTypes.relates });
    await internalNote(
      t,
      'E-13',
      `About the approval of ${match.key}${installer}${reading.approves && speaker ? ', which is passed on to it' : ''}, but it also asks: "${requests.join(' ').slice(0, 500)}". Linked, not closed: support answers the rest here.`,
    );
    await signal();
    t.setRoute('general.other', t.settings.routes['general.other']?.requestType ?? 'General Inquiry', 1, [
      `asks for more besides the approval of ${match.key}`,
    ]);
    return 'support';
  }

  await jira.linkIssues({ from: t.key, to: match.key, type: j.linkTypes.duplicate });
  await internalNote(
    t,
    'E-13',
    `${reading.approves && speaker ? 'Approval' : 'Message about the approval'} for ${match.key}${installer}: linked as a duplicate and closed; the onboarding continues on ${match.key}.`,
  );
  await closeTicket(t, 'E-13', j.resolutions.duplicate);
  await signal();
  return true;
}

/** An onboarding was asked for approval (E-11) and has not been approved yet. */
async function awaitsApproval(key: string): Promise<boolean> {
  const issue = await jira.readIssue({ key, comments: true });
  let asked = false;
  for (const c of issue.comments) {
    if (c.public) continue;
    if (c.body.includes(APPROVAL_QUESTION)) asked = true;
    else if (APPROVED_MARK.test(c.body.trim())) asked = false;
  }
  return asked;
}

/** The rules before December 2026, kept for runs recorded with them. */
async function handleApprovalLegacy(t: TicketState, ticket: TicketCreatedEvent): Promise<boolean> {
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
