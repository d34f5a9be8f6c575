/** Webhook delivery (signed, ordered, retried), fault injection seen by the real clients, the control API and persistence. */
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRateLimitError, isServerError } from 'jira.js';
import { ErrorCode, type WebAPIHTTPError, type WebAPIRateLimitedError } from '@slack/web-api';
import { startSandbox } from '../../src/sandbox/server';
import { clients, CUSTOMER, eventsOf, SECRET, startHarness, type Harness } from './setup';

let h: Harness;
let clock = new Date('2027-03-01T17:00:00.000Z');

beforeAll(async () => {
  h = await startHarness({ now: () => clock, webhookEmails: true }); // old e-mail-based webhook assertions
});
afterAll(() => h.close());

test('webhooks are signed with HMAC-SHA256 of the raw body and carry a unique delivery identifier and Jira Cloud shapes', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'Signed',
    description: 'Body text',
    reporter: CUSTOMER,
    attachments: ['sheet.xlsx'],
  });
  h.sandbox.addComment({
    key,
    by: 'alex.morgan@sighten.io',
    body: 'Internal look',
    internal: true,
  });
  await h.sandbox.webhooksIdle();
  const mine = h.receiver.deliveries.filter((d) => JSON.stringify(d.body).includes(key));
  expect(mine).toHaveLength(2);
  for (const d of mine) {
    expect(d.headers['x-hub-signature']).toBe('sha256=' + createHmac('sha256', SECRET).update(d.raw).digest('hex'));
  }
  const ids = h.receiver.deliveries.map((d) => d.headers['x-atlassian-webhook-identifier']);
  expect(new Set(ids).size).toBe(ids.length);
  const created = mine[0]!.body as any;
  expect(created).toMatchObject({
    webhookEvent: 'jira:issue_created',
    timestamp: clock.getTime(),
    user: { emailAddress: CUSTOMER },
    issue: {
      key,
      fields: {
        summary: 'Signed',
        description: 'Body text',
        status: { name: 'Waiting for support' },
        project: { key: 'SS' },
        reporter: { emailAddress: CUSTOMER },
        created: '2027-03-01T17:00:00.000+0000',
      },
    },
  });
  expect(created.issue.fields.issuetype.name).toBe('Service Request');
  const comment = mine[1]!.body as any;
  expect(comment).toMatchObject({
    webhookEvent: 'comment_created',
    comment: {
      body: 'Internal look',
      jsdPublic: false,
      author: { emailAddress: 'alex.morgan@sighten.io' },
    },
    issue: { key },
  });
});

test('a failed delivery is retried with the same identifier until 2xx, and later events wait behind it (in order)', async () => {
  await h.sandbox.webhooksIdle();
  const start = h.receiver.deliveries.length;
  const attemptsBefore = h.receiver.attempts.length;
  h.receiver.failNext(2, 500);
  const { key } = h.sandbox.createTicket({
    summary: 'Retry me',
    description: 'x',
    reporter: CUSTOMER,
  });
  h.sandbox.transition({ key, to: 'In Progress' });
  h.sandbox.addComment({ key, by: CUSTOMER, body: 'hello' });
  expect(h.sandbox.state().webhooks.pending).toBeGreaterThan(0);
  await h.sandbox.webhooksIdle();
  const attempts = h.receiver.attempts.slice(attemptsBefore);
  expect(attempts.slice(0, 3).map((a) => a.headers['x-atlassian-webhook-identifier'])).toEqual(
    Array(3).fill(attempts[0]!.headers['x-atlassian-webhook-identifier']),
  );
  expect(eventsOf(h.receiver).slice(start)).toEqual([
    `jira:issue_created ${key}`,
    `jira:issue_updated ${key}`,
    `comment_created ${key}`,
    `jira:issue_updated ${key}`,
  ]);
  const transition = h.receiver.deliveries[start + 1]!.body as any;
  expect(transition.changelog.items).toEqual([
    {
      field: 'status',
      fieldtype: 'jira',
      fieldId: 'status',
      from: '10001',
      fromString: 'Waiting for support',
      to: '3',
      toString: 'In Progress',
    },
  ]);
  expect(h.sandbox.state().webhooks.pending).toBe(0);
});

