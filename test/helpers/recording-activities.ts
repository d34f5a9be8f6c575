/**
 * The real ticket workflow on the time-skipping server with in-memory activities that record every
 * call: for the steps a scenario cannot tell (what exactly each write carried, a refusal, an unknown
 * issue). One set-up per test file (`useRecordingWorkflows`), one ticket per test (`startTicket`).
 */
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Classification, DeskflowActivities, IssueSnapshot } from '../../src/activities/contract';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { defaultConfig } from '../../src/config/defaults';
import { createTimeSkippingEnv } from '../../src/local/time-skipping';
import type { ticketWorkflow } from '../../src/workflows';
import { ticketWorkflowId } from '../../src/workflows/ids';
import type { TicketCreatedEvent } from '../../src/workflows/messages';
import { moveToQuietReference, WorkflowJanitor } from './isolation';
import { testWorkflowBundle } from './workflow-bundle';

export interface RecordedCall {
  name: string;
  input: Record<string, unknown>;
}

export interface RecordingOptions {
  /** What `readIssue` answers beyond a plain service request. */
  issue?: Partial<IssueSnapshot>;
  /** Account id → e-mail, as `lookupAccount` answers it. */
  emails?: Record<string, string>;
  /** `readIssue` answers 404: Jira does not know the issue. */
  unknownIssue?: boolean;
  /** Replaces single activities (a refusal, a look-up answer); may read the calls so far. */
  override?: Partial<DeskflowActivities> | ((calls: RecordedCall[]) => Partial<DeskflowActivities>);
}

export function recordingActivities(
  classification: Classification,
  options: RecordingOptions = {},
): { activities: DeskflowActivities; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const now = () => new Date().toISOString();
  const issue = (key: string): IssueSnapshot => ({
    key,
    project: 'SS',
    issueType: 'Service Request',
    summary: 's',
    description: 'd',
    status: 'Waiting for support',
    resolution: null,
    created: now(),
    reporter: 'pat@customer.example',
    assignee: null,
    participants: [],
    watchers: [],
    organization: 'Customer Co',
    requestType: null,
    priority: null,
    labels: [],
    components: [],
    links: [],
    comments: [],
    attachments: [],
    ...options.issue,
  });
  const record =
    <I, O>(name: string, result: (input: I) => O) =>
    async (input: I): Promise<Awaited<O>> => {
      calls.push({ name, input: input as Record<string, unknown> });
      return await result(input);
    };
  const activities = {
    readIssue: record('readIssue', (i: { key: string }) => {
      if (options.unknownIssue)
        throw ApplicationFailure.create({ type: 'ERR_NOT_FOUND', message: 'Issue does not exist', nonRetryable: true });
      return issue(i.key);
    }),
    // A ticket nobody has touched yet: a run that did not see it arrive takes it as new.
    readTicketFacts: record('readTicketFacts', (i: { key: string }) => ({
      ...issue(i.key),
      statusCategory: 'new' as const,
      resolvedAt: null,
      firstPublicReplyAt: null,
      comments: 0,
      linked: [],
    })),
    assignIssue: record('assignIssue', () => undefined),
    updateIssueFields: record('updateIssueFields', () => undefined),
    addRequestParticipants: record('addRequestParticipants', () => undefined),
    removeRequestParticipants: record('removeRequestParticipants', () => undefined),
    addWatchers: record('addWatchers', () => undefined),
    addComment: record('addComment', () => ({ id: '1', created: now(), created_now: true })),
    transitionIssue: record('transitionIssue', () => undefined),
    createLinkedIssue: record('createLinkedIssue', (i: { project: string }) => ({ key: `${i.project}-9` })),
    linkIssues: record('linkIssues', () => undefined),
    countOpenIssuesByAssignee: record('countOpenIssuesByAssignee', () => ({})),
    searchIssues: record('searchIssues', () => []),
    searchIssueKeys: record('searchIssueKeys', () => []),
    findUserByEmail: record('findUserByEmail', (i: { email: string }) => ({ found: false as const, email: i.email })),
    lookupAccount: record('lookupAccount', (i: { accountId: string }) => ({
      accountId: i.accountId,
      email: options.emails?.[i.accountId] ?? null,
      displayName: null,
      accountType: null,
    })),
    postSlackMessage: record('postSlackMessage', () => ({
      sent: true as const,
      channel: 'C1',
      ts: '1',
      duplicate: false,
    })),
    createAhaIdea: record('createAhaIdea', () => ({ url: 'https://aha.example/1', referenceNum: 'I-1' })),
    loadWorkflowSettings: record('loadWorkflowSettings', () => ({
      ...defaultConfig,
      classificationThreshold: defaultConfig.classification.threshold,
    })),
    classifyTicket: record('classifyTicket', () => classification),
  } as unknown as DeskflowActivities;
  const override = typeof options.override === 'function' ? options.override(calls) : options.override;
  return { activities: { ...activities, ...override }, calls };
}

