/**
 * A bot that is not a Jira administrator cannot create customers (issue 14 item 3): when S-05 must make a
 * new sender the reporter, the refusal names the missing permission, and the ticket is not lost: support
 * is told on Slack and the ticket stays with them.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activityDepsFromEnv, createActivities } from '../../src/activities';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { loadConfig, loadEnv } from '../../src/config';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { createDataConverter, SCENARIO_CODEC_KEYS } from '../../src/shared/data-converter';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { statusQuery, type TicketStatus } from '../../src/workflows/messages';
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
    // The bot holds no Jira Administrator permission.
    settings: { permissions: { jiraAdmins: [] } },
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

/** S-05: an agent forwards a customer's e-mail; the original sender (new to Jira) becomes the reporter. */
const FORWARDED = {
  summary: 'Fwd: How do I add a second inverter to a design?',
  description:
    '---------- Forwarded message ---------\nFrom: Luis Ortega <luis@canyonsolarworks.com>\nDate: Mon, Nov 1, 2027 at 9:12 AM\nSubject: How do I add a second inverter to a design?\nTo: <alex.morgan@sighten.io>\n\nHi Alex, how do I add a second inverter to a design? Thanks, Luis',
  reporter: 'alex.morgan@sighten.io',
};

test('S-05 with a bot that may not create customers: support is told on Slack, naming the permission, and the ticket stays with them', async () => {
  const taskQueue = uniqueTaskQueue('permissions');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: testWorkflowBundle(),
    dataConverter,
    activities: createActivities(activityDepsFromEnv(config, loadEnv({}), sandbox.url)),
  });
  const start = new Date(Math.max(await env.currentTimeMs(), START.getTime()));
  await sleepUntil(start);
  const { key } = sandbox.createTicket(FORWARDED);
  const handle = await env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
    workflowId: ticketWorkflowId(key),
    taskQueue,
    args: [{ key, created: { key, ...FORWARDED, participants: [], created: start.toISOString() } }],
  });
  try {
    await worker.runUntil(async () => {
      let s: TicketStatus = await handle.query(statusQuery);
      for (let i = 0; i < 100 && !s.timeline.some((e) => e.step === 'error'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        s = await handle.query(statusQuery);
      }
      const told = sandbox.state().slack.find((m) => m.to === config.roles.supportChannel && m.text.includes(key));
      expect(told?.text).toContain('Jira Administrator global permission');
      expect(told?.text).toContain('luis@canyonsolarworks.com');
      expect(s.stage).not.toBe('closed');
      expect(sandbox.issue(key)!.status).not.toBe('Closed');
    });
  } finally {
    await handle.terminate('test over').catch(() => undefined);
  }
}, 120_000);
