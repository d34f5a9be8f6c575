/**
 * createAhaIdea against the sandbox's Aha! API over real HTTP, in an activity context.
 */
import { ahaTagForOpKey, createAhaActivities, type AhaActivities } from '../../src/activities/aha';
import { ActivityErrorType } from '../../src/activities/errors';
import { delayMs, failureOf, startHarness, type Harness } from './setup';

let h: Harness;
let aha: AhaActivities;

beforeAll(async () => {
  h = await startHarness();
  aha = createAhaActivities(h.deps);
});

afterAll(async () => {
  await h?.close();
});

test('creates one idea per opKey, even when called twice, and returns its URL and reference number', async () => {
  const input = {
    opKey: 'ticket-SS-51:R-24:aha',
    name: 'Dark mode for the proposal page',
    description: 'Customer asks for dark mode.',
    ticketKey: 'SS-51',
  };
  const first = await h.run(aha.createAhaIdea, input);
  const second = await h.run(aha.createAhaIdea, input);

  expect(second).toEqual(first);
  const ideas = (await h.sandbox.state()).aha.filter((i) => i.name === input.name);
  expect(ideas).toHaveLength(1);
  expect(ideas[0]).toMatchObject({
    url: first.url,
    referenceNum: first.referenceNum,
    description: input.description,
  });
  expect(ideas[0]!.tags).toEqual(expect.arrayContaining([ahaTagForOpKey(input.opKey), 'SS-51']));
  expect(first.url).toMatch(/^https?:\/\//);
});

test('a different opKey creates a different idea', async () => {
  const a = await h.run(aha.createAhaIdea, {
    opKey: 'ticket-SS-52:R-24:aha',
    name: 'Idea A',
    description: 'a',
    ticketKey: 'SS-52',
  });
  const b = await h.run(aha.createAhaIdea, {
    opKey: 'ticket-SS-53:R-24:aha',
    name: 'Idea B',
    description: 'b',
    ticketKey: 'SS-53',
  });
  expect(a.referenceNum).not.toBe(b.referenceNum);
});

test('a 429 with Retry-After fails retryable with nextRetryDelay of that many seconds', async () => {
  await h.sandbox.setFault({
    service: 'aha',
    status: 429,
    retryAfterSeconds: 5,
    count: 1,
  });
  const failure = await failureOf(
    h.run(aha.createAhaIdea, {
      opKey: 'x',
      name: 'x',
      description: 'x',
      ticketKey: 'SS-54',
    }),
  );
  expect(failure.type).toBe(ActivityErrorType.RateLimited);
  expect(failure.nonRetryable).toBe(false);
  expect(delayMs(failure)).toBe(5000);
  expect(failure.message).toContain('SS-54');
});
