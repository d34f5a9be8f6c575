/**
 * Outgoing Jira webhooks: delivered one at a time, in the order the changes happened, each retried
 * with backoff until the receiver answers 2xx. Like Jira Cloud, a retry carries the same
 * X-Atlassian-Webhook-Identifier, and the raw body is signed with HMAC-SHA256 in X-Hub-Signature
 * when a secret is set.
 */
import { createHmac } from 'node:crypto';

export interface WebhookQueueOptions {
  url?: string;
  secret?: string;
  /** First retry delay, doubled each attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

interface Pending {
  id: string;
  body: string;
}

export class WebhookQueue {
  private readonly queue: Pending[] = [];
  private running = false;
  private closed = false;
  private delivered = 0;
  private seq = 0;
  private idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly prefix = `${Date.now().toString(36)}`;

  constructor(private readonly options: WebhookQueueOptions) {}

  get enabled(): boolean {
    return Boolean(this.options.url);
  }

  stats(): { delivered: number; pending: number } {
    return { delivered: this.delivered, pending: this.queue.length };
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
        const item = this.queue[0]!;
        let delay = initial;
        while (!this.closed && !(await this.post(item))) {
          await this.sleep(delay);
          delay = Math.min(delay * 2, max);
        }
        if (this.closed) break;
        this.queue.shift();
        this.delivered += 1;
      }
    } finally {
      this.running = false;
      this.settle();
    }
  }

  private async post(item: Pending): Promise<boolean> {
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
      return res.status >= 200 && res.status < 300;
    } catch {
      return false;
    }
  }
}
