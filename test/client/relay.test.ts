/**
 * The webhook relay against a real Temporal (time-skipping) server. No worker runs: signalWithStart
 * records the start and the signal in the history, which is what these tests read.
 */
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { signBody } from '../../src/client/relay/auth';
import { startRelay, type Relay } from '../../src/client/relay/server';
import { defaultConfig } from '../../src/config/defaults';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { commentAddedSignal, linkedIssueChangedSignal, ticketCreatedSignal } from '../../src/workflows/messages';
import { ticketKeyAttribute } from '../../src/workflows/search-attributes';
import { commentCreated, issueCreated, linkedIssueEvent } from './fixtures/webhooks';
import { closedPort, createClientTestEnv, janitor, noWorkflow, recordedSignals, startedRuns } from './helpers';

const SECRET = 'relay-test-secret-of-some-length';
let env: TestWorkflowEnvironment;
let relay: Relay;
const logs: string[] = [];
let delivery = 0;

beforeAll(async () => {
  env = await createClientTestEnv();
  relay = await startRelay({
    client: env.client,
    taskQueue: 'relay-test',
    config: defaultConfig,
    port: 0,
    webhookSecret: SECRET,
    log: (line) => logs.push(line),
  });
});

afterEach(async () => {
  await janitor.endAll(env.client);
});

afterAll(async () => {
  await relay?.close();
  await env?.teardown();
});

interface PostOptions {
  auth?: 'signature' | 'shared' | 'bad-signature' | 'bad-shared' | 'none';
  deliveryId?: string;
  raw?: string;
}

async function post(
  body: unknown,
  options: PostOptions = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = options.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-atlassian-webhook-identifier': options.deliveryId ?? `delivery-${++delivery}`,
  };
  const auth = options.auth ?? 'signature';
  if (auth === 'signature') headers['x-hub-signature'] = signBody(SECRET, raw);
  if (auth === 'bad-signature') headers['x-hub-signature'] = signBody('not-the-secret', raw);
  if (auth === 'shared') headers['x-deskflow-webhook-secret'] = SECRET;
  if (auth === 'bad-shared') headers['x-deskflow-webhook-secret'] = 'guess';
  const res = await fetch(`${relay.url}/webhooks/jira`, { method: 'POST', headers, body: raw });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test.each(['bad-signature', 'bad-shared', 'none'] as const)('auth %s → 401 and no workflow started', async (auth) => {
  const key = `SS-${auth === 'none' ? 11 : auth === 'bad-shared' ? 12 : 13}`;
  const res = await post(issueCreated(key), { auth });
  expect(res.status).toBe(401);
  expect(typeof res.json.error).toBe('string');
  expect(await noWorkflow(env.client, key)).toBe(true);
});

test('a body altered after signing is refused (the HMAC covers the raw bytes)', async () => {
  const body = JSON.stringify(issueCreated('SS-14'));
  const res = await fetch(`${relay.url}/webhooks/jira`, {
    method: 'POST',
    headers: { 'x-hub-signature': signBody(SECRET, body), 'content-type': 'application/json' },
    body: body.replace('SS-14', 'SS-15'),
  });
  expect(res.status).toBe(401);
  expect(await noWorkflow(env.client, 'SS-15')).toBe(true);
});

test('malformed payload → 400 naming the missing path, no workflow', async () => {
  const body = issueCreated('SS-21');
  delete (body.issue as { fields: Record<string, unknown> }).fields.project;
  const res = await post(body);
  expect(res.status).toBe(400);
  expect(res.json.error).toMatch(/issue\.fields\.project/);
  expect(await noWorkflow(env.client, 'SS-21')).toBe(true);

  const notJson = await post(null, { raw: '{"webhookEvent": "jira:issue_created", ' });
  expect(notJson.status).toBe(400);
  expect(notJson.json.error).toMatch(/not JSON/);

  const badDate = await post(issueCreated('SS-22', { created: 'last tuesday' }));
  expect(badDate.status).toBe(400);
  expect(badDate.json.error).toMatch(/issue\.fields\.created/);
  expect(await noWorkflow(env.client, 'SS-22')).toBe(true);
});

