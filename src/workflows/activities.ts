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
 * Messages people read (Slack, Aha!): idempotent, with capped retries so an unreachable service ends
 * in a visible failure the workflow records instead of a message that arrives a day late.
 */
export const notify = proxyActivities<DeskflowActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 12 },
});

/** Configuration and classification: pure and local, recorded in history for replay. */
export const local = proxyActivities<DeskflowActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});
