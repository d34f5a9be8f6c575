/**
 * Talking to the stack as Jira and people do: tickets created in the sandbox (with or without its own
 * webhook delivery), signed webhooks posted to the relay, the sandbox's state read back.
 */
import { request } from 'node:http';
import { signBody } from '../../src/client/relay/auth';
import type { NormalizedIssue, SandboxState } from '../../src/sandbox/types';

export interface TicketSpec {
  summary: string;
  description: string;
  reporter: string;
}

/** A simple how-to question (routes to an acknowledgement and waits for an agent). */
export const SIMPLE_TICKET: TicketSpec = {
  summary: 'How do I add a second roof plane to a design?',
  description: "I'm building a proposal and can't figure out where to add another roof plane for the garage.",
  reporter: 'mike@sunpeaksolar.com',
};

/** A sales lead (a Slack message to the sales lead, then closed). */
export const SALES_TICKET: TicketSpec = {
  summary: 'Interested in Sighten for our 40-person sales team',
  description:
    'We are a solar installer in Texas looking at proposal software. Can someone walk us through pricing and a demo?',
  reporter: 'ceo@lonestarsun.com',
};

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** A ticket the sandbox creates and delivers its own issue_created webhook for. */
export function createTicket(sandboxUrl: string, spec: TicketSpec): Promise<{ key: string }> {
  return call(`${sandboxUrl}/_sandbox/tickets`, post(spec));
}

/** A ticket created without delivery; its issue_created payload comes back for the caller to post. */
export async function createTicketSilently(
  sandboxUrl: string,
  spec: TicketSpec,
): Promise<{ key: string; payload: unknown }> {
  const r = await call<{ key: string; webhooks: unknown[] }>(
    `${sandboxUrl}/_sandbox/tickets`,
    post({ ...spec, deliver: false }),
  );
  return { key: r.key, payload: r.webhooks[0] };
}

export function addComment(sandboxUrl: string, key: string, by: string, body: string): Promise<unknown> {
  return call(`${sandboxUrl}/_sandbox/issues/${encodeURIComponent(key)}/comments`, post({ by, body }));
}

export function transition(sandboxUrl: string, key: string, to: string, by?: string): Promise<unknown> {
  return call(`${sandboxUrl}/_sandbox/issues/${encodeURIComponent(key)}/transitions`, post({ to, by }));
}

export function setChaos(sandboxUrl: string, settings: unknown): Promise<unknown> {
  return call(`${sandboxUrl}/_sandbox/chaos`, post(settings));
}

export async function clearChaos(sandboxUrl: string): Promise<void> {
  await call(`${sandboxUrl}/_sandbox/chaos`, { method: 'DELETE' });
}

export function chaosView(sandboxUrl: string): Promise<{ counters: Record<string, number> }> {
  return call(`${sandboxUrl}/_sandbox/chaos`);
}

export function sandboxState(sandboxUrl: string): Promise<SandboxState> {
  return call(`${sandboxUrl}/_sandbox/state`);
}

export function statusChanges(
  sandboxUrl: string,
): Promise<Record<string, { from: string | null; to: string | null; at: string }[]>> {
  return call(`${sandboxUrl}/_sandbox/transitions`);
}

export interface PostResult {
  status: number;
  body: string;
}

/** Posts a webhook body to the relay, signed unless `signature` overrides it (null: no signature header). */
export async function postWebhook(
  url: string,
  secret: string,
  body: string,
  id: string,
  signature?: string | null,
): Promise<PostResult> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Atlassian-Webhook-Identifier': id,
  };
  const sig = signature === undefined ? signBody(secret, body) : signature;
  if (sig !== null) headers['X-Hub-Signature'] = sig;
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: (err as Error).message };
  }
}

/** When the first public comment was written, per key (ms since the epoch). */
export function firstPublicCommentAt(issues: readonly NormalizedIssue[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const issue of issues) {
    const first = issue.comments.find((c) => c.public);
    if (first) out.set(issue.key, new Date(first.created).getTime());
  }
  return out;
}

/**
 * A signed POST of a large body that declares its full length but sends only the first 64 KB until the
 * server answers: a relay that refuses an oversized body from its Content-Length answers (413 and a
 * reason) before reading it, and fetch would only see the connection closed under a body still being sent.
 */
export function postLargeWebhook(url: string, secret: string, body: string, id: string): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: PostResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
        req.destroy();
      }
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
          'X-Atlassian-Webhook-Identifier': id,
          'X-Hub-Signature': signBody(secret, body),
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        const end = () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        res.on('end', end);
        res.on('error', end);
        res.on('close', end);
      },
    );
    req.on('error', (err) => setTimeout(() => done({ status: 0, body: err.message }), 1_000));
    req.on('timeout', () => done({ status: 0, body: 'no answer in 30 s with 64 KB of the body sent' }));
    req.write(body.slice(0, 65_536));
  });
}
