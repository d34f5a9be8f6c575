/**
 * S-01's queue sweep (src/workflows/sweep.ts) on the time-skipping server: every interval it starts a
 * ticket workflow for each open ticket that has none, leaves tickets that have one alone, hands itself over
 * to a new run before its history grows long, and is started once however often the stack asks.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DeskflowActivities } from '../../src/activities/contract';
import { ensureQueueSweep, queueSweepDone } from '../../src/client/queue-sweep';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { defaultConfig } from '../../src/config/defaults';
import { createTimeSkippingEnv } from '../../src/local/time-skipping';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { QUEUE_SWEEP_WORKFLOW_ID, queueSweepStatusQuery } from '../../src/workflows/sweep';
import { moveToQuietReference, WorkflowJanitor } from '../helpers/isolation';
import { testWorkflowBundle } from '../helpers/workflow-bundle';

let env: TestWorkflowEnvironment;
const janitor = new WorkflowJanitor();

beforeAll(async () => {
  env = await createTimeSkippingEnv({ client: janitor.clientOptions });
  await registerSearchAttributes(env.connection);
  await moveToQuietReference(env);
}, 120_000);

afterAll(async () => {
  await janitor.endAll(env.client);
  await env?.teardown();
});

test('the sweep adopts open tickets without a workflow every 20 minutes, once each, across continue-as-new', async () => {
  const open = ['SS-1', 'SS-2'];
  const searches: string[] = [];
  const notFound = () => {
    // The ticket runs the sweep starts end at once here: Jira "does not know" them.
    throw ApplicationFailure.create({ type: 'ERR_NOT_FOUND', message: 'Issue does not exist', nonRetryable: true });
  };
  const activities = {
    loadWorkflowSettings: async () => ({
      ...defaultConfig,
      classificationThreshold: defaultConfig.classification.threshold,
    }),
    searchIssueKeys: async ({ jql }: { jql: string }) => {
      searches.push(jql);
      return [...open];
    },
    readIssue: async () => notFound(),
    readTicketFacts: async () => notFound(),
  } as unknown as DeskflowActivities;
  const taskQueue = 'queue-sweep-test';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: testWorkflowBundle(),
    activities,
  });
  await worker.runUntil(async () => {
    expect(await ensureQueueSweep(env.client, taskQueue)).toBe(true);
    expect(await ensureQueueSweep(env.client, taskQueue)).toBe(false); // idempotent: one sweep
    await queueSweepDone(env.client);
    const sweep = env.client.workflow.getHandle(QUEUE_SWEEP_WORKFLOW_ID);
    expect((await sweep.query(queueSweepStatusQuery)).started).toEqual(['SS-1', 'SS-2']);
    expect(searches[0]).toBe('project = SS AND statusCategory != Done ORDER BY created ASC');
    for (const key of ['SS-1', 'SS-2']) {
      expect((await env.client.workflow.getHandle(ticketWorkflowId(key)).describe()).type).toBe('ticketWorkflow');
    }

    open.push('SS-3');
    await env.sleep('19 minutes');
    expect((await sweep.query(queueSweepStatusQuery)).started).toEqual(['SS-1', 'SS-2']);
    await env.sleep('2 minutes');
    expect((await sweep.query(queueSweepStatusQuery)).started).toEqual(['SS-1', 'SS-2', 'SS-3']);

    const firstRun = (await sweep.describe()).runId;
    await env.sleep('25 hours');
    const later = await sweep.query(queueSweepStatusQuery);
    expect((await sweep.describe()).runId).not.toBe(firstRun); // handed over (continue-as-new)
    expect((await sweep.describe()).status.name).toBe('RUNNING');
    expect(later.started).toEqual([]); // nothing started twice
    expect(searches.length).toBeGreaterThan(70);
    await sweep.terminate('test over');
  });
}, 120_000);
