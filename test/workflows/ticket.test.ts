/**
 * The ticket workflow on the time-skipping server with recording activities: the SLA timers (S-01),
 * triage below the confidence threshold (S-03), stage validators on agent commands, and the
 * idempotency keys every write carries.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Classification, DeskflowActivities, IssueSnapshot } from '../../src/activities/contract';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { defaultConfig } from '../../src/config/defaults';
import { createTimeSkippingEnv } from '../../src/local/time-skipping';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { testWorkflowBundle } from '../helpers/workflow-bundle';
import {
  classifyUpdate,
  confirmUpdate,
  leadContactedUpdate,
  resolveUpdate,
  statusQuery,
  type TicketCreatedEvent,
} from '../../src/workflows/messages';
import type { ticketWorkflow } from '../../src/workflows';
import { moveToQuietReference, WorkflowJanitor } from '../helpers/isolation';

let env: TestWorkflowEnvironment;
const janitor = new WorkflowJanitor();

beforeAll(async () => {
  env = await createTimeSkippingEnv({ client: janitor.clientOptions });
  await registerSearchAttributes(env.connection);
}, 120_000);

// Each test starts on a quiet Monday 09:00, whatever today is, and leaves no workflow behind: a
// parked ticket whose timer fires on a queue nobody polls would stop time skipping for every later test.
beforeEach(async () => {
  await moveToQuietReference(env);
});

afterEach(async () => {
  await janitor.endAll(env.client);
});

afterAll(async () => {
  await env?.teardown();
});

/** In-memory activities that record every call; classification is fixed per test. */
function recordingActivities(classification: Classification) {
  const calls: { name: string; input: unknown }[] = [];
  const issue = (key: string): IssueSnapshot => ({
    key,
    project: 'SS',
    issueType: 'Service Request',
    summary: 's',
    description: 'd',
    status: 'Waiting for support',
    resolution: null,
    created: new Date().toISOString(),
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
  });
  const record =
    <T>(name: string, result: (input: never) => T) =>
    async (...args: never[]) => {
      calls.push({ name, input: args[0] });
      return result(args[0] as never);
    };
  const activities: DeskflowActivities = {
    readIssue: record('readIssue', (i: { key: string }) => issue(i.key)),
    assignIssue: record('assignIssue', () => undefined),
    updateIssueFields: record('updateIssueFields', () => undefined),
    addRequestParticipants: record('addRequestParticipants', () => undefined),
    removeRequestParticipants: record('removeRequestParticipants', () => undefined),
    addWatchers: record('addWatchers', () => undefined),
    addComment: record('addComment', () => ({ id: '1', created: new Date().toISOString(), created_now: true })),
    transitionIssue: record('transitionIssue', () => undefined),
    createLinkedIssue: record('createLinkedIssue', () => ({ key: 'CS-9' })),
    linkIssues: record('linkIssues', () => undefined),
    countOpenIssuesByAssignee: record('countOpenIssuesByAssignee', () => ({})),
    searchIssues: record('searchIssues', () => []),
    searchIssueKeys: record('searchIssueKeys', () => []),
    findUserByEmail: record('findUserByEmail', (i: { email: string }) => ({ found: false as const, email: i.email })),
    // A ticket nobody has touched yet: a run that did not see it arrive takes it as new.
    readTicketFacts: record('readTicketFacts', (i: { key: string }) => ({
      ...issue(i.key),
      statusCategory: 'new' as const,
      resolvedAt: null,
      firstPublicReplyAt: null,
      comments: 0,
      linked: [],
    })),
    lookupAccount: record('lookupAccount', (i: { accountId: string }) => ({
      accountId: i.accountId,
      email: null,
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
  };
  return { activities, calls };
}

async function startTicket(key: string, classification: Classification, override: Partial<DeskflowActivities> = {}) {
  const taskQueue = `ticket-test-${key}`;
  const recording = recordingActivities(classification);
  const calls = recording.calls;
  const activities = { ...recording.activities, ...override };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: testWorkflowBundle(), // bundled once per test run (jest globalSetup)
    activities,
  });
  const created: TicketCreatedEvent = {
    key,
    summary: 'How do I export a proposal?',
    description: 'Where is the PDF button?',
    reporter: 'pat@customer.example',
    participants: [],
    created: new Date(await env.currentTimeMs()).toISOString(),
  };
  const handle = await env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
    workflowId: ticketWorkflowId(key),
    taskQueue,
    args: [{ key, created }],
  });
  return { worker, handle, calls };
}

const howTo: Classification = {
  route: 'general.how_to',
  requestType: 'General Inquiry',
  confidence: 0.9,
  reasons: ['asks how to'],
};

