/**
 * postSlackMessage against the sandbox's Slack Web API over real HTTP, in an activity context.
 */
import { defaultConfig } from '../../src/config/defaults';
import { loadEnv } from '../../src/config/env';
import { activityDepsFromEnv } from '../../src/activities/clients';
import { createSlackActivities, SLACK_EVENT_TYPE, type SlackActivities } from '../../src/activities/slack';
import { ActivityErrorType } from '../../src/activities/errors';
import { startSandbox } from '../../src/sandbox/server';
import { DESKFLOW_SLACK_SCOPES } from '../../src/sandbox/slack';
import { delayMs, failureOf, runAttempt, startHarness, type Harness } from './setup';

const roles = defaultConfig.roles;

let h: Harness;
let slack: SlackActivities;

beforeAll(async () => {
  h = await startHarness();
  slack = createSlackActivities(h.deps);
});

afterAll(async () => {
  await h?.close();
});

async function messagesTo(to: string) {
  return (await h.sandbox.state()).slack.filter((m) => m.to === to);
}

test('a direct message to a person by e-mail carries the ticket key and link, once per opKey (E-12)', async () => {
  const input = {
    to: roles.salesLead,
    text: 'New sales lead to contact.',
    ticketKey: 'SS-41',
    opKey: 'ticket-SS-41:R-04:slack',
  };
  const first = await h.run(slack.postSlackMessage, input);
  const second = await h.run(slack.postSlackMessage, input);

  expect(first).toMatchObject({ sent: true, duplicate: false });
  expect(second).toEqual(first.sent ? { ...first, duplicate: true } : first);
  const sent = await messagesTo(roles.salesLead);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.text).toContain('New sales lead to contact.');
  expect(sent[0]!.text).toContain('SS-41');
  expect(sent[0]!.text).toContain(`${h.sandbox.url}/browse/SS-41`);
  expect(sent[0]!.metadata).toEqual({
    event_type: SLACK_EVENT_TYPE,
    event_payload: { opKey: input.opKey, ticketKey: 'SS-41' },
  });
});

test('a channel message, mentioning people, is posted once per opKey (S-03)', async () => {
  const input = {
    to: roles.supportChannel,
    text: 'Ticket needs triage.',
    ticketKey: 'SS-42',
    opKey: 'ticket-SS-42:S-03:slack',
    mention: [roles.supportSupervisor],
  };
  await h.run(slack.postSlackMessage, input);
  const again = await h.run(slack.postSlackMessage, input);
  expect(again).toMatchObject({ sent: true, duplicate: true });
  const sent = (await messagesTo(roles.supportChannel)).filter((m) => m.text.includes('SS-42'));
  expect(sent).toHaveLength(1);
  expect(sent[0]!.text).toMatch(/^<@U[0-9A-Z]+> Ticket needs triage\./);
  expect(sent[0]!.text).toContain(`${h.sandbox.url}/browse/SS-42`);
});

test('an e-mail with no Slack user returns user_not_found instead of failing', async () => {
  const result = await h.run(slack.postSlackMessage, {
    to: 'someone@not-in-slack.example',
    text: 'Hello',
    ticketKey: 'SS-43',
    opKey: 'ticket-SS-43:E-12:slack',
  });
  expect(result).toEqual({
    sent: false,
    reason: 'user_not_found',
    to: 'someone@not-in-slack.example',
  });
  expect(await messagesTo('someone@not-in-slack.example')).toHaveLength(0);
});

test('a 429 with Retry-After fails retryable with nextRetryDelay of that many seconds', async () => {
  await h.sandbox.setFault({
    service: 'slack',
    status: 429,
    retryAfterSeconds: 3,
    count: 1,
  });
  const failure = await failureOf(
    h.run(slack.postSlackMessage, {
      to: roles.supportChannel,
      text: 'x',
      ticketKey: 'SS-44',
      opKey: 'ticket-SS-44:429',
    }),
  );
  expect(failure.type).toBe(ActivityErrorType.RateLimited);
  expect(failure.nonRetryable).toBe(false);
  expect(delayMs(failure)).toBe(3000);
});