test('issue_created (shared-secret header) starts ticket-<KEY> with its signal and TicketKey attribute', async () => {
  const res = await post(issueCreated('SS-31', { participants: ['ann@sunpeaksolar.com'] }), { auth: 'shared' });
  expect(res.status).toBe(200);
  expect(res.json.signalled).toEqual([ticketWorkflowId('SS-31')]);
  const handle = env.client.workflow.getHandle(ticketWorkflowId('SS-31'));
  const description = await handle.describe();
  expect(description.type).toBe('ticketWorkflow');
  expect(description.taskQueue).toBe('relay-test');
  expect(description.typedSearchAttributes.get(ticketKeyAttribute)).toBe('SS-31');
  expect(await recordedSignals(env.client, 'SS-31')).toEqual([
    {
      name: ticketCreatedSignal.name,
      input: {
        key: 'SS-31',
        summary: 'Proposal PDF export shows blank totals',
        description: 'When I export the proposal to PDF the totals are empty.',
        reporter: 'pat@sunpeaksolar.com',
        participants: ['ann@sunpeaksolar.com'],
        created: '2026-11-25T17:00:00.000Z',
      },
    },
  ]);
});

test('issue_created delivered twice → one workflow; a redelivery with the same identifier is a no-op', async () => {
  expect((await post(issueCreated('SS-41'), { deliveryId: 'same-id' })).status).toBe(200);
  const again = await post(issueCreated('SS-41'), { deliveryId: 'same-id' });
  expect(again).toEqual({ status: 200, json: { duplicate: true } });
  // A second, distinct delivery of the same event reaches the same run (the workflow dedups it).
  expect((await post(issueCreated('SS-41'))).status).toBe(200);
  expect(await startedRuns(env.client, 'SS-41')).toBe(1);
  const signals = await recordedSignals(env.client, 'SS-41');
  expect(signals.map((s) => s.name)).toEqual([ticketCreatedSignal.name, ticketCreatedSignal.name]);
});

test('a late issue_created after the ticket workflow closed starts nothing (REJECT_DUPLICATE)', async () => {
  expect((await post(issueCreated('SS-51'))).status).toBe(200);
  const handle = env.client.workflow.getHandle(ticketWorkflowId('SS-51'));
  const firstRun = (await handle.describe()).runId;
  await handle.terminate('test: ticket closed');
  const late = await post(issueCreated('SS-51'));
  expect(late).toMatchObject({ status: 200, json: { ignored: 'ticket already closed' } });
  const after = await env.client.workflow.getHandle(ticketWorkflowId('SS-51')).describe();
  expect(after.runId).toBe(firstRun);
  expect(after.status.name).toBe('TERMINATED');
});

test('a customer comment is signalled; the bot echo is ignored and starts nothing', async () => {
  const res = await post(commentCreated('SS-61', { id: '9001', by: 'pat@sunpeaksolar.com', body: 'Any news?' }));
  expect(res.status).toBe(200);
  expect(await recordedSignals(env.client, 'SS-61')).toEqual([
    {
      name: commentAddedSignal.name,
      input: {
        commentId: '9001',
        author: 'pat@sunpeaksolar.com',
        body: 'Any news?',
        public: true,
        byStaff: false,
        created: '2026-11-25T18:15:00.000Z',
      },
    },
  ]);

  const echo = await post(
    commentCreated('SS-62', { id: '9002', by: defaultConfig.jira.botEmail, body: 'We are on it' }),
  );
  expect(echo.status).toBe(200);
  expect(echo.json.ignored).toEqual(expect.any(String));
  expect(await noWorkflow(env.client, 'SS-62')).toBe(true);
});

test('a CS status change is routed to the SS ticket that owns it', async () => {
  expect((await post(issueCreated('SS-71'))).status).toBe(200);
  const res = await post(
    linkedIssueEvent('CS-7', 'SS-71', { from: 'In Progress', to: 'On Hold', by: 'cfg@sighten.io' }),
  );
  expect(res.status).toBe(200);
  expect(res.json.signalled).toEqual([ticketWorkflowId('SS-71')]);
  expect(await startedRuns(env.client, 'SS-71')).toBe(1);
  const signals = await recordedSignals(env.client, 'SS-71');
  expect(signals[1]).toEqual({
    name: linkedIssueChangedSignal.name,
    input: {
      key: 'CS-7',
      project: 'CS',
      status: 'On Hold',
      from: 'In Progress',
      by: 'cfg@sighten.io',
      at: expect.any(String),
    },
  });
  expect(await noWorkflow(env.client, 'CS-7')).toBe(true);
});

test('issuelink_created is acknowledged with 202 and ignored', async () => {
  const res = await post({
    webhookEvent: 'issuelink_created',
    issueLink: { id: 1, sourceIssueId: 10001, destinationIssueId: 20001 },
  });
  expect(res.status).toBe(202);
  expect(res.json.ignored).toMatch(/issuelink_created/);
});

test('GET /healthz answers 503 while no worker polls the task queue; unknown paths are 404', async () => {
  const res = await fetch(`${relay.url}/healthz`);
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ status: 'unavailable', temporal: 'reachable' });
  expect((await fetch(`${relay.url}/nope`)).status).toBe(404);
  expect((await fetch(`${relay.url}/webhooks/jira`)).status).toBe(405);
});

