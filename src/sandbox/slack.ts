/**
 * Slack's Web API under /slack/api/{method}: form-encoded or JSON bodies, a Bearer token, and
 * `{ok:false, error}` with HTTP 200 on errors, as Slack does. Staff and the configured people
 * exist in the workspace; anyone else is `users_not_found`.
 *
 * As strict as a real workspace: every method checks the bot token's scopes (`missing_scope` naming the
 * one needed); only the configured channels exist (posting to an unknown `#name` is `channel_not_found`,
 * never a new channel); reading or posting in a channel the bot is not in needs membership (posting to a
 * public one may use `chat:write.public` instead; `conversations.join` with `channels:join` makes the bot
 * a member); `conversations.history` returns at most 15 messages a call, the limit Slack sets for apps
 * distributed outside the Marketplace, and every call is counted per method.
 */
import { asRecord, intParam, json, type Reply, type Request } from './http';
import { slackUserIdFor, type StoredSlackChannel, type StoredSlackMessage, type StoredState } from './state';

/**
 * The bot token scopes deskflow asks for (README, "Slack app"), and the sandbox's default grant: post
 * (also to public channels it is not in), join public channels, open DMs, find people by e-mail, list
 * channels, and read the history of its own conversations for the duplicate check on a retry.
 */
export const DESKFLOW_SLACK_SCOPES: readonly string[] = [
  'chat:write',
  'chat:write.public',
  'channels:join',
  'channels:read',
  'groups:read',
  'im:write',
  'users:read',
  'users:read.email',
  'channels:history',
  'groups:history',
  'im:history',
];

/** Messages per conversations.history call for apps distributed outside the Slack Marketplace. */
export const HISTORY_PAGE_LIMIT = 15;

/** A channel of the sandbox's workspace. */
export interface SlackChannelDef {
  /** Without '#'. */
  name: string;
  /** Private channels are seen only by their members. Default: public. */
  private?: boolean;
  /** Whether the bot has been invited. Default: false (as for a channel nobody invited deskflow to). */
  botMember?: boolean;
}

export interface SlackWorkspaceOptions {
  /** The bot token's scopes (default DESKFLOW_SLACK_SCOPES). */
  scopes?: readonly string[];
  /** The channels that exist (default: #support, public, the bot not a member). */
  channels?: SlackChannelDef[];
}

export interface SlackOptions extends SlackWorkspaceOptions {
  now: () => Date;
  /** E-mails that have a Slack account (besides staff). */
  isSlackUser: (email: string) => boolean;
  /** Known e-mails (Jira users and configured people), to resolve Slack user ids back to e-mails. */
  knownEmails: () => string[];
  changed: () => void;
}

const TEAM_ID = 'T0SANDBOX1';
const BOT_USER = 'U0DESKFLOW';
const BOT_ID = 'B0DESKFLOW';

export class SlackService {
  private lastTs = 0;
  private readonly scopes: ReadonlySet<string>;
  private readonly calls = new Map<string, number>();

  constructor(
    private state: StoredState,
    private readonly o: SlackOptions,
  ) {
    this.scopes = new Set(o.scopes ?? DESKFLOW_SLACK_SCOPES);
  }

  /** Calls per Web API method so far (e.g. how often conversations.history was read). */
  callCounts(): Record<string, number> {
    return Object.fromEntries(this.calls);
  }

  resetCounts(): void {
    this.calls.clear();
  }

  replaceState(state: StoredState): void {
    this.state = state;
  }

  private channels(): StoredSlackChannel[] {
    return this.state.slack.channels;
  }

  private emailForUser(userId: string): string | undefined {
    return [...this.state.slack.users, ...this.o.knownEmails()].find(
      (e) => slackUserIdFor(e) === userId && this.o.isSlackUser(e),
    );
  }

  /** The recipient of a message: '#name' for channels, the e-mail of the person for DMs. */
  recipient(channelId: string): string {
    const ch = this.channels().find((c) => c.id === channelId);
    if (!ch) return channelId;
    if (ch.name) return `#${ch.name}`;
    return (ch.user && this.emailForUser(ch.user)) ?? ch.user ?? channelId;
  }