test('a delivery refused with a plain 4xx is never retried (dropped); 408/409/425/429 are retried as 5xx are', async () => {
  await h.sandbox.webhooksIdle();
  const before = h.sandbox.state().webhooks;
  const attemptsBefore = h.receiver.attempts.length;
  h.receiver.failNext(1, 400);
  const { key } = h.sandbox.createTicket({ summary: 'Refused', description: 'x', reporter: CUSTOMER });
  h.sandbox.addComment({ key, by: CUSTOMER, body: 'after the refusal' });
  await h.sandbox.webhooksIdle();
  const ids = h.receiver.attempts.slice(attemptsBefore).map((a) => a.headers['x-atlassian-webhook-identifier']);
  expect(new Set(ids).size).toBe(ids.length);
  expect(h.sandbox.state().webhooks.dropped).toBe(before.dropped + 1);
  expect(eventsOf(h.receiver).slice(-1)).toEqual([`comment_created ${key}`]);

  for (const status of [408, 409, 425, 429]) {
    const start = h.receiver.attempts.length;
    h.receiver.failNext(1, status);
    h.sandbox.addComment({ key, by: CUSTOMER, body: `retried after ${status}` });
    await h.sandbox.webhooksIdle();
    const tries = h.receiver.attempts.slice(start).map((a) => a.headers['x-atlassian-webhook-identifier']);
    expect(tries[0]).toBe(tries[1]);
  }
  expect(h.sandbox.state().webhooks.dropped).toBe(before.dropped + 1);
});

test('seeded webhook faults: duplicates and reordering are reproducible for a seed and off by default', async () => {
  const story = async (webhooks: object | undefined) => {
    const one = await startHarness({ now: () => clock, ...(webhooks ? { settings: { webhooks } } : {}) });
    try {
      const { key } = one.sandbox.createTicket({ summary: 'Faulty', description: 'x', reporter: CUSTOMER });
      for (let i = 0; i < 6; i++) one.sandbox.addComment({ key, by: CUSTOMER, body: `comment ${i}` });
      await one.sandbox.webhooksIdle();
      // Each delivery as its event and the position of its identifier among the distinct ones.
      const ids: string[] = [];
      return one.receiver.deliveries.map((d) => {
        const id = String(d.headers['x-atlassian-webhook-identifier']);
        if (!ids.includes(id)) ids.push(id);
        const b = d.body as { webhookEvent: string; comment?: { body: string } };
        return `${ids.indexOf(id)} ${b.webhookEvent} ${b.comment?.body ?? ''}`.trim();
      });
    } finally {
      await one.close();
    }
  };
  const plain = await story(undefined);
  expect(plain).toHaveLength(7);
  const faults = { seed: 7, duplicateRate: 0.4, reorderRate: 0.4 };
  const first = await story(faults);
  expect(await story(faults)).toEqual(first);
  expect(first.length).toBeGreaterThan(plain.length);
  expect(first).not.toEqual(plain);
  // The same events, each at least once.
  const events = (list: string[]) => [...new Set(list.map((s) => s.replace(/^\d+ /, '')))].sort();
  expect(events(first)).toEqual(events(plain));
});

test('a 503 outage is seen by jira.js and Slack until cleared, or until its end by the sandbox clock', async () => {
  const c = clients(h.sandbox);
  const { key } = h.sandbox.createTicket({
    summary: 'Outage',
    description: 'x',
    reporter: CUSTOMER,
  });
  h.sandbox.setFault({ service: 'jira', status: 503 });
  for (let i = 0; i < 2; i++) {
    const err = await c.jira.issues.getIssue({ issueIdOrKey: key }).catch((e: unknown) => e);
    expect(isServerError(err) && err.status === 503).toBe(true);
  }
  h.sandbox.clearFault('jira');
  expect((await c.jira.issues.getIssue({ issueIdOrKey: key })).key).toBe(key);

  h.sandbox.setFault({
    service: 'slack',
    status: 503,
    until: new Date(clock.getTime() + 3 * 3600_000),
  });
  const slackErr = (await c.slack.auth.test().catch((e: unknown) => e)) as WebAPIHTTPError;
  expect(slackErr.code).toBe(ErrorCode.HTTPError);
  expect(slackErr.statusCode).toBe(503);
  clock = new Date(clock.getTime() + 3 * 3600_000);
  expect((await c.slack.auth.test()).ok).toBe(true);
  // Faults touch only their own service.
  expect((await c.jira.myself.getCurrentUser()).emailAddress).toBeDefined();
});

