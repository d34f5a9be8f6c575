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
 * Linked-issue events ordered by their own time (December 2026): an event older than the newest one
 * recorded for that issue is ignored instead of overwriting its status. Evaluated only when such a late
 * event arrives, so histories without one replay unchanged.
 */
export function ignoreStaleLinkedEvents(): boolean {
  return patched('stale-linked-events');
}
