/**
 * The sandbox's chaos settings for `npm run chaos` (bench/chaos.ts), all off by default and set through
 * the control API (`POST /_sandbox/chaos`, `GET` reads them with counters, `DELETE` turns them off):
 *
 * - webhooks: every event delivered `copies` times (copies get fresh X-Atlassian-Webhook-Identifier
 *   values when `freshIds`, so the relay's memory of recent ids cannot hide them), each copy after a
 *   random delay up to `shuffleMs` (so copies and events arrive shuffled and concurrently, as Jira
 *   Cloud's parallel delivery does), a share `dropRate` of attempts lost on the way (retried later,
 *   as Jira retries a delivery that got no answer).
 * - jira: a share `errorRate` of REST calls answered 503, or 429 with Retry-After (`share429`), until
 *   `until`; `rejectField` answers 400 for any write carrying that field ("a bad field").
 * - slack: `perChannelPerSecond` enforces Slack's per-channel posting limit on chat.postMessage
 *   (429 `ratelimited` with Retry-After), with a burst allowance of one second's worth.
 *
 * Randomness comes from a seeded generator so a run can be repeated.
 */
import { createHmac } from 'node:crypto';
import { json, asRecord, type Reply, type Request } from './http';
import type { StoredIssue } from './state';

export interface ChaosSettings {
  webhooks?: {
    copies?: number;
    freshIds?: boolean;
    shuffleMs?: number;
    dropRate?: number;
  };
  jira?: {
    errorRate?: number;
    share429?: number;
    retryAfterSeconds?: number;
    /** ISO-8601 or epoch ms; absent: until turned off. */
    until?: string | number;
    rejectField?: string;
  };
  slack?: { perChannelPerSecond?: number };
  seed?: number;
}

export interface ChaosCounters {
  webhookCopies: number;
  webhookDrops: number;
  webhookRetries: number;
  webhookPending: number;
  jiraFaults: number;
  jira429: number;
  jiraRejectedField: number;
  /** A call to an issue's path that came back sooner than the Retry-After of the 429 it got. */
  retryAfterIgnored: number;
  slackLimited: number;
}

export interface ChaosOptions {
  url?: string;
  secret?: string;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const share = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ChaosSettingsError(`${name} must be between 0 and 1`);
  return v;
};
const count = (v: unknown, name: string, max: number): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw new ChaosSettingsError(`${name} must be an integer from 0 to ${max}`);
  return v;
};

export class ChaosSettingsError extends Error {}

/** Checks a control-API body; throws ChaosSettingsError naming the bad field. */
export function parseChaosSettings(body: unknown): ChaosSettings {
  const b = asRecord(body);
  const w = asRecord(b.webhooks);
  const j = asRecord(b.jira);
  const s = asRecord(b.slack);
  const out: ChaosSettings = {};
  if (b.webhooks !== undefined)
    out.webhooks = {
      copies: count(w.copies, 'webhooks.copies', 10),
      freshIds: w.freshIds === true,
      shuffleMs: count(w.shuffleMs, 'webhooks.shuffleMs', 600_000),
      dropRate: share(w.dropRate, 'webhooks.dropRate'),
    };
  if (b.jira !== undefined) {
    if (j.rejectField !== undefined && typeof j.rejectField !== 'string')
      throw new ChaosSettingsError('jira.rejectField must be a field name');
    if (j.until !== undefined && Number.isNaN(new Date(j.until as string).getTime()))
      throw new ChaosSettingsError('jira.until must be a date');
    out.jira = {
      errorRate: share(j.errorRate, 'jira.errorRate'),
      share429: share(j.share429, 'jira.share429'),
      retryAfterSeconds: count(j.retryAfterSeconds, 'jira.retryAfterSeconds', 3600),
      until: j.until as string | number | undefined,
      rejectField: j.rejectField as string | undefined,
    };
  }
  if (b.slack !== undefined)
    out.slack = { perChannelPerSecond: count(s.perChannelPerSecond, 'slack.perChannelPerSecond', 1000) };
  if (b.seed !== undefined) out.seed = count(b.seed, 'seed', 2 ** 31);
  return out;
}

export class Chaos {
  private settings: ChaosSettings = {};
  private random = mulberry32(1);
  private seq = 0;
  private readonly prefix = `chaos-${Date.now().toString(36)}`;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;
  readonly counters: ChaosCounters = {
    webhookCopies: 0,
    webhookDrops: 0,
    webhookRetries: 0,
    webhookPending: 0,
    jiraFaults: 0,
    jira429: 0,
    jiraRejectedField: 0,
    retryAfterIgnored: 0,
    slackLimited: 0,
  };
  /** Per issue path answered 429: not before this time (ms). */
  private readonly notBefore = new Map<string, number>();

  constructor(private readonly options: ChaosOptions) {}

  set(settings: ChaosSettings): void {
    this.settings = settings;
    for (const k of Object.keys(this.counters) as (keyof ChaosCounters)[])
      if (k !== 'webhookPending') this.counters[k] = 0;
    this.notBefore.clear();
    this.random = mulberry32(settings.seed ?? 1);
    this.buckets.clear();
  }

  off(): void {
    this.settings = {};
  }

  view(): { settings: ChaosSettings; counters: ChaosCounters } {
    return { settings: this.settings, counters: { ...this.counters } };
  }

