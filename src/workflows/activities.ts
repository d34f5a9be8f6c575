/**
 * Activity proxies, grouped by retry policy. Workflows see the activities only through the
 * contract's types; the implementations never enter the workflow bundle.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { DeskflowActivities } from '../activities/contract';

/**
 * Jira changes keep a ticket's promises, so they retry until Jira answers (an outage of hours must
 * not lose the ticket). Requests Jira rejects fail at once as non-retryable ApplicationFailures.
 */
export const jira = proxyActivities<DeskflowActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Messages people read (Slack, Aha!): idempotent, retried through an outage of some hours (a new sales
 * lead must still reach the sales lead), but capped at a day: a message that could not go out by then is
 * noted on the ticket instead of arriving when it no longer means anything.
 */
export const notify = proxyActivities<DeskflowActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Configuration and classification: pure and local, recorded in history for replay. */
export const local = proxyActivities<DeskflowActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});
