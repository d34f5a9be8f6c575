/**
 * Test harness for the sandbox: a sandbox on a free port, a local webhook receiver that records
 * deliveries (and can be told to fail), and jira.js / @slack/web-api clients that throw when a
 * response does not match the real API's schema.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgileClient, createCloudClient, createServiceDeskClient } from 'jira.js';
import { WebClient } from '@slack/web-api';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';

export interface Delivery {
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  /** Successful (2xx) deliveries, in arrival order. */
  deliveries: Delivery[];
  /** Every attempt, including the failed ones. */
  attempts: Delivery[];
  /** Answer the next N attempts with this status. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let failures = 0;
  let failStatus = 500;
  const deliveries: Delivery[] = [];
  const attempts: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const d = {
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as Record<string, unknown>,
      };
      attempts.push(d);
      if (failures > 0) {
        failures -= 1;
        res.writeHead(failStatus).end();
        return;
      }
      deliveries.push(d);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/jira`,
    deliveries,
    attempts,
    failNext(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const AGENT = 'alex.morgan@sighten.io';
export const CUSTOMER = 'pat.customer@acme-solar.com';
export const SECRET = 'test-webhook-secret';

export function clients(sandbox: Sandbox, email = AGENT) {
  const config = {
    host: sandbox.url,
    auth: { type: 'basic' as const, email, apiToken: 'any-token' },
    onSchemaMismatch: 'throw' as const,
  };
  return {
    jira: createCloudClient(config),
    desk: createServiceDeskClient(config),
    agile: createAgileClient(config),
    slack: new WebClient('xoxb-sandbox', {
      slackApiUrl: sandbox.slackApiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    }),
  };
}

export interface Harness {
  sandbox: Sandbox;
  receiver: Receiver;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<SandboxOptions> = {}): Promise<Harness> {
  const receiver = await startReceiver();
  const sandbox = await startSandbox({
    port: 0,
    webhookUrl: receiver.url,
    webhookSecret: SECRET,
    webhookRetry: { initialDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  return {
    sandbox,
    receiver,
    async close() {
      await sandbox.close();
      await receiver.close();
    },
  };
}

/** The webhook events delivered so far, as `event key` strings (e.g. "jira:issue_created SS-1"). */
export function eventsOf(receiver: Receiver): string[] {
  return receiver.deliveries.map((d) => {
    const b = d.body as { webhookEvent: string; issue?: { key: string } };
    return `${b.webhookEvent}${b.issue ? ` ${b.issue.key}` : ''}`;
  });
}
