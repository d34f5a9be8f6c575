/**
 * The shared error mapping, for failures the sandbox cannot produce: a refused connection, and a
 * Jira 400 whose field is named by its custom field id.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, RateLimitError } from 'jira.js';
import { defaultConfig } from '../../src/config/defaults';
import { createJiraActivities } from '../../src/activities/jira';
import { createAhaActivities } from '../../src/activities/aha';
import { ActivityErrorType, activityLog, jiraFailure } from '../../src/activities/errors';
import { failureOf, runActivity } from './setup';

/** A URL nothing listens on: a port we opened and closed. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

test('a refused connection is a retryable ERR_SERVICE_UNAVAILABLE for Jira and Aha!', async () => {
  const url = await deadUrl();
  const jira = createJiraActivities({
    config: defaultConfig,
    jira: { host: url, email: 'bot@sighten.io', apiToken: 't' },
  });
  const aha = createAhaActivities({
    config: defaultConfig,
    aha: { baseUrl: `${url}/aha/api/v1`, token: 't' },
  });

  const j = await failureOf(runActivity(jira.readIssue, { key: 'SS-1' }));
  expect([j.type, j.nonRetryable]).toEqual([ActivityErrorType.Unavailable, false]);
  const a = await failureOf(
    runActivity(aha.createAhaIdea, {
      opKey: 'k',
      name: 'n',
      description: 'd',
      ticketKey: 'SS-1',
    }),
  );
  expect([a.type, a.nonRetryable]).toEqual([ActivityErrorType.Unavailable, false]);
});

test('a Jira 400 names the ticket, the field by our name, and the value sent', () => {
  const err = new ApiError('Request failed: 400', 400, 'Bad Request', {
    errorMessages: [],
    errors: { components: "Component name 'X' is not valid" },
  });
  const failure = jiraFailure(err, {
    ticket: 'SS-12',
    action: 'update fields',
    fields: { components: { name: 'components', value: ['X'] } },
  });
  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe(ActivityErrorType.JiraRejected);
  expect(failure.message).toBe(`SS-12: Jira rejected update fields: components=["X"]: Component name 'X' is not valid`);
});

test('a RateLimitError carries its Retry-After as nextRetryDelay; without one the policy backs off', () => {
  const limited = jiraFailure(
    new RateLimitError('429', 'Too Many Requests', null, {
      retryAfterMs: 12_000,
    }),
    { ticket: 'SS-1', action: 'read issue' },
  );
  expect([limited.type, limited.nonRetryable, limited.nextRetryDelay]).toEqual([
    ActivityErrorType.RateLimited,
    false,
    12_000,
  ]);
  const bare = jiraFailure(new RateLimitError('429', 'Too Many Requests', null), {
    ticket: 'SS-1',
    action: 'read issue',
  });
  expect(bare.nextRetryDelay ?? undefined).toBeUndefined();
});

test('activityLog is silent outside an activity context', () => {
  expect(() => activityLog('info', 'outside')).not.toThrow();
});