test('Temporal unreachable → 503 for webhooks (Jira retries) and /healthz; no secret on loopback → one warning', async () => {
  const connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}` });
  const lines: string[] = [];
  const offline = await startRelay({
    client: new Client({ connection }),
    taskQueue: 'relay-test',
    config: defaultConfig,
    port: 0,
    log: (line) => lines.push(line),
    temporalTimeoutMs: 1000,
  });
  try {
    for (const key of ['SS-81', 'SS-82']) {
      const res = await fetch(`${offline.url}/webhooks/jira`, {
        method: 'POST',
        body: JSON.stringify(issueCreated(key)),
      });
      expect(res.status).toBe(503);
    }
    expect(lines.filter((l) => /WEBHOOK_SECRET/.test(l))).toHaveLength(1);
    const health = await fetch(`${offline.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable', temporal: 'unreachable' });
  } finally {
    await offline.close();
    await connection.close();
  }
});

test('a forged comment (valid signature, one byte changed) is answered 401 and reaches no workflow', async () => {
  expect((await post(issueCreated('SS-91'))).status).toBe(200);
  const before = await recordedSignals(env.client, 'SS-91');
  const raw = JSON.stringify(
    commentCreated('SS-91', { id: '9101', by: 'pat@sunpeaksolar.com', body: 'Thanks, that worked, you can close' }),
  );
  const signature = signBody(SECRET, raw);
  const forged = raw.replace('you can close', 'you can closE');
  const attempts: Record<string, string>[] = [
    {},
    { 'x-hub-signature': signature },
    { 'x-hub-signature': signBody('guessed-secret', raw) },
  ];
  for (const headers of attempts) {
    const res = await fetch(`${relay.url}/webhooks/jira`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: Object.keys(headers).length ? forged : raw,
    });
    expect(res.status).toBe(401);
  }
  expect(await recordedSignals(env.client, 'SS-91')).toEqual(before);
});

test('a body over 1 MB is answered 413 before it is read, with or without Content-Length', async () => {
  const big = JSON.stringify({ webhookEvent: 'jira:issue_created', padding: 'x'.repeat(1024 * 1024 + 10) });
  const declared = await fetch(`${relay.url}/webhooks/jira`, {
    method: 'POST',
    headers: { 'x-hub-signature': signBody(SECRET, big) },
    body: big,
  });
  expect(declared.status).toBe(413);
  expect(((await declared.json()) as { error: string }).error).toMatch(/larger than 1048576 bytes/);

  // Chunked: no Content-Length, so the relay counts as it reads and stops at the limit.
  const chunks = (async function* () {
    for (let i = 0; i < 40; i++) yield new TextEncoder().encode('y'.repeat(64 * 1024));
  })();
  const chunked = await fetch(`${relay.url}/webhooks/jira`, {
    method: 'POST',
    body: ReadableStream.from(chunks),
    duplex: 'half',
  } as RequestInit);
  expect(chunked.status).toBe(413);
});

test('JSON beyond the bounds (depth, key length) and over-long keys or delivery ids are refused with 400', async () => {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 100; i++) deep = { d: deep };
  const tooDeep = await post({ ...issueCreated('SS-95'), extra: deep });
  expect(tooDeep.status).toBe(400);
  expect(tooDeep.json.error).toMatch(/nested deeper than 40 levels/);
  const longKey = await post({ ...issueCreated('SS-96'), ['k'.repeat(300)]: 1 });
  expect(longKey.status).toBe(400);
  expect(longKey.json.error).toMatch(/key longer than 200/);
  const longId = await post(issueCreated('SS-97'), { deliveryId: 'i'.repeat(500) });
  expect(longId.status).toBe(400);
  const hugeKey = await post(issueCreated(`SS-${'9'.repeat(30)}`));
  expect(hugeKey.status).toBe(400);
  for (const key of ['SS-95', 'SS-96', 'SS-97']) expect(await noWorkflow(env.client, key)).toBe(true);
});

test('the relay refuses to start without a secret beyond loopback or with a real Jira, and with a short one', async () => {
  const base = { client: env.client, taskQueue: 'relay-test', config: defaultConfig, port: 0 };
  await expect(startRelay({ ...base, host: '0.0.0.0' })).rejects.toThrow(/WEBHOOK_SECRET is required/);
  await expect(startRelay({ ...base, realJira: true })).rejects.toThrow(
    /WEBHOOK_SECRET is required with a real Jira \(JIRA_HOST is set\)/,
  );
  await expect(startRelay({ ...base, webhookSecret: 'short' })).rejects.toThrow(/WEBHOOK_SECRET is too short/);
});
