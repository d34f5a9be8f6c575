/**
 * Webhook authentication. Jira admin webhooks sign the raw body (`X-Hub-Signature:
 * sha256=<hex HMAC-SHA256>`); JSM automation's "send web request" cannot sign, so it sends the
 * shared secret itself in `X-Deskflow-Webhook-Secret`. Both comparisons are constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SIGNATURE_HEADER = 'x-hub-signature';
export const SECRET_HEADER = 'x-deskflow-webhook-secret';

export function signBody(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  // timingSafeEqual needs equal lengths; the length itself is not secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** null when the request is authentic, else the reason it is refused. */
export function checkWebhookAuth(headers: IncomingHttpHeaders, rawBody: Buffer, secret: string): string | null {
  const signature = header(headers, SIGNATURE_HEADER);
  const shared = header(headers, SECRET_HEADER);
  if (signature === undefined && shared === undefined) {
    return `missing X-Hub-Signature or ${SECRET_HEADER} header`;
  }
  const signed =
    signature !== undefined &&
    sameBytes(Buffer.from(signature.trim().toLowerCase()), Buffer.from(signBody(secret, rawBody)));
  const sharedOk = shared !== undefined && sameBytes(Buffer.from(shared), Buffer.from(secret));
  if (signed || sharedOk) return null;
  return signature !== undefined ? 'invalid X-Hub-Signature' : `invalid ${SECRET_HEADER} header`;
}

/** Secrets shorter than this are refused: a guessable secret is no authentication. */
export const MIN_SECRET_CHARS = 16;

/**
 * Why the relay must not start with this secret, or null. Without a secret it may only listen on
 * loopback for the local sandbox; with real Jira (JIRA_HOST) or on any other interface the secret
 * is required.
 */
export function webhookSecretProblem(o: { secret?: string; host: string; realJira: boolean }): string | null {
  const loopback = o.host === '127.0.0.1' || o.host === '::1' || o.host === 'localhost';
  if (!o.secret) {
    if (o.realJira)
      return 'WEBHOOK_SECRET is required with a real Jira (JIRA_HOST is set): set it in the environment and as the secret of the Jira webhook';
    if (!loopback) return `WEBHOOK_SECRET is required: the relay listens on ${o.host}, beyond this machine`;
    return null;
  }
  if (o.secret.length < MIN_SECRET_CHARS)
    return `WEBHOOK_SECRET is too short: use at least ${MIN_SECRET_CHARS} characters`;
  return null;
}
