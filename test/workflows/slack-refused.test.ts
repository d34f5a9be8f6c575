/**
 * Issue 14 (Slack): a message Slack refuses for good (a channel deskflow is not in, a missing scope) is
 * noted on the ticket with Slack's reason, naming the channel and what is missing, not as an outage.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { defaultConfig } from '../../src/config/defaults';
import { createTimeSkippingEnv } from '../../src/local/time-skipping';
import type { ticketWorkflow } from '../../src/workflows';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { statusQuery } from '../../src/workflows/messages';
import { moveToQuietReference, WorkflowJanitor } from '../helpers/isolation';
import { recordingActivities } from '../helpers/recording-activities';
import { testWorkflowBundle } from '../helpers/workflow-bundle';

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

test('S-03 triage notice refused by Slack: the ticket notes why, naming #support and the missing scope', async () => {
  await moveToQuietReference(env);
  const refusal =
    'SS-301: Slack rejected post Slack message (to="#support"): not_in_channel (deskflow is not a member of the channel: invite the app, or grant it chat:write.public or channels:join)';
  const { activities, calls } = recordingActivities(
    { route: 'general.how_to', requestType: 'General Inquiry', confidence: 0.1, reasons: ['unsure'] },
    {
      override: {
        postSlackMessage: async () => {
          throw ApplicationFailure.nonRetryable(refusal, 'ERR_PERMISSION_DENIED');
        },
      },
    },
  );
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'slack-refused',
    workflowBundle: testWorkflowBundle(),
    activities,
  });
  const handle = await env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
    workflowId: ticketWorkflowId('SS-301'),
    taskQueue: 'slack-refused',
    args: [
      {
        key: 'SS-301',
        created: {
          key: 'SS-301',
          summary: 'Something odd',
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
    expect((await handle.query(statusQuery)).stage).toBe('awaiting-triage');
  });
  const notes = calls
    .filter((c) => c.name === 'addComment')
    .map((c) => (c.input as { body: string }).body)
    .filter((b) => b.startsWith(`Slack to ${defaultConfig.roles.supportChannel}`));
  expect(notes).toHaveLength(1);
  expect(notes[0]).toContain('was refused');
  expect(notes[0]).toContain('not_in_channel');
  expect(notes[0]).toContain('chat:write.public');
}, 60_000);
