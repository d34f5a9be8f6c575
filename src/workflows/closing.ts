/**
 * S-13..S-16: following up and closing. While the ticket is with support, the assignee is reminded
 * every N business days (S-13); `resolve` asks the customer to confirm and closes after one business day
 * without an answer (S-15); `needs-input` makes N attempts a business day apart and then closes as
 * unresponsive (S-16); a confirmation by the customer or `confirm` closes at once (S-14).
 */

import { addBusinessDays } from './business-calendar';
import { confirmsBooking, confirmsResolution, confirmsResolutionLegacy } from './customer-reply';
import { escalateToSupervisor } from './escalation';
import {
  documentsAsFiles,
  linkedResolutionDecides,
  moreConfirmWords,
  strictClosingWords,
  taken,
  trainingBookingWords,
} from './patches';
import { copyDocuments } from './documents';
import { jira } from './activities';
import { closeTicket, internalNote, publicComment, slack } from './steps';
import type { Command, TicketState } from './state';
import { fillTemplate } from './templates';
import { waitFor } from './waiting';

function businessDaysFromNow(t: TicketState, n: number): Date {
  return addBusinessDays(new Date(), n, t.settings.calendar);
}

/** Route-specific command handling offered by the support loop (R-05's escalate-bug). */
export type ExtraCommand = (t: TicketState, c: Command) => Promise<boolean>;

/** The ticket is with support until it is closed by one of the closing rules. */
export async function handleUntilClosed(t: TicketState, extra?: ExtraCommand, resumeUntil?: Date): Promise<void> {
  let pending: Command | null = null;
  while (!t.closed) {
    let command = pending;
    pending = null;
    if (!command) {
      // A continued run (continue-as-new) first waits until the deadline the previous run had set.
      const followUp = resumeUntil ?? businessDaysFromNow(t, t.settings.sla.followUpBusinessDays);
      resumeUntil = undefined;
      t.setStage(
        'with-support',
        `an agent to resolve, ask the customer (needs-input) or confirm — ${t.assignee ?? 'unassigned'}`,
        followUp,
      );
      const wake = await waitFor(t, {
        until: followUp,
        customer: true,
        // A public reply typed by staff in Jira is an update: the S-13 clock starts again (issue 9).
        ...(taken('staff-reply-restarts-follow-up') ? { staff: true } : {}),
        resume: { at: 'with-support' },
      });
      if (wake.kind === 'timeout') {
        await remindAssignee(t);
        continue;
      }
      if (wake.kind === 'staff') {
        t.log('S-13', 'Staff replied to the customer in Jira: the follow-up reminder clock starts again');
        continue;
      }
      if (wake.kind === 'customer') {
        if (await customerConfirmed(t)) return;
        continue;
      }
      if (wake.kind !== 'command') continue;
      command = wake.command;
    }
    pending = await carryOut(t, command, extra);
  }
}

/** Carries out one agent command; returns a command that arrived while waiting, to be carried out next. */
async function carryOut(t: TicketState, c: Command, extra?: ExtraCommand): Promise<Command | null> {
  switch (c.kind) {
    case 'resolve':
      return awaitConfirmation(t, c.note);
    case 'needs-input':
      return askCustomer(t, c.question);
    case 'confirm':
      await closeAsConfirmed(t, c.note, c.by);
      return null;
    case 'escalate':
      await escalateToSupervisor(t, c.note, c.by);
      return null;
    default:
      if (extra && (await extra(t, c))) return null;
      t.log('agent', `${c.kind} ignored: it does not apply to this ticket`);
      return null;
  }
}

/**
 * S-14: the customer (or an agent on their behalf) confirmed. An agent's close always leaves an
 * internal note saying who closed it and why (older runs noted it only when a note was given).
 */
export async function closeAsConfirmed(t: TicketState, note: string, by?: string): Promise<void> {
  if (note || taken('note-every-agent-close')) {
    await internalNote(t, 'S-14', `Closed as confirmed${by ? ` by ${by}` : ''}: ${note || 'no note given'}`);
  }
  await closeTicket(t, 'S-14', t.settings.jira.resolutions.done);
}

/**
 * S-14: a customer's reply closes the ticket only when it clearly confirms the problem is solved and no
 * linked CS or DEV issue is still open; any other reply goes to the assignee (item "no reply reaches
 * nobody": the support channel when nobody is assigned).
 */
