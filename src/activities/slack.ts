/**
 * Slack activities (@slack/web-api). A message goes to a person (found by e-mail, as a direct message)
 * or to a channel, always carries the ticket key and its Jira link, and carries the workflow's opKey in
 * its message metadata. On a retry only, the conversation's latest messages are searched for that opKey
 * before posting, so a retry never posts twice and a first attempt costs no history call (Slack allows
 * apps outside its Marketplace one conversations.history call a minute, 15 messages each).
 *
 * A channel deskflow is not in is joined first (public channels, `channels:join`); without that scope
 * the post relies on `chat:write.public`. A refusal names the channel and what Slack says is missing.
 */
import { Context } from '@temporalio/activity';
import type { WebClient } from '@slack/web-api';
import type { PostSlackMessageInput, PostSlackMessageResult } from './contract';
import type { ActivityDeps } from './clients';
import { createSlackClient } from './clients';
import { ActivityErrorType, activityLog, rejected, slackFailure, type ErrorContext } from './errors';

/** Metadata event type of every message deskflow posts. */
export const SLACK_EVENT_TYPE = 'deskflow';

/**
 * Pages of history searched for an earlier post with the same opKey. Retries come soon after the post,
 * so the latest few pages (15 messages each, Slack's cap outside the Marketplace) hold it.
 */
const HISTORY_PAGES = 3;
const HISTORY_PAGE_SIZE = 15;

interface ChannelInfo {
  id: string;
  member: boolean;
  private: boolean;
}

/** The Slack error code of a failed call ('' when it is not an `ok:false` answer). */
function slackError(err: unknown): string {
  const e = (err as { data?: { error?: unknown } }).data?.error;
  return typeof e === 'string' ? e : '';
}

/**
 * Whether this call may follow an attempt that already posted. A local activity may: a lost workflow task
 * runs it again as attempt 1. So may the regular activity that took over from a failed local one (older
 * runs, src/workflows/activities.ts), from its first attempt on. Workflows that send Slack messages as
 * regular activities only say so (`firstAttemptIsFirstTry`): there only attempts after the first are.
 */
function isRetry(firstAttemptIsFirstTry: boolean): boolean {
  let info: { attempt: number; isLocal: boolean };
  try {
    info = Context.current().info;
  } catch {
    return true; // outside an activity (a script): be safe
  }
  if (info.isLocal) return true; // a lost workflow task runs a local activity again as attempt 1
  return info.attempt > 1 || !firstAttemptIsFirstTry;
}

export function createSlackActivities(
  deps: Pick<ActivityDeps, 'config' | 'slack' | 'jira'>,
  client: WebClient = createSlackClient(deps.slack),
) {
  const browseBase = deps.jira.host.replace(/\/+$/, '');
  const userIds = new Map<string, string>();
  const channels = new Map<string, ChannelInfo>();

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

  /** The channel by name as the bot sees it; null when the workspace has no such channel it can see. */
  async function channelFor(name: string, ctx: ErrorContext): Promise<ChannelInfo | null> {
    const bare = name.replace(/^#/, '').toLowerCase();
    const cached = channels.get(bare);
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
        if (ch.name && ch.id)
          channels.set(ch.name.toLowerCase(), {
            id: ch.id,
            member: ch.is_member === true,
            private: ch.is_private === true,
          });
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor && !channels.has(bare));
    return channels.get(bare) ?? null;
  }

  /**
   * Makes deskflow a member of a public channel it is not in, so it can read its history on a retry.
   * Without `channels:join` it stays outside and posts through `chat:write.public`.
   */
  async function joinChannel(name: string, ch: ChannelInfo, ctx: ErrorContext): Promise<void> {
    if (ch.member || ch.private) return;
    try {
      await client.conversations.join({ channel: ch.id });
      ch.member = true;
      activityLog('info', 'joined Slack channel', { channel: name });
    } catch (err) {
      if (slackError(err) !== 'missing_scope') throw slackFailure(err, ctx);
      activityLog('warn', 'not in the Slack channel and no channels:join scope: posting with chat:write.public', {
        channel: name,
      });
    }
  }

  async function findPosted(channel: string, opKey: string, ctx: ErrorContext): Promise<string | null> {
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const res = await slack(ctx, () =>
        client.conversations.history({
          channel,
          include_all_metadata: true,
          limit: HISTORY_PAGE_SIZE,
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
    let canReadHistory = true;
    if (to.startsWith('#')) {
      const ch = await channelFor(to, ctx);
      if (!ch) {
        throw rejected(
          ActivityErrorType.NotFound,
          `${ticketKey}: Slack channel ${to} not found: it does not exist in the workspace, or it is private and deskflow is not in it (create it, or invite the app)`,
        );
      }
      await joinChannel(to, ch, ctx);
      channel = ch.id;
      canReadHistory = ch.member;
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

    const retry = isRetry(input.firstAttemptIsFirstTry === true);
    if (retry && canReadHistory) {
      const ts = await findPosted(channel, opKey, ctx);
      if (ts) {
        activityLog('info', 'Slack message already posted', {
          opKey,
          channel,
          ts,
        });
        return { sent: true, channel, ts, duplicate: true };
      }
    } else if (retry) {
      activityLog('warn', 'retry without a duplicate check: deskflow cannot read the channel', { to, opKey });
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
