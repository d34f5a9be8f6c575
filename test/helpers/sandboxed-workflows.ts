/**
 * The real ticket workflow and the real activities against the sandbox, on one time-skipping server per
 * test file. The sandbox's clock follows the server's (so Jira's timestamps are the virtual ones), every
 * workflow a test starts is ended after it (the WorkflowJanitor, issue 8), and a start date is pinned far
 * from today: the suite never depends on the day it runs.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activityDepsFromEnv, createActivities } from '../../src/activities';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { loadEnv } from '../../src/config';
import type { DeskflowConfig } from '../../src/config/schema';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';
import { createDataConverter, SCENARIO_CODEC_KEYS } from '../../src/shared/data-converter';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { statusQuery, type TicketStatus } from '../../src/workflows/messages';
import type { ticketWorkflow } from '../../src/workflows';
import { WorkflowJanitor } from './isolation';
import { createTimeSkippingEnv, uniqueTaskQueue } from './temporal';
import { testWorkflowBundle } from './workflow-bundle';

/** Monday 4 March 2030, 10:00 in Los Angeles: a pinned start, far from any real date. */
export const PINNED_START = new Date('2030-03-04T18:00:00Z');

export const dataConverter = createDataConverter(SCENARIO_CODEC_KEYS);

/** A ticket as a customer sends it (the sandbox fills in the rest). */
export type TicketInput = Parameters<Sandbox['createTicket']>[0];

/** a company change handled on a CS ticket. */
export const CONTRACT_CHANGE: TicketInput = {
  summary: 'Update our contract template',
  description:
    'We revised our installation agreement and need the contract template in Sighten replaced with the new version. The new PDF is attached.',
  reporter: 'admin@greenfieldpower.example',
  // R-08 collects the documents before the CS ticket (issue 9): this one came with it.
  attachments: ['installation-agreement-v2.pdf'],
};

export interface SandboxedWorkflows {
  readonly env: TestWorkflowEnvironment;
  readonly sandbox: Sandbox;
  /** Skips the server's (and the sandbox's) clock to `at`; never backwards. */
  sleepUntil(at: Date): Promise<void>;
  /** The pinned start, or `days` later than the server's clock if that has passed it already. */
  nextStart(days?: number): Promise<Date>;
  /** A worker on a fresh task queue with the real activities, configured by `config`. */
  worker(
    config: DeskflowConfig,
    options?: { maxCachedWorkflows?: number; taskQueue?: string },
  ): Promise<{ worker: Worker; taskQueue: string }>;
  /** Creates the ticket in the sandbox and starts its workflow directly, as the relay would. */
  startTicket(
    taskQueue: string,
    at: Date,
    ticket: TicketInput,
  ): Promise<{ key: string; handle: WorkflowHandle<typeof ticketWorkflow> }>;
}

/** Registers the file's beforeAll/afterEach/afterAll and returns the handles the tests use. */
export function useSandboxedWorkflows(
  config: DeskflowConfig,
  sandboxOptions: Partial<SandboxOptions> = {},
): SandboxedWorkflows {
  const janitor = new WorkflowJanitor();
  let env: TestWorkflowEnvironment | undefined;
  let sandbox: Sandbox | undefined;
  let virtualNow = 0;

  beforeAll(async () => {
    env = await createTimeSkippingEnv({ client: { dataConverter, ...janitor.clientOptions } });
    await registerSearchAttributes(env.connection);
    sandbox = await startSandbox({
      port: 0,
      internalDomains: config.roles.internalDomains,
      now: () => new Date(virtualNow),
      ...sandboxOptions,
    });
  }, 120_000);

  afterEach(async () => {
    if (env) await janitor.endAll(env.client);
  });

  afterAll(async () => {
    await sandbox?.close();
    await env?.teardown();
  });

  const ready = () => {
    if (!env || !sandbox) throw new Error('useSandboxedWorkflows: used outside a test');
    return { env, sandbox };
  };

  const self: SandboxedWorkflows = {
    get env() {
      return ready().env;
    },
    get sandbox() {
      return ready().sandbox;
    },
    async sleepUntil(at) {
      const now = await self.env.currentTimeMs();
      if (at.getTime() > now) await self.env.sleep(at.getTime() - now);
      virtualNow = await self.env.currentTimeMs();
    },
    async nextStart(days = 0) {
      const now = await self.env.currentTimeMs();
      return now <= PINNED_START.getTime() ? PINNED_START : new Date(now + days * 86_400_000);
    },
    async worker(workerConfig, options = {}) {
      const taskQueue = options.taskQueue ?? uniqueTaskQueue('sandboxed');
      const worker = await Worker.create({
        connection: self.env.nativeConnection,
        taskQueue,
        workflowBundle: testWorkflowBundle(),
        dataConverter,
        activities: createActivities(activityDepsFromEnv(workerConfig, loadEnv({}), self.sandbox.url)),
        ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
      });
      return { worker, taskQueue };
    },
    async startTicket(taskQueue, at, ticket) {
      const { key } = self.sandbox.createTicket(ticket);
      const handle = await self.env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
        workflowId: ticketWorkflowId(key),
        taskQueue,
        args: [{ key, created: { key, ...ticket, participants: [], created: at.toISOString() } }],
      });
      return { key, handle };
    },
  };
  return self;
}

/** Polls the status query (real time, bounded) until `done` holds; returns the last answer. */
export async function statusWhen(
  handle: WorkflowHandle<typeof ticketWorkflow>,
  done: (s: TicketStatus) => boolean,
  tries = 100,
): Promise<TicketStatus> {
  let s = await handle.query(statusQuery);
  for (let i = 0; i < tries && !done(s); i++) {
    await new Promise((r) => setTimeout(r, 100));
    s = await handle.query(statusQuery);
  }
  return s;
}