export async function customerConfirmed(t: TicketState): Promise<boolean> {
  const reply = t.lastCustomerReply;
  if (!strictClosingWords()) {
    if (reply && confirmsResolutionLegacy(reply.body)) {
      await closeTicket(t, 'S-14', t.settings.jira.resolutions.done);
      return true;
    }
    if (t.assignee)
      await slack(t, 'S-13', t.assignee, `${t.key}: the customer replied and the ticket is back with you.`);
    return false;
  }
  const confirms =
    !!reply &&
    (confirmsResolution(reply.body, { moreWords: moreConfirmWords() }) ||
      (t.route === 'project.training' && trainingBookingWords() && confirmsBooking(reply.body)));
  const open = openLinkedIssues(t);
  if (confirms && !open.length) {
    await closeTicket(t, 'S-14', t.settings.jira.resolutions.done);
    return true;
  }
  const why = confirms
    ? ` It reads as a confirmation, but ${open.join(', ')} is still open, so the ticket stays open.`
    : open.length
      ? ` ${open.join(', ')} is still open.`
      : '';
  await tellAssignee(t, 'S-13', `${t.key}: the customer replied and the ticket is back with you.${why}`);
  return false;
}

/** Linked CS or DEV issues not yet in a done or closed status. */
export function openLinkedIssues(t: TicketState): string[] {
  const { statuses } = t.settings.jira;
  return [...t.linked.values()].filter((l) => ![statuses.done, statuses.closed].includes(l.status)).map((l) => l.key);
}

/**
 * A message for whoever has the ticket: the assignee, or the support channel when nobody is assigned,
 * with the first words of the last customer reply.
 */
export async function tellAssignee(t: TicketState, step: string, text: string): Promise<void> {
  const reply = t.lastCustomerReply;
  const quote = reply ? ` ${reply.author ?? 'They'} wrote: "${excerpt(reply.body)}"` : '';
  await slack(t, step, t.assignee ?? t.settings.roles.supportChannel, `${text}${quote}`);
}

function excerpt(body: string): string {
  const one = body.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 197)}...` : one;
}

/** Resolutions of a linked issue that mean the work was done (R-05: only these tell the customer it was fixed). */
const FIXED_RESOLUTIONS = ['done', 'fixed'];

/**
 * R-05 (and the CS routes): a linked issue that reached a done status with a resolution other than
 * Done/Fixed (Won't Fix, Cannot Reproduce, Duplicate, ...) was not fixed: the agent hears of it on Slack,
 * the customer is told nothing, and the ticket goes back to the support loop. Returns true in that case.
 */
export async function linkedClosedUnfixed(t: TicketState, key: string): Promise<boolean> {
  if (!linkedResolutionDecides()) return false;
  const resolution = t.linked.get(key)?.resolution;
  const fixed = [...FIXED_RESOLUTIONS, t.settings.jira.resolutions.done.toLowerCase()];
  if (!resolution || fixed.includes(resolution.toLowerCase())) return false;
  const text = `${t.key}: ${key} was closed as ${resolution}, not fixed. The customer has not been told; the ticket is back with you to decide what to tell them.`;
  await internalNote(t, 'R-05', text);
  await slack(t, 'R-05', t.assignee ?? t.settings.roles.supportChannel, text);
  return true;
}

async function remindAssignee(t: TicketState): Promise<void> {
  const to = t.assignee ?? t.settings.roles.supportChannel;
  await slack(
    t,
    'S-13',
    to,
    `Follow-up reminder: ${t.key} is waiting on support (${t.settings.sla.followUpBusinessDays} business days without an update).`,
  );
}

/**
 * S-15: public comment with the agent's note asking for confirmation, then a durable business-day
 * timer; a customer reply cancels the close and returns the ticket to the agent.
 */
export async function awaitConfirmation(t: TicketState, note: string): Promise<Command | null> {
  const { templates, sla, jira: j } = t.settings;
  await publicComment(t, 'S-15', fillTemplate(templates.resolvedAskConfirm ?? '{note}', { note, key: t.key }));
  const closeAt = businessDaysFromNow(t, sla.closeAfterBusinessDays);
  t.setStage('awaiting-confirmation', `the customer to confirm; closes without an answer`, closeAt);
  const wake = await waitFor(t, { until: closeAt, customer: true });
  if (wake.kind === 'timeout') {
    await closeTicket(
      t,
      'S-15',
      j.resolutions.done,
      fillTemplate(templates.closedResolved ?? '', { key: t.key }) || undefined,
    );
    return null;
  }
  if (wake.kind === 'customer') {
    await customerConfirmed(t);
    return null;
  }
  return wake.kind === 'command' ? wake.command : null;
}

/** S-16: N attempts to get the customer's input, one business day apart; no answer closes the ticket. */
export async function askCustomer(t: TicketState, question: string): Promise<Command | null> {
  const { templates, sla, jira: j } = t.settings;
  const attempts = sla.unansweredAttempts;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const body =
      attempt === 1
        ? fillTemplate(templates.needsInput ?? '{question}', { question, key: t.key })
        : fillTemplate(templates.needsInputReminder ?? '{question}', { question, attempt, attempts, key: t.key });
    await publicComment(t, 'S-16', body);
    const next = businessDaysFromNow(t, sla.closeAfterBusinessDays);
    t.setStage('awaiting-customer', `the customer's answer (attempt ${attempt} of ${attempts})`, next);
    const wake = await waitFor(t, { until: next, customer: true });
    if (wake.kind === 'customer') {
      await customerConfirmed(t);
      return null;
    }
    if (wake.kind === 'command') return wake.command;
  }
  await closeTicket(
    t,
    'S-16',
    j.resolutions.done,
    fillTemplate(templates.closedUnresponsive ?? '', { key: t.key }) || undefined,
  );
  return null;
}

