/** The sandbox's Slack Web API (through @slack/web-api) and Aha! ideas API (through fetch). */
import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api';
import { clients, startHarness, type Harness } from './setup';

let h: Harness;
let slack: ReturnType<typeof clients>['slack'];

beforeAll(async () => {
  h = await startHarness({
    webhookUrl: undefined,
    slack: { channels: [{ name: 'support' }, { name: 'paging', botMember: true }] },
  });
  slack = clients(h.sandbox).slack;
});
afterAll(() => h.close());

async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    const err = e as WebAPIPlatformError;
    if (err.code === ErrorCode.PlatformError) return err.data.error;
    throw e;
  }
  throw new Error('expected a Slack error');
}

test('auth.test and users.lookupByEmail: staff and configured people exist, anyone else is users_not_found', async () => {
  expect(await slack.auth.test()).toMatchObject({
    ok: true,
    team_id: expect.any(String),
    user_id: expect.any(String),
  });
  const staff = await slack.users.lookupByEmail({
    email: 'jordan.chriss@sighten.io',
  });
  expect(staff.user).toMatchObject({
    id: expect.stringMatching(/^U/),
    profile: { email: 'jordan.chriss@sighten.io' },
  });
  const approver = await slack.users.lookupByEmail({
    email: 'david.ellis@goeverbright.com',
  });
  expect(approver.ok).toBe(true);
  expect(await slackError(slack.users.lookupByEmail({ email: 'stranger@acme-solar.com' }))).toBe('users_not_found');
});

test('chat.postMessage to a DM and to #support, with metadata read back by conversations.history', async () => {
  const { user } = await slack.users.lookupByEmail({
    email: 'jordan.chriss@sighten.io',
  });
  const dm = await slack.conversations.open({ users: user!.id! });
  const posted = await slack.chat.postMessage({
    channel: dm.channel!.id!,
    text: 'New sales lead SS-7',
    metadata: {
      event_type: 'deskflow_op',
      event_payload: { opKey: 'ticket-SS-7:R-04:slack' },
    },
  });
  expect(posted).toMatchObject({
    ok: true,
    channel: dm.channel!.id,
    ts: expect.stringMatching(/^\d+\.\d{6}$/),
    message: { text: 'New sales lead SS-7' },
  });
  const toChannel = await slack.chat.postMessage({
    channel: '#support',
    text: 'SLA warning for SS-7',
  });
  const { channels } = await slack.conversations.list({});
  const support = channels!.find((ch) => ch.name === 'support')!;
  expect(toChannel.channel).toBe(support.id);

  const withMeta = await slack.conversations.history({
    channel: dm.channel!.id!,
    include_all_metadata: true,
  });
  expect(withMeta.messages![0]).toMatchObject({
    text: 'New sales lead SS-7',
    metadata: {
      event_type: 'deskflow_op',
      event_payload: { opKey: 'ticket-SS-7:R-04:slack' },
    },
  });
  const withoutMeta = await slack.conversations.history({
    channel: dm.channel!.id!,
  });
  expect(withoutMeta.messages![0]).not.toHaveProperty('metadata');

  const sent = h.sandbox.state().slack;
  expect(sent.map((m) => [m.to, m.text])).toEqual([
    ['jordan.chriss@sighten.io', 'New sales lead SS-7'],
    ['#support', 'SLA warning for SS-7'],
  ]);
  expect(sent[0]!.metadata).toEqual({
    event_type: 'deskflow_op',
    event_payload: { opKey: 'ticket-SS-7:R-04:slack' },
  });
  expect(await slackError(slack.chat.postMessage({ channel: 'C0NOSUCH1', text: 'x' }))).toBe('channel_not_found');
});

test('conversations.history pages newest first with a cursor', async () => {
  for (let i = 1; i <= 3; i++) await slack.chat.postMessage({ channel: '#paging', text: `m${i}` });
  const { channels } = await slack.conversations.list({ limit: 100 });
  const id = channels!.find((ch) => ch.name === 'paging')!.id!;
  const first = await slack.conversations.history({ channel: id, limit: 2 });
  expect(first.messages!.map((m) => m.text)).toEqual(['m3', 'm2']);
  expect(first.has_more).toBe(true);
  const second = await slack.conversations.history({
    channel: id,
    limit: 2,
    cursor: first.response_metadata!.next_cursor!,
  });
  expect(second.messages!.map((m) => m.text)).toEqual(['m1']);
  expect(second.has_more).toBe(false);
});

test('Slack without a token answers not_authed with HTTP 200', async () => {
  const res = await fetch(`${h.sandbox.slackApiUrl}auth.test`, {
    method: 'POST',
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
});

test('Aha!: create an idea with tags, find it by tag and by name, read it by reference number; Bearer token required', async () => {
  const base = h.sandbox.ahaApiUrl;
  const headers = {
    Authorization: 'Bearer aha-token',
    'Content-Type': 'application/json',
  };
  const res = await fetch(`${base}/products/SIGHTEN/ideas`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      idea: {
        name: 'Dark mode for proposals',
        description: 'From SS-12',
        tags: 'deskflow,op-ticket-SS-12-R-24',
        created_by: 'deskflow@sighten.io',
      },
    }),
  });
  expect(res.status).toBe(200);
  // Aha! requires created_by.
  const anonymous = await fetch(`${base}/products/SIGHTEN/ideas`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ idea: { name: 'No creator', description: 'x' } }),
  });
  expect(anonymous.status).toBe(400);
  const { idea } = (await res.json()) as {
    idea: { id: string; reference_num: string; url: string; tags: string[] };
  };
  expect(idea).toMatchObject({
    reference_num: 'SIGHTEN-I-1',
    url: 'https://sighten.aha.io/ideas/ideas/SIGHTEN-I-1',
    tags: ['deskflow', 'op-ticket-SS-12-R-24'],
  });

  const byTag = (await (
    await fetch(`${base}/products/SIGHTEN/ideas?tag=op-ticket-SS-12-R-24`, {
      headers,
    })
  ).json()) as {
    ideas: { id: string }[];
    pagination: { total_records: number; current_page: number };
  };
  expect(byTag.ideas.map((i) => i.id)).toEqual([idea.id]);
  expect(byTag.pagination).toMatchObject({ total_records: 1, current_page: 1 });
  const none = (await (await fetch(`${base}/products/SIGHTEN/ideas?tag=other`, { headers })).json()) as {
    ideas: unknown[];
  };
  expect(none.ideas).toEqual([]);
  const byName = (await (await fetch(`${base}/products/SIGHTEN/ideas?q=dark%20mode`, { headers })).json()) as {
    ideas: unknown[];
  };
  expect(byName.ideas).toHaveLength(1);
  const one = (await (await fetch(`${base}/ideas/SIGHTEN-I-1`, { headers })).json()) as {
    idea: { description: { body: string } };
  };
  expect(one.idea.description.body).toBe('From SS-12');
  expect(h.sandbox.state().aha).toEqual([
    expect.objectContaining({
      referenceNum: 'SIGHTEN-I-1',
      name: 'Dark mode for proposals',
      tags: ['deskflow', 'op-ticket-SS-12-R-24'],
    }),
  ]);
  expect((await fetch(`${base}/ideas/SIGHTEN-I-1`)).status).toBe(401);
});