/** The Slack messages among the calls. */
export const slackMessages = (calls: RecordedCall[]) =>
  calls.filter((c) => c.name === 'postSlackMessage').map((c) => c.input as { to: string; text: string });

/** The bodies of the public comments among the calls. */
export const publicComments = (calls: RecordedCall[]) =>
  calls.filter((c) => c.name === 'addComment' && c.input.public === true).map((c) => String(c.input.body));

export interface RecordedTicket {
  worker: Worker;
  handle: WorkflowHandle<typeof ticketWorkflow>;
  calls: RecordedCall[];
}

export interface RecordingWorkflows {
  readonly env: TestWorkflowEnvironment;
  readonly janitor: WorkflowJanitor;
  /**
   * Starts the ticket's workflow on its own task queue with recording activities; `createdAgoMs` dates the
   * ticket back (deskflow was down when it arrived).
   */
  startTicket(
    key: string,
    classification: Classification,
    options?: RecordingOptions & { createdAgoMs?: number },
  ): Promise<RecordedTicket>;
}

/**
 * Registers the file's set-up: one time-skipping server, every test on a quiet Monday 09:00 whatever
 * today is, and no workflow left behind (a parked ticket whose timer fires on a queue nobody polls would
 * stop time skipping for every later test, issue 8).
 */
export function useRecordingWorkflows(): RecordingWorkflows {
  const janitor = new WorkflowJanitor();
  let env: TestWorkflowEnvironment | undefined;

  beforeAll(async () => {
    env = await createTimeSkippingEnv({ client: janitor.clientOptions });
    await registerSearchAttributes(env.connection);
  }, 120_000);

  beforeEach(async () => {
    if (env) await moveToQuietReference(env);
  });

  afterEach(async () => {
    if (env) await janitor.endAll(env.client);
  });

  afterAll(async () => {
    await env?.teardown();
  });

  const self: RecordingWorkflows = {
    get env() {
      if (!env) throw new Error('useRecordingWorkflows: used outside a test');
      return env;
    },
    janitor,
    async startTicket(key, classification, options = {}) {
      const taskQueue = `recorded-${key}`;
      const { activities, calls } = recordingActivities(classification, options);
      const worker = await Worker.create({
        connection: self.env.nativeConnection,
        taskQueue,
        workflowBundle: testWorkflowBundle(), // bundled once per test run (jest globalSetup)
        activities,
      });
      const created: TicketCreatedEvent = {
        key,
        summary: options.issue?.summary ?? 'How do I export a proposal?',
        description: options.issue?.description ?? 'Where is the PDF button?',
        reporter: options.issue?.reporter ?? 'pat@customer.example',
        participants: [],
        created: new Date((await self.env.currentTimeMs()) - (options.createdAgoMs ?? 0)).toISOString(),
      };
      const handle = await self.env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
        workflowId: ticketWorkflowId(key),
        taskQueue,
        args: [{ key, created }],
      });
      return { worker, handle, calls };
    },
  };
  return self;
}
