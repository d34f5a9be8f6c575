/**
 * The building blocks every procedure uses: comments, Slack messages mirrored as internal notes
 * (S-17), status changes and closing. Each names its SOP step and derives its idempotency key.
 */
import { notifyAsRegularActivities } from './patches';
import { ActivityFailure, ApplicationFailure, log } from '@temporalio/workflow';
import { jira, notify, withSummary } from './activities';
import { assigneeAddress } from './assignee';
import type { TicketState } from './state';
import { countClose } from './metrics';
import { stepSummary } from './summaries';
import { firstLine } from './templates';

export async function publicComment(t: TicketState, step: string, body: string, key = t.key): Promise<void> {
  await jira.addComment({ key, body, public: true, opKey: t.opKey(`${step}:public:${key}`) });
  if (key === t.key) t.firstResponseAt ??= new Date().toISOString();
  t.log(step, `Replied to the customer on ${key}: ${firstLine(body)}`);
}

export async function internalNote(t: TicketState, step: string, body: string, key = t.key): Promise<void> {
  await jira.addComment({ key, body, public: false, opKey: t.opKey(`${step}:internal:${key}`) });
  t.log(step, `Internal note on ${key}: ${firstLine(body)}`);
}

/**
 * Sends a Slack message about the ticket and mirrors it as an internal note (S-17), so the ticket keeps
 * a record of every exchange. A person Slack does not know, or Slack being down, is noted, never fatal.
 */
export async function slack(t: TicketState, step: string, to: string, text: string): Promise<boolean> {
  let note: string;
  let sent = false;
  try {
    to = await assigneeAddress(t, to);
    const result = await notify.postSlackMessage({
      to,
      text,
      ticketKey: t.key,
      opKey: t.opKey(`${step}:slack:${to}`),
      ...(notifyAsRegularActivities() ? { firstAttemptIsFirstTry: true } : {}),
    });
    if (result.sent) {
      sent = true;
      note = `Slack to ${to}: ${text}`;
    } else {
      note = `Could not reach ${to} on Slack (no Slack user with that e-mail). Message not delivered: ${text}`;
    }
  } catch (err) {
    log.warn('Slack message failed', { ticket: t.key, to, error: String(err) });
    // A refusal (a missing scope, a channel deskflow is not in or that does not exist) says why, so an
    // admin can fix the Slack app; an outage that outlasted the retries says so.
    const refusal =
      err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable
        ? err.cause.message
        : undefined;
    note = refusal
      ? `Slack to ${to} was refused: ${refusal}. Message not delivered: ${text}`
      : `Slack to ${to} failed after retries. Message not delivered: ${text}`;
  }
  t.log(step, sent ? `Slack to ${to}: ${firstLine(text)}` : `Slack to ${to} not delivered`);
  // The mirror note runs beside the flow: a Jira outage must not hold back the next Slack alert (S-01).
  t.inBackground(internalNote(t, 'S-17', note));
  return sent;
}

export async function transition(
  t: TicketState,
  step: string,
  to: string,
  resolution?: string,
  key = t.key,
): Promise<void> {
  const summary = stepSummary(step, `move ${key} to ${to}${resolution ? ` (${resolution})` : ''}`);
  // The opKey makes a repeat of this call (a local attempt re-run after a lost workflow task, found by
  // `npm run chaos`, R7) change nothing, even once the issue has moved on; it is the activity's input only.
  const opKey = t.opKey(`${step}:transition:${key}`);
  await withSummary(jira, summary).transitionIssue({ key, to, resolution, opKey });
  t.log(step, `${key} moved to ${to}${resolution ? ` (${resolution})` : ''}`);
}

/** Closes the ticket with a resolution; optionally with a last comment to the customer first. */
export async function closeTicket(
  t: TicketState,
  step: string,
  resolution: string,
  customerComment?: string,
): Promise<void> {
  if (customerComment) await publicComment(t, step, customerComment);
  await transition(t, step, t.settings.jira.statuses.closed, resolution);
  countClose(step);
  t.closed = true;
  t.setStage('closed', 'nothing: the ticket is closed');
}

export async function assign(t: TicketState, step: string, email: string | null, key = t.key): Promise<void> {
  await withSummary(jira, stepSummary(step, `assign ${key} to ${email ?? 'nobody'}`)).assignIssue({
    key,
    assignee: email,
  });
  if (key === t.key) t.setAssignee(email);
  t.log(step, `${key} assigned to ${email ?? 'nobody'}`);
}
