/**
 * The ticket workflow's patches (README, "Changing workflow code"). A change that alters the commands a
 * running ticket would issue is taken only by runs that reach it after the change: `patched(id)` records
 * a marker in new runs and answers false while replaying a history recorded before it. One function per
 * patch, named for the behaviour, so the code reads as the procedure and tests can swap this module.
 * Retire a patch with `deprecatePatch` once no run that started before it is left.
 */
import { patched } from '@temporalio/workflow';

/**
 * S-10 before S-07's "Organization unknown" note (December 2026): the customer's acknowledgement goes out
 * first, and the internal note asking the agent to set the organization follows it.
 */
export function acknowledgeBeforeOrganizationNote(): boolean {
  return patched('ack-before-org-note');
}

/**
 * Every patch id the workflows use. A new patch goes here too (test/unit/patches.test.ts checks it).
 */
export const PATCH_IDS = [
  'local-activities-first',
  'verify-issue-exists',
  'ack-before-org-note',
  'upsert-only-changed-attributes',
  'note-every-agent-close',
  'sla-breach-only-after-downtime',
  'continue-as-new-at-parked-waits',
  'deadline-search-attributes',
  'identity-by-account-id',
  'stale-linked-events',
  'notify-as-regular-activities',
  'fallback-waits-retry-after',
] as const;

/**
 * Takes every patch decision in the run's first workflow task, before any activity. A local activity's
 * result can reach the workflow one task later than its marker was recorded (the result arrives while
 * the task completes); replay then resolves it a task earlier, and a `patched()` first asked right after
 * it would find its marker not yet seen and answer false: the replay takes the old path and fails (found
 * by test/workflows/continue-as-new.test.ts querying a closed run). Decided up front, the answer is
 * remembered for the whole run. Runs recorded before this patch keep deciding as they go.
 */
export function decidePatchesUpFront(): void {
  if (!patched('patches-decided-up-front')) return;
  for (const id of PATCH_IDS) patched(id);
}

/**
 * Linked-issue events ordered by their own time (December 2026): an event older than the newest one
 * recorded for that issue is ignored instead of overwriting its status. Evaluated only when such a late
 * event arrives, so histories without one replay unchanged.
 */
export function ignoreStaleLinkedEvents(): boolean {
  return patched('stale-linked-events');
}

/**
 * Slack and Aha! messages as regular activities only (December 2026, found by `npm run chaos`, R6): a
 * local activity whose workflow task is lost (the server restarting) runs again as attempt 1, and Slack's
 * duplicate check, which reads history only on a retry, posted the message twice. A regular activity's
 * attempt number is the server's: attempt 1 is the first try, any repeat is a retry and is checked.
 */
export function notifyAsRegularActivities(): boolean {
  return patched('notify-as-regular-activities');
}

/**
 * A local attempt refused with 429 and Retry-After hands over to the regular activity only after that
 * delay (December 2026, found by `npm run chaos`, R3: the hand-over came back at once).
 */
export function fallbackWaitsRetryAfter(): boolean {
  return patched('fallback-waits-retry-after');
}
