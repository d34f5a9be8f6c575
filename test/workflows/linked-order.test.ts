/**
 * Jira delivers webhooks late, twice and out of order. A linked-issue event carries the time of the
 * change (the webhook's `timestamp`), and the ticket workflow ignores one older than the newest it
 * recorded: a late "In Progress" after "Done" does not put the CS status back (issue 14).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activityDepsFromEnv, createActivities } from '../../src/activities';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { loadConfig, loadEnv } from '../../src/config';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { createDataConverter, SCENARIO_CODEC_KEYS } from '../../src/shared/data-converter';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { linkedIssueChangedSignal, statusQuery, type TicketStatus } from '../../src/workflows/messages';
import type { ticketWorkflow } from '../../src/workflows';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../helpers/temporal';
import { testWorkflowBundle } from '../helpers/workflow-bundle';

const dataConverter = createDataConverter(SCENARIO_CODEC_KEYS);
const config = loadConfig({ overrides: { calendar: { holidays: 'none' } } });
/** Monday 4 March 2030, 10:00 in Los Angeles: a pinned start, far from any real date. */
const START = new Date('2030-03-04T18:00:00Z');

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let virtualNow = 0;

beforeAll(async () => {
  env = await createTimeSkippingEnv({ client: { dataConverter } });
  await registerSearchAttributes(env.connection);
  sandbox = await startSandbox({
    port: 0,
    internalDomains: config.roles.internalDomains,
    now: () => new Date(virtualNow),
  });
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await env?.teardown();
});

async function sleepUntil(at: Date): Promise<void> {
  const now = await env.currentTimeMs();
  if (at.getTime() > now) await env.sleep(at.getTime() - now);
  virtualNow = await env.currentTimeMs();
}

/** a company change handled on a CS ticket. */
const CONTRACT_CHANGE = {
  summary: 'Update our contract template',
  description:
    'We revised our installation agreement and need the contract template in Sighten replaced with the new version. The new PDF is attached.',
  reporter: 'admin@greenfieldpower.example',
  // R-08 collects the documents before the CS ticket (issue 9): this one came with it.
  attachments: ['installation-agreement-v2.pdf'],
};

/** Creates a ticket in the sandbox and starts its workflow directly (no relay needed). */
async function startTicket(taskQueue: string, at: Date, ticket: typeof CONTRACT_CHANGE) {
  const { key } = sandbox.createTicket(ticket);
  const handle = await env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
    workflowId: ticketWorkflowId(key),
    taskQueue,
    args: [{ key, created: { key, ...ticket, participants: [], created: at.toISOString() } }],
  });
  return { key, handle };
}

test('a stale "In Progress" delivered after "Done" does not put the CS status back', async () => {
  const taskQueue = uniqueTaskQueue('linked-order');
  const newWorker = () =>
    Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: testWorkflowBundle(),
      dataConverter,
      activities: createActivities(activityDepsFromEnv(config, loadEnv({}), sandbox.url)),
      // No sticky cache: the second worker takes the workflow over at once.
      maxCachedWorkflows: 0,
    });
  const first = await newWorker();
  const start = new Date(Math.max(await env.currentTimeMs(), START.getTime()) + 14 * 86_400_000);
  await sleepUntil(start);
  const { handle } = await startTicket(taskQueue, start, CONTRACT_CHANGE);
  const stageReached = async (stage: string): Promise<TicketStatus> => {
    let s = await handle.query(statusQuery);
    for (let i = 0; i < 100 && s.stage !== stage; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await handle.query(statusQuery);
    }
    return s;
  };
  try {
    let cs = '';
    await first.runUntil(async () => {
      const s = await stageReached('awaiting-cs');
      expect(s.stage).toBe('awaiting-cs');
      cs = s.linkedIssues[0]!;
    });
    // Both arrive while no worker runs, so the workflow sees them in one activation: the newer change
    // first, then the late delivery of the older one.
    const base = await env.currentTimeMs();
    await handle.signal(linkedIssueChangedSignal, {
      key: cs,
      project: 'CS',
      status: 'Done',
      from: 'In Progress',
      by: null,
      at: new Date(base + 3_600_000).toISOString(),
    });
    await handle.signal(linkedIssueChangedSignal, {
      key: cs,
      project: 'CS',
      status: 'In Progress',
      from: 'To Do',
      by: null,
      at: new Date(base + 1_800_000).toISOString(),
    });
    await (
      await newWorker()
    ).runUntil(async () => {
      expect((await stageReached('awaiting-confirmation')).stage).toBe('awaiting-confirmation');
    });
  } finally {
    await handle.terminate('test over').catch(() => undefined);
  }
}, 120_000);
