/**
 * postSlackMessage against the sandbox's Slack Web API over real HTTP, in an activity context.
 */
import { defaultConfig } from '../../src/config/defaults';
import { createSlackActivities, SLACK_EVENT_TYPE, type SlackActivities } from '../../src/activities/slack';
import { ActivityErrorType } from '../../src/activities/errors';
import { delayMs, failureOf, startHarness, type Harness } from './setup';

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
