/**
 * Issue 9 (who is who): Jira Cloud's webhooks, signed with X-Hub-Signature and shaped exactly as Jira
 * Cloud sends them (accountId, displayName, accountType, no emailAddress), through the real relay to the
 * real ticket workflow (recording activities): deskflow's own comment is ignored, an agent's public reply
 * stops the first-response SLA, and a customer's reply wakes the ticket.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { signBody } from '../../src/client/relay/auth';
import { startRelay, type Relay } from '../../src/client/relay/server';
import { defaultConfig } from '../../src/config/defaults';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { classifyUpdate, commentAddedSignal, needsInputUpdate, statusQuery } from '../../src/workflows/messages';
import { moveToQuietReference } from '../helpers/isolation';
import { testWorkflowBundle } from '../helpers/workflow-bundle';
import { recordingActivities } from '../helpers/recording-activities';
import { cloudCommentCreated, cloudIssueCreated, type CloudUser } from './fixtures/cloud-webhooks';
import { createClientTestEnv, janitor, recordedSignals } from './helpers';

const SECRET = 'identity-test-secret-long-enough';
const TASK_QUEUE = 'relay-identity-test';

const DESKFLOW: CloudUser = {
  accountId: '712020:0d1e2f3a-aaaa-4bbb-8ccc-000000000001',
  displayName: 'deskflow',
  accountType: 'atlassian',
};
const AGENT: CloudUser = {
  accountId: '712020:0d1e2f3a-aaaa-4bbb-8ccc-000000000002',
  displayName: 'Alex Morgan',
  accountType: 'atlassian',
};
const CUSTOMER: CloudUser = {
  accountId: 'qm:5b1c2d3e-0000-4000-8000-00000000c0de:1a2b3c4d-0000-4000-8000-00000000c0de',
  displayName: 'Pat Customer',
  accountType: 'customer',
};
const AUTOMATION: CloudUser = {
  accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
  displayName: 'Automation for Jira',
  accountType: 'app',
};
/** What Jira's user API answers for each account (the webhook never says). */
const EMAILS: Record<string, string> = {
  [AGENT.accountId]: 'alex.morgan@sighten.io',
  [CUSTOMER.accountId]: 'pat@acme-solar.com',
};

let env: TestWorkflowEnvironment;
let relay: Relay;
let whoAmICalls = 0;
const recording = recordingActivities(
  { route: 'general.how_to', requestType: 'General Inquiry', confidence: 0.1, reasons: ['unsure'] },
  {
    emails: EMAILS,
    issue: {
      summary: 'Where do I change the proposal template?',
      reporter: 'pat@acme-solar.com',
      organization: 'Acme Solar',
    },
  },
);
const calls = recording.calls;

beforeAll(async () => {
  env = await createClientTestEnv();
  relay = await startRelay({
    client: env.client,
    taskQueue: TASK_QUEUE,
    config: defaultConfig,
    port: 0,
    webhookSecret: SECRET,
    log: () => {},
    whoAmI: () => {
      whoAmICalls++;
      return Promise.resolve(DESKFLOW.accountId);
    },
  });
}, 120_000);

afterAll(async () => {
  await janitor.endAll(env.client);
  await relay?.close();
  await env?.teardown();
});

async function post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = JSON.stringify(body);
  const res = await fetch(`${relay.url}/webhooks/jira`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature': signBody(SECRET, raw),
      'x-atlassian-webhook-identifier': `cloud-${Math.random().toString(36).slice(2)}`,
    },
    body: raw,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test("deskflow's own comment is ignored, an agent's public reply stops the SLA, a customer's reply wakes the ticket", async () => {
  await moveToQuietReference(env);
  const key = 'SS-901';
  const workflowId = ticketWorkflowId(key);
  janitor.track(workflowId);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: testWorkflowBundle(),
    activities: recording.activities,
  });
  const at = async () => new Date(await env.currentTimeMs()).toISOString();
  let comment = 500;
  const say = async (author: CloudUser, body: string, jsdPublic = true) =>
    post(cloudCommentCreated(key, { id: String(++comment), author, body, jsdPublic, created: await at() }));

  await worker.runUntil(async () => {
    expect((await post(cloudIssueCreated(key, CUSTOMER, await at()))).status).toBe(200);
    await env.sleep('1 minute');
    const handle = env.client.workflow.getHandle(workflowId);
    expect((await handle.query(statusQuery)).stage).toBe('awaiting-triage');
    // The reporter's e-mail came from Jira's user API by account id, not from the webhook.
    expect(calls).toContainEqual({ name: 'lookupAccount', input: { accountId: CUSTOMER.accountId } });

    // deskflow's own comment (its account, learned from "myself"): acknowledged, never signalled.
    const echo = await say(DESKFLOW, 'We have received your request.');
    expect(echo).toMatchObject({ status: 200, json: { ignored: expect.stringMatching(/deskflow's own/) } });
    expect(whoAmICalls).toBe(1);

    // The desk's automation (an app account) is the desk's side, never a customer.
    await say(AUTOMATION, 'Thank you for your request.');
    // An agent's public reply typed in Jira: staff, so the first-response SLA stops.
    await say(AGENT, 'Hi Pat, go to Settings > Templates.');
    await env.sleep('1 minute');
    const answered = await handle.query(statusQuery);
    expect(answered.firstResponseAt).not.toBeNull();
    await env.sleep('2 hours');
    const slack = calls.filter((c) => c.name === 'postSlackMessage').map((c) => (c.input as { text: string }).text);
    expect(slack.filter((t) => /SLA|breach/.test(t))).toEqual([]);

    // The agent asks the customer; the customer's reply wakes the ticket.
    await handle.executeUpdate(classifyUpdate, { args: [{ route: 'general.how_to', by: 'alex.morgan@sighten.io' }] });
    await env.sleep('1 minute');
    await handle.executeUpdate(needsInputUpdate, {
      args: [{ question: 'Which template do you mean?', by: 'alex.morgan@sighten.io' }],
    });
    await env.sleep('1 minute');
    expect((await handle.query(statusQuery)).stage).toBe('awaiting-customer');
    await say(CUSTOMER, 'The one for residential proposals.');
    await env.sleep('1 minute');
    const woken = await handle.query(statusQuery);
    expect(woken.stage).not.toBe('awaiting-customer');
    expect(woken.timeline.some((e) => /Customer public comment/.test(e.text))).toBe(true);
  });

  const comments = (await recordedSignals(env.client, key))
    .filter((s) => s.name === commentAddedSignal.name)
    .map((s) => s.input as { authorAccountId: string; authorKind: string; byStaff: boolean; author: string | null });
  expect(comments.map((c) => [c.authorAccountId, c.authorKind, c.byStaff, c.author])).toEqual([
    [AUTOMATION.accountId, 'app', true, null],
    [AGENT.accountId, 'staff', true, null],
    [CUSTOMER.accountId, 'customer', false, null],
  ]);
}, 120_000);
