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
