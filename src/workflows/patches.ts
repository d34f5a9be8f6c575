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
  return taken('ack-before-org-note');
}

/**
 * S-14 closing words (December 2026): only a clear confirmation closes (no question, no condition), never
 * while a linked CS or DEV issue is open; any other reply reaches the assignee, or the support channel
 * when nobody is assigned.
 */
export function strictClosingWords(): boolean {
  return taken('closing-words');
}

/**
 * R-05 (December 2026): a linked issue closed as Won't Fix, Cannot Reproduce, Duplicate (anything but
 * Done/Fixed) goes back to the agent on Slack; the customer is not told it was fixed.
 */
export function linkedResolutionDecides(): boolean {
  return taken('linked-not-fixed');
}

/**
 * No reply reaches nobody (December 2026): a customer's or partner's message in a wait that used not to
 * listen (triage, the sales lead, the onboarding waits, the training booking) reaches the assignee.
 */
export function repliesReachSomeone(): boolean {
  return taken('replies-reach-someone');
}

/**
 * E-13 approvals (December 2026): a separate ticket counts only from the approver (or the onboarding team
 * forwarding the approver's words), when it states an approval (no question, no condition), and names the
 * installer or finds exactly one onboarding awaiting approval; one that asks for more is linked, not
 * closed; an approval before configuration is complete is recorded and acted on at E-10.
 */
export function strictApprovals(): boolean {
  return taken('e13-approval-rules');
}

/**
 * CS routes (December 2026): one first reply from the route's template that names the next step (S-10)
 * instead of the generic acknowledgement and a second one; collect the documents before the
 * CS ticket is created (asking the customer when none is attached), and a document sent later is noted
 * on the CS ticket; R-16 a Sunlight partner follows the partner process instead of a CS ticket.
 */
export function csRouteFirstReply(): boolean {
  return taken('cs-route-first-reply');
}

/**
 * No reply reaches nobody, between waits too (December 2026): a customer reply that arrives while the
 * workflow is not waiting (during intake, while a step runs) wakes the next wait that listens for replies,
 * instead of being counted as already seen.
 */
export function repliesTakenOnce(): boolean {
  return taken('replies-taken-once');
}

/**
 * Partly done steps (December 2026): S-07 the organization of the customer's other tickets before the
 * "unknown" note; S-08 the account manager as watcher on account routes; E-02 the form's gaps reach
 * support when nobody of the onboarding team is on Slack; E-16 the account manager becomes the assignee.
 */
export function completeSteps(): boolean {
  return taken('complete-partial-steps');
}

/**
 * The patches the release marker stands for (below). Frozen: a run that recorded the release marker took
 * exactly these.
 */
const RELEASED_PATCHES = [
  'local-activities-first',
  'verify-issue-exists',
  'ack-before-org-note',
  'upsert-only-changed-attributes',
  'note-every-agent-close',
  'sla-breach-only-after-downtime',
  'continue-as-new-at-parked-waits',
  'adopt-current-state',
  'follow-jira-assignee',
  'staff-reply-restarts-follow-up',
  'assignee-email-by-account',
  'deadline-search-attributes',
  'identity-by-account-id',
  'stale-linked-events',
  'notify-as-regular-activities',
  'fallback-waits-retry-after',
  'closing-words',
  'linked-not-fixed',
  'replies-reach-someone',
  'e13-approval-rules',
  'cs-route-first-reply',
  'complete-partial-steps',
  'replies-taken-once',
] as const;

/**
 * The patches of the second release (below), made after the first one. Frozen like RELEASED_PATCHES
 * (test/unit/patches.test.ts checks that every id used is listed in one of the three lists).
 */
const SECOND_RELEASE_PATCHES = [
  // E-10, E-11..E-13, E-15: the onboarding's long waits continue-as-new like the support waits (issue 10).
  'onboarding-continues-as-new',
  'copy-attachments',
  'participants-by-account-id',
  'training-booking-words',
  'r24-thanks-not-held-by-aha',
  'confirm-words-more',
  'e01-forwarded-form',
  'e13-forwarded-by-staff',
] as const;

/** Patches made after the second release: each decided by its own marker, up front. */
const LATER_PATCHES = [] as const;

export const PATCH_IDS = [...RELEASED_PATCHES, ...SECOND_RELEASE_PATCHES, ...LATER_PATCHES] as const;
export type PatchId = (typeof PATCH_IDS)[number];

/**
 * The release marker: one marker that stands for every patch in PATCH_IDS. A run that records it takes
 * all of them and records no marker of its own for each (each patch marker also upserts
 * TemporalChangeVersion: two events per patch and per run, 46 events before the ticket was even read, which
 * also made every continued run start over its event limit). Histories recorded before it have no such
 * marker and decide patch by patch as they did.
 *
 * The next change that needs a patch: add its id to LATER_PATCHES and decide it with `taken`. When the
 * next release is cut, give it a new marker, asked before the others, standing for every list so far.
 */
