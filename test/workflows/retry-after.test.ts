/**
 * Issue 11, chaos R3: a Jira call refused with 429 and Retry-After as a local activity hands over to the
 * regular activity only after that delay (patch fallback-waits-retry-after). The SDK does not pass an
 * ApplicationFailure's nextRetryDelay on to workflow code, so the activities also carry the delay in the
 * failure's details; without them the hand-over came back at once.
 */
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { RateLimitError } from 'jira.js';
import { jiraFailure } from '../../src/activities/errors';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { createTimeSkippingEnv } from '../../src/local/time-skipping';
import type { ticketWorkflow } from '../../src/workflows';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { statusQuery } from '../../src/workflows/messages';
import { moveToQuietReference, WorkflowJanitor } from '../helpers/isolation';
import { recordingActivities } from '../helpers/recording-activities';
import { testWorkflowBundle } from '../helpers/workflow-bundle';

const EventType = proto.temporal.api.enums.v1.EventType;

let env: TestWorkflowEnvironment;
const janitor = new WorkflowJanitor();

beforeAll(async () => {
  env = await createTimeSkippingEnv({ client: janitor.clientOptions });
  await registerSearchAttributes(env.connection);
}, 120_000);

afterAll(async () => {
  await janitor.endAll(env.client);
  await env?.teardown();
});

test('a local attempt refused with Retry-After: 30 s hands over to the regular activity 30 s later', async () => {
  await moveToQuietReference(env);
  const { activities: base } = recordingActivities({
    route: 'general.how_to',
    requestType: 'General Inquiry',
    confidence: 0.9,
    reasons: ['test'],
  });
  let refused = 0;
  const activities = {
    ...base,
    readIssue: async (input: { key: string }) => {
      if (refused === 0) {
        refused += 1;
        throw jiraFailure(new RateLimitError('429', 'Too Many Requests', null, { retryAfterMs: 30_000 }), {
          ticket: input.key,
          action: 'read issue',
        });
      }
      return base.readIssue(input);
    },
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'retry-after',
    workflowBundle: testWorkflowBundle(),
    activities,
  });
  const handle = await env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
    workflowId: ticketWorkflowId('SS-311'),
    taskQueue: 'retry-after',
    args: [
      {
        key: 'SS-311',
        created: {
          key: 'SS-311',
          summary: 'Where do I change the proposal template?',
          description: 'Hello',
          reporter: 'pat@acme-solar.com',
          participants: [],
          created: new Date(await env.currentTimeMs()).toISOString(),
        },
      },
    ],
  });
  await worker.runUntil(async () => {
    await env.sleep('5 minutes');
    expect((await handle.query(statusQuery)).stage).not.toBe('intake');
  });
  expect(refused).toBe(1);
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.findIndex(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
      e.activityTaskScheduledEventAttributes?.activityType?.name === 'readIssue',
  );
  expect(scheduled).toBeGreaterThan(0);
  // The wait before the hand-over: a 30 s timer that fired before the regular readIssue was scheduled.
  const timer = events
    .slice(0, scheduled)
    .filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)
    .map((e) => Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0))
    .find((s) => s === 30);
  expect(timer).toBe(30);
}, 60_000);