  idle(): Promise<void> {
    if (this.counters.webhookPending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.counters.webhookPending = 0;
    this.settle();
  }

  // ------------------------------------------------------------------ webhooks

  /** True when chaos delivers this event (duplicated, shuffled, concurrent); false: the normal queue does. */
  takeWebhook(payload: unknown): boolean {
    const w = this.settings.webhooks;
    if (!w || !this.options.url || this.closed) return false;
    const body = JSON.stringify(payload);
    this.seq += 1;
    const id = `${this.prefix}-${this.seq}`;
    const copies = Math.max(1, w.copies ?? 1);
    for (let c = 0; c < copies; c += 1) {
      this.counters.webhookCopies += 1;
      this.counters.webhookPending += 1;
      const copyId = c > 0 && w.freshIds ? `${id}-copy${c}` : id;
      this.later(Math.floor(this.random() * (w.shuffleMs ?? 0)), () => void this.deliver(copyId, body, 100));
    }
    return true;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private async deliver(id: string, body: string, backoffMs: number): Promise<void> {
    if (this.closed) return;
    const drop = (this.settings.webhooks?.dropRate ?? 0) > this.random();
    let ok = false;
    if (drop) this.counters.webhookDrops += 1;
    else ok = await this.post(id, body);
    if (this.closed) return;
    if (ok) {
      this.counters.webhookPending -= 1;
      this.settle();
      return;
    }
    this.counters.webhookRetries += 1;
    this.later(backoffMs, () => void this.deliver(id, body, Math.min(backoffMs * 2, 5_000)));
  }

  private async post(id: string, body: string): Promise<boolean> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': 'Atlassian Webhook HTTP Client',
      'X-Atlassian-Webhook-Identifier': id,
    };
    if (this.options.secret)
      headers['X-Hub-Signature'] = 'sha256=' + createHmac('sha256', this.options.secret).update(body).digest('hex');
    try {
      const res = await fetch(this.options.url!, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status >= 200 && res.status < 300;
    } catch {
      return false;
    }
  }

  private settle(): void {
    if (this.counters.webhookPending > 0) return;
    const waiters = this.idleWaiters.splice(0);
    waiters.forEach((w) => w());
  }

  // ------------------------------------------------------------------ Jira

  /** A fault reply for a Jira REST call, or undefined to handle it normally. */
  jiraReply(req: Request): Reply | undefined {
    const j = this.settings.jira;
    if (!j) return undefined;
    if (j.rejectField && req.method !== 'GET' && fieldsOf(req.body).includes(j.rejectField)) {
      this.counters.jiraRejectedField += 1;
      return json(400, {
        errorMessages: [],
        errors: {
          [j.rejectField]: `Field '${j.rejectField}' cannot be set. It is not on the appropriate screen, or unknown.`,
        },
      });
    }
    // The same request again (method, path, query and body) on an issue: a retry.
    const issuePath = /\/issue\/[A-Z][A-Z0-9_]*-\d+/.test(req.path)
      ? `${req.method} ${req.path}?${req.query.toString()} ${req.rawBody}`
      : undefined;
    if (issuePath !== undefined) {
      const due = this.notBefore.get(issuePath);
      if (due !== undefined) {
        this.notBefore.delete(issuePath);
        if (Date.now() < due) this.counters.retryAfterIgnored += 1;
      }
    }
    const until = j.until === undefined ? undefined : new Date(j.until).getTime();
    if (until !== undefined && Date.now() >= until) return undefined;
    if (!((j.errorRate ?? 0) > this.random())) return undefined;
    this.counters.jiraFaults += 1;
    if ((j.share429 ?? 0.5) > this.random()) {
      this.counters.jira429 += 1;
      // 100 ms of slack for the clocks of two processes and the request's own travel.
      if (issuePath !== undefined) this.notBefore.set(issuePath, Date.now() + (j.retryAfterSeconds ?? 1) * 1000 - 100);
      return json(
        429,
        { errorMessages: ['Rate limit exceeded.'], errors: {} },
        { 'Retry-After': String(j.retryAfterSeconds ?? 1), 'X-RateLimit-Reason': 'jira-quota-tenant-based' },
      );
    }
    return json(503, { errorMessages: ['Service Unavailable: the sandbox is simulating an outage.'], errors: {} });
  }

  // ------------------------------------------------------------------ Slack

  /** 429 `ratelimited` when chat.postMessage goes over the channel's rate; undefined otherwise. */
  slackReply(method: string, req: Request): Reply | undefined {
    const rate = this.settings.slack?.perChannelPerSecond;
    if (!rate || method !== 'chat.postMessage') return undefined;
    const channel = String(asRecord(req.body).channel ?? '');
    const now = Date.now();
    const b = this.buckets.get(channel) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(channel, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    this.counters.slackLimited += 1;
    const wait = Math.max(1, Math.ceil((1 - b.tokens) / rate));
    return json(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(wait) });
  }
}

/** Field names a Jira write carries (`fields` and `update` of an issue create or edit). */
function fieldsOf(body: unknown): string[] {
  const b = asRecord(body);
  return [...Object.keys(asRecord(b.fields)), ...Object.keys(asRecord(b.update))];
}

/** Every status change of every issue, oldest first (`GET /_sandbox/transitions`), for the chaos audit. */
export function statusChanges(
  issues: readonly StoredIssue[],
): Record<string, { from: string | null; to: string | null; at: string }[]> {
  const out: Record<string, { from: string | null; to: string | null; at: string }[]> = {};
  for (const issue of issues) {
    out[issue.key] = issue.changelog.flatMap((e) =>
      e.items.filter((i) => i.field === 'status').map((i) => ({ from: i.fromString, to: i.toString, at: e.created })),
    );
  }
  return out;
}