test('S-01: a ticket left in triage warns the support channel at 80 % of the goal and the supervisor at the breach', async () => {
  const { worker, handle, calls } = await startTicket('SS-101', { ...howTo, confidence: 0.1 });
  await worker.runUntil(async () => {
    await env.sleep('95 minutes');
    const slackBefore = calls.filter((c) => c.name === 'postSlackMessage').map((c) => (c.input as { to: string }).to);
    expect(slackBefore).toEqual([defaultConfig.roles.supportChannel]); // the triage notice only
    await env.sleep('2 minutes'); // 97 min: past 96 min (80 % of 2 h)
    await env.sleep('24 minutes'); // 121 min: past the breach
    const slack = calls
      .filter((c) => c.name === 'postSlackMessage')
      .map((c) => c.input as { to: string; text: string });
    expect(slack.map((m) => m.to)).toEqual([
      defaultConfig.roles.supportChannel,
      defaultConfig.roles.supportChannel,
      defaultConfig.roles.supportSupervisor,
    ]);
    expect(slack[1]?.text).toMatch(/SLA warning/);
    expect(slack[2]?.text).toMatch(/breach/);
    const status = await handle.query(statusQuery);
    expect(status.stage).toBe('awaiting-triage');
  });
}, 60_000);

test('S-03: below the threshold the ticket waits for classify, then takes the agent’s route', async () => {
  const { worker, handle, calls } = await startTicket('SS-102', { ...howTo, confidence: 0.2 });
  await worker.runUntil(async () => {
    await env.sleep('1 minute');
    expect((await handle.query(statusQuery)).stage).toBe('awaiting-triage');
    expect(calls.some((c) => c.name === 'addComment' && /Needs triage/.test((c.input as { body: string }).body))).toBe(
      true,
    );
    await handle.executeUpdate(classifyUpdate, { args: [{ route: 'sales.lead', by: 'agent@sighten.io' }] });
    await env.sleep('1 minute');
    const status = await handle.query(statusQuery);
    expect(status.route).toBe('sales.lead');
    expect(status.stage).toBe('awaiting-sales-contact');
    expect(status.reasons.join(' ')).toMatch(/chosen by an agent/);
  });
}, 60_000);

test('a command at the wrong stage is refused with the reason and changes nothing', async () => {
  const { worker, handle, calls } = await startTicket('SS-103', howTo);
  await worker.runUntil(async () => {
    await env.sleep('5 minutes');
    const before = await handle.query(statusQuery);
    const writesBefore = calls.length;
    const refused = handle.executeUpdate(leadContactedUpdate, { args: [{ note: 'called them' }] });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/lead-contacted does not apply to SS-103 now: it is with-support/) },
    });
    await expect(handle.executeUpdate(resolveUpdate, { args: [{ note: '  ' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/--note .* is required/) },
    });
    await env.sleep('1 minute');
    const after = await handle.query(statusQuery);
    expect(after.stage).toBe(before.stage);
    expect(calls.length).toBe(writesBefore);
  });
}, 60_000);

test('every write carries its own idempotency key, derived from the workflow and the step', async () => {
  const { worker, handle, calls } = await startTicket('SS-104', howTo);
  await worker.runUntil(async () => {
    await env.sleep('5 minutes');
    await handle.executeUpdate(resolveUpdate, { args: [{ note: 'Use Export > PDF.' }] });
    await env.sleep('3 days');
  });
  const keys = calls
    .filter((c) => ['addComment', 'postSlackMessage', 'transitionIssue'].includes(c.name))
    .map((c) => (c.input as { opKey: string }).opKey);
  expect(keys.length).toBeGreaterThanOrEqual(3);
  expect(new Set(keys).size).toBe(keys.length);
  for (const k of keys) expect(k).toMatch(/^ticket-SS-104\/[\w-]+\/S-\d+/);
  const closing = calls
    .filter((c) => c.name === 'transitionIssue')
    .map((c) => c.input as { to: string; resolution?: string });
  expect(closing.length).toBeGreaterThanOrEqual(2); // S-11 back to support, S-15 closed
  expect(closing.at(-1)).toEqual({
    key: 'SS-104',
    to: 'Closed',
    resolution: 'Done',
    opKey: expect.stringMatching(/^ticket-SS-104\/[\w-]+\/S-15:transition:SS-104\/1$/),
  });
  expect((await handle.describe()).status.name).toBe('COMPLETED');
}, 60_000);

test('a step Jira refuses for good does not lose the ticket: support is told and it stays with them', async () => {
  const refuse = async () => {
    throw ApplicationFailure.nonRetryable('SS-105: Jira rejected requestType="General Inquiry"', 'ERR_JIRA_REJECTED');
  };
  const { worker, handle, calls } = await startTicket('SS-105', howTo, { updateIssueFields: refuse });
  await worker.runUntil(async () => {
    await env.sleep('5 minutes');
    const status = await handle.query(statusQuery);
    expect(status.stage).toBe('with-support');
    expect(status.timeline.some((e) => e.step === 'error' && /updateIssueFields failed for good/.test(e.text))).toBe(
      true,
    );
    const slack = calls
      .filter((c) => c.name === 'postSlackMessage')
      .map((c) => c.input as { to: string; text: string });
    expect(slack).toContainEqual(
      expect.objectContaining({
        to: defaultConfig.roles.supportChannel,
        text: expect.stringMatching(/could not go on with SS-105/),
      }),
    );
    await handle.executeUpdate(confirmUpdate, { args: [{ note: 'customer confirmed by phone' }] });
    await env.sleep('1 minute');
  });
  expect((await handle.describe()).status.name).toBe('COMPLETED');
}, 60_000);