  private nextTs(): string {
    // Message timestamps are unique per channel; keep them strictly increasing.
    const micros = Math.max(this.o.now().getTime() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private channelByName(name: string): StoredSlackChannel | undefined {
    const n = name.replace(/^#/, '').toLowerCase();
    return this.channels().find((c) => c.name === n);
  }

  /** Creates a workspace channel (the workspace's people do this in Slack, never the bot's post). */
  addChannel(def: SlackChannelDef): StoredSlackChannel {
    const name = def.name.replace(/^#/, '').toLowerCase();
    if (!/^[a-z0-9][a-z0-9_-]{0,79}$/.test(name)) throw new Error(`'${def.name}' is not a Slack channel name`);
    const existing = this.channelByName(name);
    if (existing) return existing;
    const ch: StoredSlackChannel = {
      id: (def.private ? 'G' : 'C') + (this.channels().length + 1).toString(36).toUpperCase().padStart(8, '0'),
      name,
      user: null,
      created: Math.floor(this.o.now().getTime() / 1000),
      isPrivate: def.private ?? false,
      botMember: def.botMember ?? false,
    };
    this.channels().push(ch);
    this.o.changed();
    return ch;
  }

  private isMember(c: StoredSlackChannel): boolean {
    return c.name === null || c.botMember !== false;
  }

  /** A channel the bot can see: public ones, and private ones it is in. */
  private visible(c: StoredSlackChannel): boolean {
    return !c.isPrivate || this.isMember(c);
  }

  private imFor(userId: string): StoredSlackChannel {
    let ch = this.channels().find((c) => c.user === userId && c.name === null);
    if (!ch) {
      ch = {
        id: 'D' + userId.slice(1),
        name: null,
        user: userId,
        created: Math.floor(this.o.now().getTime() / 1000),
      };
      this.channels().push(ch);
      this.o.changed();
    }
    return ch;
  }

  ensureSeeded(): void {
    for (const def of this.o.channels ?? [{ name: 'support' }]) this.addChannel(def);
  }

  private userJson(email: string): Record<string, unknown> {
    const id = slackUserIdFor(email);
    const local = email.split('@')[0] ?? email;
    const realName = local
      .split(/[._-]+/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ');
    return {
      id,
      team_id: TEAM_ID,
      name: local.toLowerCase(),
      deleted: false,
      real_name: realName,
      tz: 'America/Los_Angeles',
      is_admin: false,
      is_bot: false,
      is_app_user: false,
      profile: {
        email,
        real_name: realName,
        display_name: realName,
        team: TEAM_ID,
      },
    };
  }

  private channelJson(c: StoredSlackChannel): Record<string, unknown> {
    if (c.name === null)
      return {
        id: c.id,
        created: c.created,
        is_im: true,
        is_org_shared: false,
        user: c.user,
        is_user_deleted: false,
        priority: 0,
      };
    return {
      id: c.id,
      name: c.name,
      name_normalized: c.name,
      is_channel: !c.isPrivate,
      is_group: c.isPrivate === true,
      is_im: false,
      is_mpim: false,
      is_private: c.isPrivate === true,
      is_archived: false,
      is_general: c.name === 'general',
      is_member: this.isMember(c),
      created: c.created,
      creator: BOT_USER,
      num_members: 1,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
    };
  }

  private messageJson(m: StoredSlackMessage, withMetadata: boolean): Record<string, unknown> {
    return {
      type: 'message',
      user: BOT_USER,
      bot_id: BOT_ID,
      app_id: 'A0DESKFLOW',
      text: m.text,
      ts: m.ts,
      team: TEAM_ID,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    };
  }

  /** A channel by id or name as the bot sees it: a private channel it is not in does not exist for it. */
  private resolveChannel(ref: string): StoredSlackChannel | undefined {
    let ch: StoredSlackChannel | undefined;
    if (/^[CDG][A-Z0-9]{6,}$/.test(ref)) ch = this.channels().find((c) => c.id === ref);
    else if (/^U[A-Z0-9]{6,}$/.test(ref)) return this.emailForUser(ref) ? this.imFor(ref) : undefined;
    else ch = this.channelByName(ref);
    return ch && this.visible(ch) ? ch : undefined;
  }

  /** The scope a method needs, or undefined when the token has it. */
  private missing(...needed: string[]): string | undefined {
    const lacking = needed.filter((s) => !this.scopes.has(s));
    return lacking.length ? lacking.join(',') : undefined;
  }

  private historyScope(c: StoredSlackChannel): string {
    return c.name === null ? 'im:history' : c.isPrivate ? 'groups:history' : 'channels:history';
  }

  handle(method: string, req: Request): Reply {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    const reply = this.dispatch(method, req);
    // Slack names the token's scopes on every answer; @slack/web-api reads them into response_metadata.
    return { ...reply, headers: { ...reply.headers, 'x-oauth-scopes': [...this.scopes].join(',') } };
  }

  private dispatch(method: string, req: Request): Reply {
    const args: Record<string, unknown> = {
      ...Object.fromEntries(req.query.entries()),
      ...asRecord(req.body),
    };
    const auth = String(req.headers.authorization ?? '');
    const token = /^Bearer\s+(\S+)/i.exec(auth)?.[1] ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!token) return json(200, { ok: false, error: 'not_authed' });
    const fail = (error: string, extra: Record<string, unknown> = {}) => json(200, { ok: false, error, ...extra });
    const noScope = (needed: string) => fail('missing_scope', { needed, provided: [...this.scopes].join(',') });
    const bool = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;
    switch (method) {
      case 'api.test':
        return json(200, { ok: true, args });
      case 'auth.test':
        return json(200, {
          ok: true,
          url: 'https://sandbox.slack.com/',
          team: 'Sandbox',
          user: 'deskflow',
          team_id: TEAM_ID,
          user_id: BOT_USER,
          bot_id: BOT_ID,
          is_enterprise_install: false,
        });
      case 'users.lookupByEmail': {
        const lacking = this.missing('users:read.email');
        if (lacking) return noScope(lacking);
        const email = typeof args.email === 'string' ? args.email.trim() : '';
        if (!email) return fail('invalid_arguments');
        if (!this.o.isSlackUser(email)) return fail('users_not_found');
        if (!this.state.slack.users.some((u) => u.toLowerCase() === email.toLowerCase())) {
          this.state.slack.users.push(email);
          this.o.changed();
        }
        return json(200, { ok: true, user: this.userJson(email) });
      }
      case 'users.info': {
        const lacking = this.missing('users:read');
        if (lacking) return noScope(lacking);
        const email = this.emailForUser(String(args.user ?? ''));
        return email ? json(200, { ok: true, user: this.userJson(email) }) : fail('user_not_found');
      }
      case 'conversations.open': {
        const lacking = this.missing('im:write');
        if (lacking) return noScope(lacking);
        if (typeof args.channel === 'string' && args.channel) {
          const ch = this.channels().find((c) => c.id === args.channel);
          return ch
            ? json(200, {
                ok: true,
                no_op: true,
                already_open: true,
                channel: { id: ch.id },
              })
            : fail('channel_not_found');
        }
        const users = String(args.users ?? '')
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean);
        if (users.length === 0) return fail('users_list_not_supplied');
        if (users.length > 1) return fail('not_enough_users');
        if (!this.emailForUser(users[0]!)) return fail('user_not_found');
        const existed = this.channels().some((c) => c.user === users[0] && c.name === null);
        const ch = this.imFor(users[0]!);
        return json(200, {
          ok: true,
          ...(existed ? { no_op: true, already_open: true } : {}),
          channel: { id: ch.id },
        });
      }
      case 'chat.postMessage': {
        const lacking = this.missing('chat:write');
        if (lacking) return noScope(lacking);
        const ref = typeof args.channel === 'string' ? args.channel.trim() : '';
        if (!ref) return fail('channel_not_found');
        const text = typeof args.text === 'string' ? args.text : '';
        let blocks: unknown = args.blocks;
        if (typeof blocks === 'string') {
          try {
            blocks = JSON.parse(blocks);
          } catch {
            return fail('invalid_blocks');
          }
        }
        if (!text && !blocks) return fail('no_text');
        let metadata: unknown = args.metadata;
        if (typeof metadata === 'string') {
          try {
            metadata = JSON.parse(metadata);
          } catch {
            return fail('invalid_metadata_format');
          }
        }
        let meta: StoredSlackMessage['metadata'] = null;
        if (metadata !== undefined) {
          const m = asRecord(metadata);
          if (typeof m.event_type !== 'string' || !m.event_type) return fail('invalid_metadata_format');
          meta = {
            event_type: m.event_type,
            event_payload: asRecord(m.event_payload),
          };
        }
        const ch = this.resolveChannel(ref);
        if (!ch) return fail('channel_not_found');
        if (!this.isMember(ch)) {
          // A public channel the bot is not in: only chat:write.public lets it post there.
          if (!this.scopes.has('chat:write.public')) return fail('not_in_channel');
        }
        const threadTs = typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : null;
        const msg: StoredSlackMessage = {
          channel: ch.id,
          text,
          ts: this.nextTs(),
          threadTs,
          metadata: meta,
          blocks: blocks ?? null,
        };
        this.state.slack.messages.push(msg);
        this.o.changed();
        return json(200, {
          ok: true,
          channel: ch.id,
          ts: msg.ts,
          message: this.messageJson(msg, true),
        });
      }
      case 'chat.getPermalink': {
        const ch = this.channels().find((c) => c.id === args.channel);
        const msg = this.state.slack.messages.find((m) => m.channel === args.channel && m.ts === args.message_ts);
        if (!ch) return fail('channel_not_found');
        if (!msg) return fail('message_not_found');
        return json(200, {
          ok: true,
          channel: ch.id,
          permalink: `https://sandbox.slack.com/archives/${ch.id}/p${msg.ts.replace('.', '')}`,
        });
      }
      case 'conversations.history': {
        const ref = String(args.channel ?? '');
        const ch = /^U/.test(ref) ? undefined : this.resolveChannel(ref);
        if (!ch) return fail('channel_not_found');
        const lacking = this.missing(this.historyScope(ch));
        if (lacking) return noScope(lacking);
        if (!this.isMember(ch)) return fail('not_in_channel');
        const limit = Math.min(HISTORY_PAGE_LIMIT, Math.max(1, intParam(args.limit, 100)));
        const offset =
          typeof args.cursor === 'string' && args.cursor
            ? Number(
                Buffer.from(args.cursor, 'base64')
                  .toString('utf8')
                  .replace(/^next_ts:/, ''),
              )
            : 0;
        if (!Number.isFinite(offset)) return fail('invalid_cursor');
        const oldest = typeof args.oldest === 'string' ? Number(args.oldest) : undefined;
        const latest = typeof args.latest === 'string' ? Number(args.latest) : undefined;
        const all = this.state.slack.messages
          .filter((m) => m.channel === ch.id && m.threadTs === null)
          .filter(
            (m) => (oldest === undefined || Number(m.ts) >= oldest) && (latest === undefined || Number(m.ts) <= latest),
          )
          .reverse();
        const page = all.slice(offset, offset + limit);
        const hasMore = offset + page.length < all.length;
        return json(200, {
          ok: true,
          messages: page.map((m) => this.messageJson(m, bool(args.include_all_metadata))),
          has_more: hasMore,
          pin_count: 0,
          channel_actions_ts: null,
          channel_actions_count: 0,
          response_metadata: {
            next_cursor: hasMore ? Buffer.from(`next_ts:${offset + page.length}`).toString('base64') : '',
          },
        });
      }
      case 'conversations.list': {
        const types = String(args.types ?? 'public_channel')
          .split(',')
          .map((t) => t.trim());
        const typeScopes: Record<string, string> = {
          public_channel: 'channels:read',
          private_channel: 'groups:read',
          im: 'im:read',
          mpim: 'mpim:read',
        };
        const lacking = this.missing(...types.map((t) => typeScopes[t] ?? 'channels:read'));
        if (lacking) return noScope(lacking);
        const all = this.channels().filter(
          (c) =>
            (c.name !== null && !c.isPrivate && types.includes('public_channel')) ||
            (c.name !== null && c.isPrivate === true && this.isMember(c) && types.includes('private_channel')) ||
            (c.name === null && types.includes('im')),
        );
        const limit = Math.min(1000, Math.max(1, intParam(args.limit, 100)));
        const offset =
          typeof args.cursor === 'string' && args.cursor
            ? Number(
                Buffer.from(args.cursor, 'base64')
                  .toString('utf8')
                  .replace(/^offset:/, ''),
              )
            : 0;
        if (!Number.isFinite(offset)) return fail('invalid_cursor');
        const page = all.slice(offset, offset + limit);
        const more = offset + page.length < all.length;
        return json(200, {
          ok: true,
          channels: page.map((c) => this.channelJson(c)),
          response_metadata: {
            next_cursor: more ? Buffer.from(`offset:${offset + page.length}`).toString('base64') : '',
          },
        });
      }
      case 'conversations.join': {
        const lacking = this.missing('channels:join');
        if (lacking) return noScope(lacking);
        const ref = String(args.channel ?? '');
        const ch = /^U/.test(ref) ? undefined : this.resolveChannel(ref);
        if (!ch) return fail('channel_not_found');
        if (ch.isPrivate || ch.name === null) return fail('method_not_supported_for_channel_type');
        const already = this.isMember(ch);
        if (!already) {
          ch.botMember = true;
          this.o.changed();
        }
        return json(200, {
          ok: true,
          channel: this.channelJson(ch),
          ...(already
            ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }
            : {}),
        });
      }
      default:
        return fail('unknown_method');
    }
  }
}
