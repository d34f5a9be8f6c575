/**
 * project-specific changes support answers with a reply. Legal contact changes are referred
 * to the financier (then S-15). Training requests get the account manager's calendar link and a follow-up
 * after one business day asking whether the appointment is booked; the ticket closes when the customer
 * confirms (S-14) or after the unanswered attempts (S-16).
 */
import { addBusinessDays } from '../business-calendar';
import { askCustomer, awaitConfirmation, customerConfirmed, handleUntilClosed } from '../closing';
import { closeTicket, publicComment } from '../steps';
import type { TicketState } from '../state';
import { confirmsResolutionLegacy } from '../customer-reply';
import { repliesReachSomeone } from '../patches';
import { fillTemplate } from '../templates';
import { waitFor } from '../waiting';
import { accountOwner } from './support-handled';

export async function legalContact(t: TicketState): Promise<void> {
  const note = fillTemplate(t.settings.templates.legalContact ?? '', { key: t.key });
  const pending = await awaitConfirmation(t, note);
  if (pending) t.commands.unshift(pending);
  if (!t.closed) await handleUntilClosed(t);
}

export async function training(t: TicketState): Promise<void> {
  const { templates, links, accounts, sla, calendar, jira: j } = t.settings;
  const calendarUrl =
    (t.organization ? accounts[t.organization]?.calendarUrl : undefined) ?? links.defaultCalendarUrl ?? '';
  await publicComment(
    t,
    'R-22',
    fillTemplate(templates.training ?? '', { key: t.key, calendarUrl, accountManager: accountOwner(t) }),
  );
  const followUpAt = addBusinessDays(new Date(), sla.closeAfterBusinessDays, calendar);
  t.setStage('awaiting-training-booking', 'the customer to book the training', followUpAt);
  const wake = await waitFor(t, { until: followUpAt, customer: true });
  if (wake.kind === 'customer' && repliesReachSomeone()) {
    // "booked" closes (S-14); any other reply reaches the assignee, who takes it from there.
    if (await customerConfirmed(t)) return;
  } else if (wake.kind === 'customer' && t.lastCustomerReply && confirmsResolutionLegacy(t.lastCustomerReply.body)) {
    await closeTicket(t, 'S-14', j.resolutions.done);
    return;
  }
  if (wake.kind === 'command') t.commands.unshift(wake.command);
  if (wake.kind === 'timeout') {
    const question = fillTemplate(templates.trainingFollowUp ?? '', { key: t.key });
    const pending = await askCustomer(t, question);
    if (pending) t.commands.unshift(pending);
  }
  if (!t.closed) await handleUntilClosed(t);
}