test('a 429 carries Retry-After to jira.js (retryAfterMs) and Slack (retryAfter) for the next N requests only', async () => {
  const c = clients(h.sandbox);
  h.sandbox.setFault({
    service: 'jira',
    status: 429,
    retryAfterSeconds: 7,
    count: 1,
  });
  const err = await c.jira.myself.getCurrentUser().catch((e: unknown) => e);
  expect(isRateLimitError(err) && err.retryAfterMs).toBe(7000);
  expect((await c.jira.myself.getCurrentUser()).accountId).toBeDefined();
  // Jira's 429 does not always carry Retry-After.
  h.sandbox.setFault({ service: 'jira', status: 429, retryAfterSeconds: null, count: 1 });
  const bare = await c.jira.myself.getCurrentUser().catch((e: unknown) => e);
  expect(isRateLimitError(bare) && bare.retryAfterMs).toBeUndefined();
  expect((await c.jira.myself.getCurrentUser()).accountId).toBeDefined();

  h.sandbox.setFault({
    service: 'slack',
    status: 429,
    retryAfterSeconds: 3,
    count: 2,
  });
  for (let i = 0; i < 2; i++) {
    const e = (await c.slack.auth.test().catch((x: unknown) => x)) as WebAPIRateLimitedError;
    expect(e.code).toBe(ErrorCode.RateLimitedError);
    expect(e.retryAfter).toBe(3);
  }
  expect((await c.slack.auth.test()).ok).toBe(true);

  h.sandbox.setFault({ service: 'aha', status: 429, retryAfterSeconds: 5 });
  const aha = await fetch(`${h.sandbox.ahaApiUrl}/products/SIGHTEN/ideas`, {
    headers: { Authorization: 'Bearer t' },
  });
  expect(aha.status).toBe(429);
  expect(aha.headers.get('retry-after')).toBe('5');
});

test('an afterApplying fault carries the write out and loses its answer; a create links with update.issuelinks as Jira does', async () => {
  const c = clients(h.sandbox);
  const { key: ss } = h.sandbox.createTicket({ summary: 'Owner', description: 'x', reporter: CUSTOMER });
  h.sandbox.setFault({
    service: 'jira',
    status: 503,
    method: 'POST',
    pathEnd: '/issue',
    afterApplying: true,
    count: 1,
  });
  // A GET passes (wrong method) and does not use the fault up.
  expect((await c.jira.issues.getIssue({ issueIdOrKey: ss })).key).toBe(ss);
  const err = await c.jira.issues
    .createIssue({
      fields: { project: { key: 'CS' }, issuetype: { name: 'Task' }, summary: 'Lost answer' },
      update: { issuelinks: [{ add: { type: { name: 'Relates' }, inwardIssue: { key: ss } } }] },
    })
    .catch((e: unknown) => e);
  expect(isServerError(err) && err.status === 503).toBe(true);
  const made = h.sandbox.state().issues.filter((i) => i.summary === 'Lost answer');
  expect(made).toHaveLength(1);
  // Linked in the same request: "<ss> relates to <new>" as the new issue's inwardIssue reads.
  expect(h.sandbox.issue(ss)?.links).toEqual([{ type: 'Relates', direction: 'outward', key: made[0]!.key }]);
  expect(made[0]!.links).toEqual([{ type: 'Relates', direction: 'inward', key: ss }]);

  // An unknown issue or link type refuses the whole create.
  for (const add of [
    { type: { name: 'Relates' }, outwardIssue: { key: 'SS-99999' } },
    { type: { name: 'Nope' }, outwardIssue: { key: ss } },
  ]) {
    const bad = await c.jira.issues
      .createIssue({
        fields: { project: { key: 'CS' }, issuetype: { name: 'Task' }, summary: 'Refused link' },
        update: { issuelinks: [{ add }] },
      })
      .catch((e: unknown) => e);
    expect((bad as { status?: number }).status).toBe(400);
  }
  expect(h.sandbox.state().issues.filter((i) => i.summary === 'Refused link')).toEqual([]);
  expect(() => h.sandbox.setFault({ service: 'slack', status: 503, afterApplying: true })).toThrow(
    /Jira 503 faults only/,
  );
});

