/**
 * The sandbox's Slack is as strict as a real workspace (issue 14): scopes, membership, channel names that
 * must exist, and conversations.history capped at 15 messages a call and counted.
 */
import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api';
import { DESKFLOW_SLACK_SCOPES } from '../../src/sandbox/slack';
import type { SandboxOptions } from '../../src/sandbox/server';
import { clients, startHarness, type Harness } from './setup';

const open: Harness[] = [];
afterAll(async () => {
  for (const h of open) await h.close();
});

async function workspace(slack: SandboxOptions['slack']) {
  const h = await startHarness({ webhookUrl: undefined, slack });
  open.push(h);
  return { h, slack: clients(h.sandbox).slack };
}

async function slackError(call: Promise<unknown>): Promise<WebAPIPlatformError['data']> {
  try {
    await call;
  } catch (e) {
    const err = e as WebAPIPlatformError;
    if (err.code === ErrorCode.PlatformError) return err.data;
    throw e;
  }
  throw new Error('expected a Slack error');
}

test('an unknown #channel is channel_not_found and is never created by a post', async () => {
  const { h, slack } = await workspace(undefined);
  expect((await slackError(slack.chat.postMessage({ channel: '#suport', text: 'x' }))).error).toBe('channel_not_found');
  const { channels } = await slack.conversations.list({});
  expect(channels!.map((c) => c.name)).toEqual(['support']);
  expect(h.sandbox.state().slack).toHaveLength(0);
});

test('a public channel the bot is not in: posting needs chat:write.public, reading needs membership', async () => {
  const scopes = DESKFLOW_SLACK_SCOPES.filter((s) => s !== 'chat:write.public');
  const { slack } = await workspace({ scopes, channels: [{ name: 'support' }] });
  const { channels } = await slack.conversations.list({});
  const support = channels!.find((c) => c.name === 'support')!;
  expect(support.is_member).toBe(false);
  expect((await slackError(slack.chat.postMessage({ channel: support.id!, text: 'x' }))).error).toBe('not_in_channel');
  expect((await slackError(slack.conversations.history({ channel: support.id! }))).error).toBe('not_in_channel');
  const joined = await slack.conversations.join({ channel: support.id! });
  expect(joined.channel).toMatchObject({ id: support.id, is_member: true });
  await slack.chat.postMessage({ channel: support.id!, text: 'now a member' });
  const history = await slack.conversations.history({ channel: support.id! });
  expect(history.messages!.map((m) => m.text)).toEqual(['now a member']);
});

test('with chat:write.public the bot posts to a public channel it is not in, but cannot read it', async () => {
  const { h, slack } = await workspace(undefined);
  await slack.chat.postMessage({ channel: '#support', text: 'from outside' });
  expect(h.sandbox.state().slack.map((m) => m.to)).toEqual(['#support']);
  const { channels } = await slack.conversations.list({});
  expect((await slackError(slack.conversations.history({ channel: channels![0]!.id! }))).error).toBe('not_in_channel');
});

test('a private channel the bot is not in does not exist for it; one it is in works', async () => {
  const { slack } = await workspace({
    channels: [
      { name: 'support' },
      { name: 'secret', private: true },
      { name: 'team', private: true, botMember: true },
    ],
  });
  const { channels } = await slack.conversations.list({ types: 'public_channel,private_channel' });
  expect(channels!.map((c) => c.name).sort()).toEqual(['support', 'team']);
  expect((await slackError(slack.chat.postMessage({ channel: '#secret', text: 'x' }))).error).toBe('channel_not_found');
  const posted = await slack.chat.postMessage({ channel: '#team', text: 'hi' });
  expect(posted.ok).toBe(true);
});

test('every method checks its scope and names the one missing', async () => {
  const { slack } = await workspace({ scopes: ['chat:write'], channels: [{ name: 'support', botMember: true }] });
  const lookup = await slackError(slack.users.lookupByEmail({ email: 'jordan.chriss@sighten.io' }));
  expect(lookup).toMatchObject({ error: 'missing_scope', needed: 'users:read.email' });
  expect(await slackError(slack.conversations.list({ types: 'public_channel' }))).toMatchObject({
    needed: 'channels:read',
  });
  expect(await slackError(slack.conversations.open({ users: 'U123456789' }))).toMatchObject({ needed: 'im:write' });
  const posted = await slack.chat.postMessage({ channel: '#support', text: 'x' });
  expect(await slackError(slack.conversations.history({ channel: posted.channel! }))).toMatchObject({
    needed: 'channels:history',
  });
  expect(await slackError(slack.conversations.join({ channel: posted.channel! }))).toMatchObject({
    needed: 'channels:join',
  });
});

test('conversations.history returns at most 15 messages a call and every call is counted', async () => {
  const { h, slack } = await workspace({ channels: [{ name: 'busy', botMember: true }] });
  for (let i = 1; i <= 20; i++) await slack.chat.postMessage({ channel: '#busy', text: `m${i}` });
  const { channels } = await slack.conversations.list({});
  const id = channels!.find((c) => c.name === 'busy')!.id!;
  const first = await slack.conversations.history({ channel: id, limit: 200 });
  expect(first.messages).toHaveLength(15);
  expect(first.messages![0]!.text).toBe('m20');
  expect(first.has_more).toBe(true);
  const rest = await slack.conversations.history({ channel: id, cursor: first.response_metadata!.next_cursor! });
  expect(rest.messages).toHaveLength(5);
  expect(h.sandbox.state().slackCalls).toMatchObject({ 'conversations.history': 2, 'chat.postMessage': 20 });
});