/**
 * S-13 while the work is on a linked CS or DEV issue: a public status update every N business days
 * until the issue is done. A customer's reply goes to the assignee (or closes, S-14); `escalate` is
 * carried out on the spot; any other agent command hands the ticket back to the support loop.
 */
export async function awaitLinkedIssue(
  t: TicketState,
  key: string,
  stage: 'awaiting-cs' | 'awaiting-bug-fix',
  statusTemplate: string,
  resumeUntil?: Date,
): Promise<'done' | 'agent' | 'closed'> {
  const { sla, calendar, jira: j } = t.settings;
  const done = () => [j.statuses.done, j.statuses.closed].includes(t.linked.get(key)?.status ?? '');
  while (!done()) {
    // A continued run (continue-as-new) first waits until the deadline the previous run had set.
    const update = resumeUntil ?? addBusinessDays(new Date(), sla.followUpBusinessDays, calendar);
    resumeUntil = undefined;
    t.setStage(stage, `${key} to be done`, update);
    const wake = await waitFor(t, {
      until: update,
      linked: true,
      customer: true,
      commands: ['confirm', 'resolve', 'needs-input', 'escalate'],
      resume: { at: 'linked-issue', key, stage, statusTemplate },
    });
    if (wake.kind === 'timeout') {
      await publicComment(t, 'S-13', fillTemplate(statusTemplate, { key: t.key, linked: key }));
    } else if (wake.kind === 'customer') {
      if (stage === 'awaiting-cs' && t.ownFirstReply) await passOnNewDocuments(t, key);
      if (await customerConfirmed(t)) return 'closed';
    } else if (wake.kind === 'command') {
      if (wake.command.kind === 'escalate') {
        await escalateToSupervisor(t, wake.command.note, wake.command.by);
        continue;
      }
      t.commands.unshift(wake.command);
      return 'agent';
    }
  }
  return 'done';
}

/**
 * R-07/R-08: a document the customer sends after the CS ticket was created reaches it: the new attachments
 * of the SS ticket are attached to the CS ticket (before the copy patch: only named in a note there).
 */
async function passOnNewDocuments(t: TicketState, cs: string): Promise<void> {
  const issue = await jira.readIssue({ key: t.key });
  const added = issue.attachments.filter((a) => !t.documents.includes(a));
  if (!added.length) return;
  t.documents.push(...added);
  if (documentsAsFiles()) {
    await copyDocuments(t, 'R-07', cs, added);
    await internalNote(
      t,
      'R-07',
      `More documents from the customer on ${t.key}, attached here: ${added.join(', ')}.`,
      cs,
    );
    return;
  }
  await internalNote(
    t,
    'R-07',
    `More documents from the customer on ${t.key}: ${added.join(', ')}. Please take them from there.`,
    cs,
  );
}

/** Used by routes that only need to wait a set number of business days for an objection (R-24). */
export async function closeUnlessCustomerReplies(t: TicketState, step: string): Promise<boolean> {
  const closeAt = businessDaysFromNow(t, t.settings.sla.closeAfterBusinessDays);
  t.setStage('awaiting-confirmation', 'a reply from the customer; closes without one', closeAt);
  const wake = await waitFor(t, { until: closeAt, customer: true });
  if (wake.kind === 'timeout') {
    await closeTicket(t, step, t.settings.jira.resolutions.done);
    return true;
  }
  if (wake.kind === 'command') t.commands.unshift(wake.command);
  if (wake.kind === 'customer' && (await customerConfirmed(t))) return true;
  return false;
}

/**
 * A run continued at the wait for a linked CS or DEV issue: the same wait until the same deadline, then
 * what R-05 and R-07..R-16 do next (the customer is asked to confirm when the issue is done, S-15), then the
 * support loop.
 */
export async function resumeLinkedIssue(
  t: TicketState,
  r: { key: string; stage: 'awaiting-cs' | 'awaiting-bug-fix'; statusTemplate: string },
  extra: ExtraCommand | undefined,
  until: Date | undefined,
): Promise<void> {
  const outcome = await awaitLinkedIssue(t, r.key, r.stage, r.statusTemplate, until);
  if (outcome === 'closed') return;
  if (outcome === 'done' && !(await linkedClosedUnfixed(t, r.key))) {
    const { templates } = t.settings;
    const template = (r.stage === 'awaiting-bug-fix' ? templates.bugFixed : templates.csDone) ?? '';
    const pending = await awaitConfirmation(t, fillTemplate(template, { key: t.key, linked: r.key }));
    if (pending) t.commands.unshift(pending);
  }
  if (!t.closed) await handleUntilClosed(t, extra);
}