test('the control API over HTTP: tickets, comments, transitions, faults, state, one issue, reset, and the HTML page', async () => {
  const post = (path: string, body: unknown) =>
    fetch(`${h.sandbox.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const created = await post('/_sandbox/tickets', {
    key: 'SS-500',
    summary: 'Via HTTP',
    description: 'd',
    reporter: CUSTOMER,
    participants: ['cc@acme-solar.com'],
  });
  expect(created.status).toBe(201);
  expect(await created.json()).toEqual({ key: 'SS-500' });
  expect(
    (
      await post('/_sandbox/tickets', {
        key: 'SS-500',
        summary: 'again',
        description: 'd',
        reporter: CUSTOMER,
      })
    ).status,
  ).toBe(409);
  const comment = (await (
    await post('/_sandbox/issues/SS-500/comments', {
      by: 'alex.morgan@sighten.io',
      body: 'Reply',
      internal: false,
    })
  ).json()) as { public: boolean };
  expect(comment.public).toBe(true);
  const moved = (await (
    await post('/_sandbox/issues/SS-500/transitions', {
      to: 'Closed',
      by: 'alex.morgan@sighten.io',
      resolution: 'Done',
    })
  ).json()) as { status: string };
  expect(moved.status).toBe('Closed');
  expect((await post('/_sandbox/issues/SS-500/transitions', { to: 'Done' })).status).toBe(400);
  const one = (await (await fetch(`${h.sandbox.url}/_sandbox/issues/SS-500`)).json()) as Record<string, unknown>;
  expect(one).toMatchObject({
    key: 'SS-500',
    status: 'Closed',
    resolution: 'Done',
    reporter: CUSTOMER,
    participants: ['cc@acme-solar.com'],
    comments: [expect.objectContaining({ body: 'Reply', public: true })],
  });
  expect(
    h.sandbox.createTicket({
      summary: 'Next',
      description: 'x',
      reporter: CUSTOMER,
    }).key,
  ).toBe('SS-501');

  expect((await post('/_sandbox/faults', { service: 'aha', status: 503 })).status).toBe(204);
  expect(
    (
      await fetch(`${h.sandbox.ahaApiUrl}/ideas/1`, {
        headers: { Authorization: 'Bearer t' },
      })
    ).status,
  ).toBe(503);
  expect((await fetch(`${h.sandbox.url}/_sandbox/faults/aha`, { method: 'DELETE' })).status).toBe(204);
  expect(
    (
      await fetch(`${h.sandbox.ahaApiUrl}/ideas/1`, {
        headers: { Authorization: 'Bearer t' },
      })
    ).status,
  ).toBe(404);

  const page = await (await fetch(`${h.sandbox.url}/`)).text();
  expect(page).toContain('SS-500');
  expect(page).toContain('Reply');
  const state = (await (await fetch(`${h.sandbox.url}/_sandbox/state`)).json()) as { issues: { key: string }[] };
  expect(state.issues.map((i) => i.key)).toContain('SS-500');

  expect((await post('/_sandbox/reset', {})).status).toBe(204);
  expect(h.sandbox.state().issues.map((i) => i.summary)).toEqual(['EverBright Configurations CS Onboarding']);
});

test('with a data file the state survives a restart (saved atomically on change)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-'));
  try {
    const dataFile = join(dir, 'data', 'sandbox.json');
    const first = await startSandbox({ port: 0, dataFile });
    const { key } = first.createTicket({
      summary: 'Persist me',
      description: 'x',
      reporter: CUSTOMER,
    });
    first.addComment({ key, by: CUSTOMER, body: 'still here?' });
    await first.close();
    expect(JSON.parse(await readFile(dataFile, 'utf8'))).toMatchObject({
      version: 1,
    });
    const second = await startSandbox({ port: 0, dataFile });
    try {
      expect(second.issue(key)).toMatchObject({
        summary: 'Persist me',
        comments: [expect.objectContaining({ body: 'still here?' })],
      });
      expect(
        second.createTicket({
          summary: 'Next',
          description: 'x',
          reporter: CUSTOMER,
        }).key,
      ).not.toBe(key);
    } finally {
      await second.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
