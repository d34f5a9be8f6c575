/**
 * Outgoing Jira webhooks: delivered one at a time, in the order the changes happened. As Jira Cloud
 * does, a delivery answered 408, 409, 425, 429 or 5xx (or not answered) is retried with backoff and the
 * same X-Atlassian-Webhook-Identifier; any other 4xx is final and the event is dropped. The raw body is
 * signed with HMAC-SHA256 in X-Hub-Signature when a secret is set. Jira also delivers late, twice and
 * out of order: `faults` turns that on, drawn from a seeded generator so a run is reproducible.
 */
import { createHmac } from 'node:crypto';

export interface WebhookQueueOptions {
  url?: string;
  secret?: string;
  /** First retry delay, doubled each attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  faults?: WebhookFaults;
}

/** Jira Cloud's delivery quirks, off by default; each rate is a probability per event (0..1). */
export interface WebhookFaults {
  /** Seed of the generator deciding which events are affected (same seed, same story). */
  seed?: number;
  /** Delivered a second time (same identifier) right after the first delivery. */
  duplicateRate?: number;
  /** Held back and delivered after the event queued behind it. */
  reorderRate?: number;
  /** Each delivery waits up to this long (real milliseconds, drawn per event) before it is sent. */
  maxDelayMs?: number;
}

/** Statuses after which Jira Cloud retries a delivery; any other non-2xx answer is final. */
export const RETRIED_STATUSES: readonly number[] = [408, 409, 425, 429];

function retried(status: number): boolean {
  return status >= 500 || RETRIED_STATUSES.includes(status);
}

/** mulberry32: a small seeded generator, so the faults are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Pending {
  id: string;
  body: string;
  /** Already moved behind its successor once (a reordered event is not moved again). */
  held?: boolean;
}

type Outcome = 'delivered' | 'retry' | 'refused';

export class WebhookQueue {
  private readonly queue: Pending[] = [];
  private running = false;
  private closed = false;
  private delivered = 0;
  private dropped = 0;
  private seq = 0;
  private faults: WebhookFaults = {};
  private random: () => number = seeded(0);
  private idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly prefix = `${Date.now().toString(36)}`;

  constructor(private readonly options: WebhookQueueOptions) {
    this.setFaults(options.faults ?? {});
  }

  /** Changes the delivery faults from now on; the generator restarts from the seed. */
  setFaults(faults: WebhookFaults): void {
    for (const k of ['duplicateRate', 'reorderRate'] as const) {
      const v = faults[k];
      if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1))
        throw new RangeError(`webhook ${k} must be a number from 0 to 1`);
    }
    if (faults.maxDelayMs !== undefined && !(typeof faults.maxDelayMs === 'number' && faults.maxDelayMs >= 0))
      throw new RangeError('webhook maxDelayMs must be a number of milliseconds >= 0');
    if (faults.seed !== undefined && !Number.isInteger(faults.seed))
      throw new RangeError('webhook seed must be an integer');
    this.faults = { ...faults };
    this.random = seeded(faults.seed ?? 0);
  }

  get enabled(): boolean {
    return Boolean(this.options.url);
  }

  stats(): { delivered: number; pending: number; dropped: number } {
    return { delivered: this.delivered, pending: this.queue.length, dropped: this.dropped };
  }

  enqueue(payload: unknown): void {
    if (!this.options.url || this.closed) return;
    this.seq += 1;
    this.queue.push({
      id: `${this.prefix}-${this.seq}`,
      body: JSON.stringify(payload),
    });
    if (!this.running) void this.run();
  }

  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops undelivered events (reset). */
  clear(): void {
    this.queue.length = 0;
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    this.settle();
  }

  private settle(): void {
    if (this.queue.length === 0 && !this.running) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((w) => w());
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    const initial = this.options.initialDelayMs ?? 100;
    const max = this.options.maxDelayMs ?? 5000;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const f = this.faults;
        if (f.reorderRate && this.queue.length > 1 && !this.queue[0]!.held && this.random() < f.reorderRate) {
          const [first, second] = this.queue;
          this.queue[0] = second!;
          this.queue[1] = { ...first!, held: true };
        }
        const item = this.queue[0]!;
        if (f.maxDelayMs) await this.sleep(Math.floor(this.random() * f.maxDelayMs));
        let delay = initial;
        let outcome: Outcome;
        while (!this.closed && (outcome = await this.post(item)) === 'retry') {
          await this.sleep(delay);
          delay = Math.min(delay * 2, max);
        }
        if (this.closed) break;
        if (outcome! === 'delivered') {
          this.delivered += 1;
          if (f.duplicateRate && this.random() < f.duplicateRate && (await this.post(item)) === 'delivered')
            this.delivered += 1;
        } else {
          this.dropped += 1;
        }
        this.queue.shift();
      }
    } finally {
      this.running = false;
      this.settle();
    }
  }

  private async post(item: Pending): Promise<Outcome> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': 'Atlassian Webhook HTTP Client',
      'X-Atlassian-Webhook-Identifier': item.id,
    };
    if (this.options.secret) {
      headers['X-Hub-Signature'] =
        'sha256=' + createHmac('sha256', this.options.secret).update(item.body).digest('hex');
    }
    try {
      const res = await fetch(this.options.url!, {
        method: 'POST',
        headers,
        body: item.body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return 'delivered';
      return retried(res.status) ? 'retry' : 'refused';
    } catch {
      return 'retry';
    }
  }
}
