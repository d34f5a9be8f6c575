/**
 * Slack's Web API under /slack/api/{method}: form-encoded or JSON bodies, a Bearer token, and
 * `{ok:false, error}` with HTTP 200 on errors, as Slack does. Staff and the configured people
 * exist in the workspace; anyone else is `users_not_found`.
 */
import { asRecord, intParam, json, type Reply, type Request } from './http';
import { slackUserIdFor, type StoredSlackChannel, type StoredSlackMessage, type StoredState } from './state';

export interface SlackOptions {
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

  constructor(
    private state: StoredState,
    private readonly o: SlackOptions,
  ) {}

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

  private channelByName(name: string, create: boolean): StoredSlackChannel | undefined {
    const n = name.replace(/^#/, '').toLowerCase();
    let ch = this.channels().find((c) => c.name === n);
    if (!ch && create) {
      ch = {
        id: 'C' + (this.channels().length + 1).toString(36).toUpperCase().padStart(8, '0'),
        name: n,
        user: null,
        created: Math.floor(this.o.now().getTime() / 1000),
      };
      this.channels().push(ch);
      this.o.changed();
    }
    return ch;
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
    this.channelByName('support', true);
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
      is_channel: true,
      is_group: false,
      is_im: false,
      is_mpim: false,
      is_private: false,
      is_archived: false,
      is_general: c.name === 'general',
      is_member: true,
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

  private resolveChannel(ref: string, create: boolean): StoredSlackChannel | undefined {
    if (/^[CDG][A-Z0-9]{6,}$/.test(ref)) return this.channels().find((c) => c.id === ref);
    if (/^U[A-Z0-9]{6,}$/.test(ref)) return this.emailForUser(ref) ? this.imFor(ref) : undefined;
    return this.channelByName(ref, create);
  }

  handle(method: string, req: Request): Reply {
    const args: Record<string, unknown> = {
      ...Object.fromEntries(req.query.entries()),
      ...asRecord(req.body),
    };
    const auth = String(req.headers.authorization ?? '');
    const token = /^Bearer\s+(\S+)/i.exec(auth)?.[1] ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!token) return json(200, { ok: false, error: 'not_authed' });
    const fail = (error: string, extra: Record<string, unknown> = {}) => json(200, { ok: false, error, ...extra });
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
        const email = this.emailForUser(String(args.user ?? ''));
        return email ? json(200, { ok: true, user: this.userJson(email) }) : fail('user_not_found');
      }
      case 'conversations.open': {
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
        const ch = this.resolveChannel(ref, true);
        if (!ch) return fail('channel_not_found');
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
        const ch = this.channels().find((c) => c.id === args.channel);
        if (!ch) return fail('channel_not_found');
        const limit = Math.min(999, Math.max(1, intParam(args.limit, 100)));
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
        const all = this.channels().filter(
          (c) => (c.name !== null && types.includes('public_channel')) || (c.name === null && types.includes('im')),
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
      default:
        return fail('unknown_method');
    }
  }
}
