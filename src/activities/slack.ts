/**
 * Slack activities (@slack/web-api). A message goes to a person (found by e-mail, as a direct message)
 * or to a channel, always carries the ticket key and its Jira link, and carries the workflow's opKey in
 * its message metadata, which is looked for in the conversation before posting so a retry never posts twice.
 */
import type { WebClient } from '@slack/web-api';
import type { PostSlackMessageInput, PostSlackMessageResult } from './contract';
import type { ActivityDeps } from './clients';
import { createSlackClient } from './clients';
import { activityLog, slackFailure, type ErrorContext } from './errors';

/** Metadata event type of every message deskflow posts. */
export const SLACK_EVENT_TYPE = 'deskflow';

/** Pages of history searched for an earlier post with the same opKey (retries come soon after the post). */
const HISTORY_PAGES = 5;

export function createSlackActivities(
  deps: Pick<ActivityDeps, 'config' | 'slack' | 'jira'>,
  client: WebClient = createSlackClient(deps.slack),
) {
  const browseBase = deps.jira.host.replace(/\/+$/, '');
  const userIds = new Map<string, string>();
  const channelIds = new Map<string, string>();

  async function slack<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw slackFailure(err, ctx);
    }
  }

  /** A Slack user id, or null when no Slack user has that e-mail. */
  async function userIdFor(email: string, ctx: ErrorContext): Promise<string | null> {
    const wanted = email.trim().toLowerCase();
    const cached = userIds.get(wanted);
    if (cached) return cached;
    try {
      const res = await client.users.lookupByEmail({ email: email.trim() });
      const id = res.user?.id;
      if (!id) return null;
      userIds.set(wanted, id);
      return id;
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'users_not_found') return null;
      throw slackFailure(err, ctx);
    }
  }

  async function channelIdFor(name: string, ctx: ErrorContext): Promise<string | null> {
    const bare = name.replace(/^#/, '').toLowerCase();
    const cached = channelIds.get(bare);
    if (cached) return cached;
    let cursor: string | undefined;
    do {
      const page = await slack(ctx, () =>
        client.conversations.list({
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const ch of page.channels ?? []) {
        if (ch.name && ch.id) channelIds.set(ch.name.toLowerCase(), ch.id);
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor && !channelIds.has(bare));
    return channelIds.get(bare) ?? null;
  }

  async function findPosted(channel: string, opKey: string, ctx: ErrorContext): Promise<string | null> {
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const res = await slack(ctx, () =>
        client.conversations.history({
          channel,
          include_all_metadata: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const m of res.messages ?? []) {
        const meta = m.metadata as { event_type?: string; event_payload?: { opKey?: unknown } } | undefined;
        if (meta?.event_type === SLACK_EVENT_TYPE && meta.event_payload?.opKey === opKey && m.ts) return m.ts;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  /**
   * Messages a person by e-mail or a channel about a ticket (S-03 triage, R-04 sales lead, E-02, E-12
   * reminders). An e-mail with no Slack user returns `{sent:false, reason:'user_not_found'}` so the
   * workflow applies the SOP's fallback (an internal note naming who could not be reached).
   */
  async function postSlackMessage(input: PostSlackMessageInput): Promise<PostSlackMessageResult> {
    const { to, ticketKey, opKey } = input;
    const ctx: ErrorContext = {
      ticket: ticketKey,
      action: 'post Slack message',
      fields: { to: { name: 'to', value: to } },
    };

    let channel: string;
    if (to.startsWith('#')) {
      // Posting by name works for a channel the bot cannot list; there is then no history to check.
      channel = (await channelIdFor(to, ctx)) ?? to;
    } else {
      const userId = await userIdFor(to, ctx);
      if (!userId) {
        activityLog('warn', 'no Slack user for e-mail', { to, ticketKey });
        return { sent: false, reason: 'user_not_found', to };
      }
      const opened = await slack(ctx, () => client.conversations.open({ users: userId }));
      const id = opened.channel?.id;
      if (!id) throw slackFailure(new Error('conversations.open returned no channel'), ctx);
      channel = id;
    }

    if (!channel.startsWith('#')) {
      const ts = await findPosted(channel, opKey, ctx);
      if (ts) {
        activityLog('info', 'Slack message already posted', {
          opKey,
          channel,
          ts,
        });
        return { sent: true, channel, ts, duplicate: true };
      }
    }

    const mentions: string[] = [];
    for (const email of input.mention ?? []) {
      const id = await userIdFor(email, ctx);
      mentions.push(id ? `<@${id}>` : email);
    }
    const link = `<${browseBase}/browse/${ticketKey}|${ticketKey}>`;
    const text = `${mentions.length ? `${mentions.join(' ')} ` : ''}${input.text}\n${link}`;
    const res = await slack(ctx, () =>
      client.chat.postMessage({
        channel,
        text,
        unfurl_links: false,
        metadata: {
          event_type: SLACK_EVENT_TYPE,
          event_payload: { opKey, ticketKey },
        },
      }),
    );
    return {
      sent: true,
      channel: res.channel ?? channel,
      ts: res.ts ?? '',
      duplicate: false,
    };
  }

  return { postSlackMessage };
}

export type SlackActivities = ReturnType<typeof createSlackActivities>;