describe('as strict as a real Slack workspace (issue 14)', () => {
  const first = { isLocal: true, attempt: 1 };
  const historyCalls = () => h.sandbox.state().slackCalls['conversations.history'] ?? 0;

  test('a first attempt reads no history; a retry finds the earlier post by its opKey and posts nothing', async () => {
    const input = {
      to: roles.supportChannel,
      text: 'Ticket needs triage.',
      ticketKey: 'SS-45',
      opKey: 'ticket-SS-45:S-03',
      firstAttemptIsFirstTry: true,
    };
    const before = historyCalls();
    const posted = await runAttempt({ isLocal: false, attempt: 1 }, slack.postSlackMessage, input);
    expect(posted).toMatchObject({ sent: true, duplicate: false });
    expect(historyCalls()).toBe(before);
    const retried = await runAttempt({ isLocal: false, attempt: 2 }, slack.postSlackMessage, input);
    expect(retried).toEqual({ ...posted, duplicate: true });
    expect(historyCalls()).toBe(before + 1);
    expect((await messagesTo(roles.supportChannel)).filter((m) => m.text.includes('SS-45'))).toHaveLength(1);
  });

  test('a local attempt 1 may repeat a lost workflow task, and so may an older run’s regular fallback: both check', async () => {
    const input = {
      to: roles.supportChannel,
      text: 'Ticket needs triage.',
      ticketKey: 'SS-48',
      opKey: 'ticket-SS-48:S-03',
    };
    const before = historyCalls();
    const posted = await runAttempt({ isLocal: false, attempt: 2 }, slack.postSlackMessage, input);
    expect(posted).toMatchObject({ sent: true, duplicate: false });
    // The workflow task that recorded the local attempt was lost (R6): the same attempt 1 runs again.
    expect(await runAttempt(first, slack.postSlackMessage, input)).toEqual({ ...posted, duplicate: true });
    // An older run's regular activity taking over after a failed local attempt.
    expect(await runAttempt({ isLocal: false, attempt: 1 }, slack.postSlackMessage, input)).toEqual({
      ...posted,
      duplicate: true,
    });
    expect(historyCalls()).toBe(before + 3);
    expect((await messagesTo(roles.supportChannel)).filter((m) => m.text.includes('SS-48'))).toHaveLength(1);
  });

  test('deskflow joins the public support channel it was never invited to, so a retry can read it', async () => {
    const s = await startSandbox({ port: 0, internalDomains: roles.internalDomains });
    try {
      const acts = createSlackActivities(activityDepsFromEnv(defaultConfig, loadEnv({}), s.url));
      const input = { to: '#support', text: 'Hello', ticketKey: 'SS-46', opKey: 'ticket-SS-46:x' };
      await runAttempt(first, acts.postSlackMessage, input);
      expect(s.state().slackCalls['conversations.join']).toBe(1);
      expect(await runAttempt({ isLocal: true, attempt: 2 }, acts.postSlackMessage, input)).toMatchObject({
        duplicate: true,
      });
    } finally {
      await s.close();
    }
  });

  test('an unknown channel is refused for good, naming it, and never created', async () => {
    const failure = await failureOf(
      runAttempt(first, slack.postSlackMessage, { to: '#suport', text: 'x', ticketKey: 'SS-47', opKey: 'k47' }),
    );
    expect(failure.type).toBe(ActivityErrorType.NotFound);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('#suport');
    expect(await messagesTo('#suport')).toHaveLength(0);
  });

  test('a channel deskflow is not in, without chat:write.public or channels:join: the refusal says why', async () => {
    const scopes = DESKFLOW_SLACK_SCOPES.filter((s) => s !== 'chat:write.public' && s !== 'channels:join');
    const s = await startSandbox({ port: 0, internalDomains: roles.internalDomains, slack: { scopes } });
    try {
      const acts = createSlackActivities(activityDepsFromEnv(defaultConfig, loadEnv({}), s.url));
      const failure = await failureOf(
        runAttempt(first, acts.postSlackMessage, { to: '#support', text: 'x', ticketKey: 'SS-48', opKey: 'k48' }),
      );
      expect(failure.nonRetryable).toBe(true);
      expect(failure.type).toBe(ActivityErrorType.PermissionDenied);
      expect(failure.message).toContain('#support');
      expect(failure.message).toContain('not_in_channel');
      expect(failure.message).toContain('chat:write.public');
      expect(s.state().slack).toHaveLength(0);
    } finally {
      await s.close();
    }
  });

  test('without users:read.email a direct message is refused naming the missing scope', async () => {
    const scopes = DESKFLOW_SLACK_SCOPES.filter((s) => s !== 'users:read.email');
    const s = await startSandbox({ port: 0, internalDomains: roles.internalDomains, slack: { scopes } });
    try {
      const acts = createSlackActivities(activityDepsFromEnv(defaultConfig, loadEnv({}), s.url));
      const failure = await failureOf(
        runAttempt(first, acts.postSlackMessage, { to: roles.salesLead, text: 'x', ticketKey: 'SS-49', opKey: 'k49' }),
      );
      expect(failure.type).toBe(ActivityErrorType.PermissionDenied);
      expect(failure.message).toContain('missing_scope');
      expect(failure.message).toContain('users:read.email');
    } finally {
      await s.close();
    }
  });
});
