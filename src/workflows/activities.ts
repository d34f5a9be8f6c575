/**
 * Activity proxies, grouped by retry policy. Workflows see the activities only through the
 * contract's types; the implementations never enter the workflow bundle.
 */
import {
  ApplicationFailure,
  CancelledFailure,
  TemporalFailure,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { DeskflowActivities } from '../activities/contract';
import { activitySummary } from './summaries';
import { fallbackWaitsRetryAfter, notifyAsRegularActivities, taken } from './patches';

type AnyActivity = (...args: unknown[]) => Promise<unknown>;
type ProxiedActivity = AnyActivity & {
  executeWithOptions(options: { summary: string }, args: unknown[]): Promise<unknown>;
};

/**
 * Since December 2026 (issue 10) an activity first runs as a local activity: one marker event instead of
 * three events and a workflow task, which keeps a ticket's history short. If its one attempt fails (an
 * outage, a timeout, a refusal), the same call goes to a regular activity with the group's retry policy,
 * whose retries through an outage of hours the server keeps out of the history; every write carries its
 * idempotency key, so the hand-over never writes twice.
 * Runs that started before take the regular activities until they reach a call after the change (patched).
 */
function proxy(options: ActivityOptions, regularOnly?: () => boolean): DeskflowActivities {
  const remote = proxyActivities<DeskflowActivities>(options) as unknown as Record<string, ProxiedActivity>;
  const local = proxyLocalActivities<DeskflowActivities>({
    startToCloseTimeout: options.startToCloseTimeout,
    retry: { maximumAttempts: 1 },
  }) as unknown as Record<string, ProxiedActivity>;
  // Every call carries a summary for the Web UI (metadata only: the commands are the same as before).
  const call =
    (name: string, given?: string): AnyActivity =>
    async (...args) => {
      const summary = given ?? activitySummary(name, args[0]);
      const regular = () => (remote[name] as ProxiedActivity).executeWithOptions({ summary }, args);
      if (regularOnly?.() || !taken('local-activities-first')) return regular();
      try {
        return await (local[name] as ProxiedActivity).executeWithOptions({ summary }, args);
      } catch (err) {
        // Any failure but a cancellation: the regular activity retries it, or fails as callers expect
        // (an ActivityFailure naming the activity, also for a refusal, which it meets again at once).
        if (!(err instanceof TemporalFailure) || err instanceof CancelledFailure) throw err;
        // A service that answered 429 said when to come back (Retry-After): the regular activity starts then.
        // A local attempt's failure reaches the workflow as the activity's own ApplicationFailure (a regular
        // one's as an ActivityFailure caused by it): either carries the delay.
        const retryAfter =
          (err instanceof ApplicationFailure ? retryAfterOf(err) : undefined) ??
          (err.cause instanceof ApplicationFailure ? retryAfterOf(err.cause) : undefined);
        if (retryAfter !== undefined && retryAfter !== null && fallbackWaitsRetryAfter()) {
          await sleep(retryAfter, { summary: `${summary}: wait as the service asked (Retry-After)` });
        }
        return regular();
      }
    };
  const group = (summary?: string): DeskflowActivities =>
    new Proxy(remote, {
      get: (_, name: string | symbol) => {
        if (name === WITH_SUMMARY) return group;
        return call(String(name), summary);
      },
    }) as unknown as DeskflowActivities;
  return group();
}

const WITH_SUMMARY = Symbol('withSummary');

/**
 * The delay a rate-limited activity was told to wait (Retry-After). The SDK does not pass an
 * ApplicationFailure's nextRetryDelay on to workflow code (it arrives undefined), so the activities also
 * put it in the failure's details as `{ retryAfterMs }` (src/activities/errors.ts; found by
 * `npm run chaos`, R3: the hand-over never waited). Failures recorded before carry no such detail and
 * replay as they ran.
 */
function retryAfterOf(failure: ApplicationFailure): Duration | undefined {
  if (failure.nextRetryDelay !== undefined && failure.nextRetryDelay !== null) return failure.nextRetryDelay;
  const detail: unknown = failure.details?.[0];
  if (detail && typeof detail === 'object' && 'retryAfterMs' in detail) {
    const ms = (detail as { retryAfterMs: unknown }).retryAfterMs;
    if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0) return ms;
  }
  return undefined;
}

/**
 * The same activities with the Web UI summary given here (the SOP step and what the call is for), e.g.
 * `withSummary(jira, stepSummary('S-15', 'close SS-12')).transitionIssue(…)`.
 */
export function withSummary(group: DeskflowActivities, summary: string): DeskflowActivities {
  return (group as unknown as Record<symbol, (s: string) => DeskflowActivities>)[WITH_SUMMARY]!(summary);
}

/**
 * Jira changes keep a ticket's promises, so they retry until Jira answers (an outage of hours must
 * not lose the ticket). Requests Jira rejects fail at once as non-retryable ApplicationFailures.
 */
export const jira = proxy({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Messages people read (Slack, Aha!): idempotent, retried through an outage of some hours (a new sales
 * lead must still reach the sales lead), but capped at a day: a message that could not go out by then is
 * noted on the ticket instead of arriving when it no longer means anything.
 */
export const notify = proxy(
  {
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '24 hours',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
  },
  notifyAsRegularActivities,
);

/** Configuration and classification: pure and local, recorded in history for replay. */
export const local = proxy({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});
