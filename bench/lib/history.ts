/**
 * Reading workflow histories for the measures: workflow-task schedule-to-start, the latency of a wake-up
 * (signal → the workflow task that handled it), history size, and Temporal Cloud billable actions.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

type History = proto.temporal.api.history.v1.IHistory;
type Event = proto.temporal.api.history.v1.IHistoryEvent;
const T = proto.temporal.api.enums.v1.EventType;

export function eventMs(e: Event): number {
  const t = e.eventTime;
  if (!t) return Number.NaN;
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

export async function fetchHistory(client: Client, workflowId: string): Promise<History> {
  return client.workflow.getHandle(workflowId).fetchHistory();
}

/** Schedule-to-start of every workflow task (ms), and how many timed out or failed. */
export function workflowTaskDelays(history: History): { delays: number[]; timeouts: number; failures: number } {
  const delays: number[] = [];
  let timeouts = 0;
  let failures = 0;
  const scheduled = new Map<string, number>();
  for (const e of history.events ?? []) {
    if (e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) scheduled.set(String(e.eventId), eventMs(e));
    else if (e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      const at = scheduled.get(String(e.workflowTaskStartedEventAttributes?.scheduledEventId));
      if (at !== undefined) delays.push(eventMs(e) - at);
    } else if (e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) timeouts += 1;
    else if (e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_FAILED) failures += 1;
  }
  return { delays, timeouts, failures };
}

/** The last signal's arrival → the completion of the first workflow task started after it (ms). */
export function wakeUpLatency(history: History, signalName: string): number | undefined {
  const events = history.events ?? [];
  let signalAt: number | undefined;
  let signalIndex = -1;
  events.forEach((e, i) => {
    if (
      e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED &&
      e.workflowExecutionSignaledEventAttributes?.signalName === signalName
    ) {
      signalAt = eventMs(e);
      signalIndex = i;
    }
  });
  if (signalAt === undefined) return undefined;
  const done = events.slice(signalIndex + 1).find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  return done ? eventMs(done) - signalAt : undefined;
}

export function historyBytes(history: History): number {
  return proto.temporal.api.history.v1.History.encode(history).finish().length;
}

/** What Temporal Cloud bills as actions, counted from a history (queries are not recorded: 0). */
export interface Actions {
  starts: number;
  signals: number;
  updates: number;
  queries: number;
  timers: number;
  activityAttempts: number;
  localActivities: number;
  upserts: number;
  childStarts: number;
  signalsSent: number;
  continueAsNew: number;
  total: number;
}

export function billableActions(history: History): Actions {
  const a: Actions = {
    starts: 0,
    signals: 0,
    updates: 0,
    queries: 0,
    timers: 0,
    activityAttempts: 0,
    localActivities: 0,
    upserts: 0,
    childStarts: 0,
    signalsSent: 0,
    continueAsNew: 0,
    total: 0,
  };
  for (const e of history.events ?? []) {
    switch (e.eventType) {
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        a.starts += 1;
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        a.signals += 1;
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        a.updates += 1;
        break;
      case T.EVENT_TYPE_TIMER_STARTED:
        a.timers += 1;
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        a.activityAttempts += e.activityTaskStartedEventAttributes?.attempt ?? 1;
        break;
      case T.EVENT_TYPE_MARKER_RECORDED:
        if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') a.localActivities += 1;
        break;
      case T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        a.upserts += 1;
        break;
      case T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        a.childStarts += 1;
        break;
      case T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        a.signalsSent += 1;
        break;
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        a.continueAsNew += 1;
        break;
      default:
        break;
    }
  }
  a.total =
    a.starts +
    a.signals +
    a.updates +
    a.queries +
    a.timers +
    a.activityAttempts +
    a.localActivities +
    a.upserts +
    a.childStarts +
    a.signalsSent +
    a.continueAsNew;
  return a;
}

const WRITE_ACTIVITY =
  /^(add|post|create|transition|set|update|link|send|assign|close|resolve|notify|flag|invite|remove|upsert)/i;

/**
 * The least a workflow producing the same side effects must bill: its start, each signal and update it
 * received, one activity per external write it made (activity types named for a write), nothing else.
 */
export function lowerBoundActions(history: History): number {
  let n = 0;
  for (const e of history.events ?? []) {
    if (
      e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED ||
      e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED ||
      e.eventType === T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    )
      n += 1;
    if (
      e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
      WRITE_ACTIVITY.test(e.activityTaskScheduledEventAttributes?.activityType?.name ?? '')
    )
      n += 1;
  }
  return n;
}