export const RELEASE_MARKER = 'deskflow-2026-12';

/**
 * The second release marker (3 December 2026): it stands for RELEASED_PATCHES and the patches that came
 * after them that day (SECOND_RELEASE_PATCHES). Asked first; runs that recorded the first release replay it.
 */
export const SECOND_RELEASE_MARKER = 'deskflow-2026-12-03';

/** The patches this run took by a release marker (module state is per run: the SDK isolates workflow modules). */
let released: readonly string[] = [];

/** The decision for one patch: true for a released patch in runs that took the release, else `patched`. */
export function taken(id: PatchId): boolean {
  return released.includes(id) || patched(id);
}

/**
 * Takes every patch decision in the run's first workflow task, before any activity. A local activity's
 * result can reach the workflow one task later than its marker was recorded (the result arrives while
 * the task completes); replay then resolves it a task earlier, and a `patched()` first asked right after
 * it would find its marker not yet seen and answer false: the replay takes the old path and fails (found
 * by test/workflows/continue-as-new.test.ts querying a closed run). Decided up front, the answer is
 * remembered for the whole run. New runs record one release marker; runs recorded before it replay their
 * own per-patch markers (up front when they have 'patches-decided-up-front', else as they go).
 */
export function decidePatchesUpFront(): void {
  if (patched(SECOND_RELEASE_MARKER)) {
    released = [...RELEASED_PATCHES, ...SECOND_RELEASE_PATCHES];
    for (const id of LATER_PATCHES) patched(id);
    return;
  }
  if (patched(RELEASE_MARKER)) {
    released = RELEASED_PATCHES;
    for (const id of [...SECOND_RELEASE_PATCHES, ...LATER_PATCHES]) patched(id);
    return;
  }
  if (!patched('patches-decided-up-front')) return;
  for (const id of PATCH_IDS) patched(id);
}

/**
 * Linked-issue events ordered by their own time (December 2026): an event older than the newest one
 * recorded for that issue is ignored instead of overwriting its status. Evaluated only when such a late
 * event arrives, so histories without one replay unchanged.
 */
export function ignoreStaleLinkedEvents(): boolean {
  return taken('stale-linked-events');
}

/**
 * Slack and Aha! messages as regular activities only (December 2026, found by `npm run chaos`, R6): a
 * local activity whose workflow task is lost (the server restarting) runs again as attempt 1, and Slack's
 * duplicate check, which reads history only on a retry, posted the message twice. A regular activity's
 * attempt number is the server's: attempt 1 is the first try, any repeat is a retry and is checked.
 */
export function notifyAsRegularActivities(): boolean {
  return taken('notify-as-regular-activities');
}

/**
 * A local attempt refused with 429 and Retry-After hands over to the regular activity only after that
 * delay (December 2026, found by `npm run chaos`, R3: the hand-over came back at once).
 */
export function fallbackWaitsRetryAfter(): boolean {
  return taken('fallback-waits-retry-after');
}

/**
 * documents as files (December 2026, after the release): the SS ticket's attachments are copied
 * onto the CS ticket (downloaded and uploaded, once each), when it is created and when the customer sends
 * more, instead of being named in its description or a note only.
 */
export function documentsAsFiles(): boolean {
  return taken('copy-attachments');
}

/**
 * R-22 booking words (December 2026): after the training follow-up, a reply that says the customer booked
 * ("Yes - we booked Tuesday 10am", "All booked, thanks") confirms (S-14), as "the training is booked" did.
 */
export function trainingBookingWords(): boolean {
  return taken('training-booking-words');
}

/**
 * R-24 and an Aha! outage (December 2026): the customer's thank-you (their first response) waits at most a
 * short while for the Aha! idea, then goes out; the idea's internal note follows when Aha! answers.
 */
export function thanksNotHeldByAha(): boolean {
  return taken('r24-thanks-not-held-by-aha');
}

/**
 * S-14 more confirmations (December 2026): a reply that opens with the verdict ("Confirmed, it shows 30%
 * now. Thanks!") or says "I can confirm it" closes, under the same doubts as before.
 */
export function moreConfirmWords(): boolean {
  return taken('confirm-words-more');
}

/**
 * E-01 forwarded forms (December 2026): an onboarding form a staff member forwarded into the desk is the
 * onboarding team's when its original sender is (S-05), instead of being redirected as a stranger's.
 */
export function onboardingFormForwarded(): boolean {
  return taken('e01-forwarded-form');
}

/**
 * E-13 approvals forwarded by staff (December 2026): the approver's e-mail that a staff member forwarded
 * into the desk is his approval ticket, as when the onboarding team forwards it.
 */
export function approvalsForwardedByStaff(): boolean {
  return taken('e13-forwarded-by-staff');
}
