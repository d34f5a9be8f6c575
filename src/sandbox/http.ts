/** Minimal routing and body handling on node:http for the sandbox. */
import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { jsonBoundsProblem, LIMITS } from '../shared/json-bounds';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text body (HTML); `body` is sent as JSON otherwise. */
  text?: string;
  /** Raw bytes (a file's content), sent with `headers['Content-Type']`. */
  bytes?: Buffer;
}

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** The body's bytes (a multipart upload). */
  raw: Buffer;
  /** Parsed JSON or form body; undefined when empty or unparseable (see bodyError). */
  body: unknown;
  bodyError: boolean;
  params: string[];
}

export type Handler = (req: Request) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  /** The matching route, or 'method' when only the method is wrong, or undefined. */
  match(method: string, path: string): { handler: Handler; params: string[] } | 'method' | undefined {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method === method)
        return {
          handler: r.handler,
          params: m.slice(1).map((p) => decodeURIComponent(p ?? '')),
        };
    }
    return pathMatched ? 'method' : undefined;
  }
}

/** A request refused before it is handled (413 for a body over the limit, 400 for JSON out of bounds). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The body, up to LIMITS.bodyBytes: a declared Content-Length over it is refused before reading, a
 * longer chunked body as soon as it passes the limit.
 */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, `request body larger than ${LIMITS.bodyBytes} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > LIMITS.bodyBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > LIMITS.bodyBytes) {
      req.pause();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readRequest(req: IncomingMessage): Promise<Request> {
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  const raw = await readBody(req);
  const rawBody = raw.toString('utf8');
  const type = String(req.headers['content-type'] ?? '');
  let body: unknown;
  let bodyError = false;
  // A multipart body (an attachment upload) is parsed by its route, from `raw`.
  if (rawBody.length > 0 && !type.includes('multipart/form-data')) {
    if (type.includes('application/x-www-form-urlencoded')) {
      body = Object.fromEntries(
        Object.entries(parseQuery(rawBody)).map(([k, v]) => [k, Array.isArray(v) ? v[v.length - 1] : v]),
      );
    } else {
      try {
        body = JSON.parse(rawBody);
      } catch {
        bodyError = true;
      }
      const outOfBounds = bodyError ? null : jsonBoundsProblem(body);
      if (outOfBounds) throw new HttpError(400, `request body out of bounds: ${outOfBounds}`);
    }
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    raw,
    body,
    bodyError,
    params: [],
  };
}

export function json(status: number, body?: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

/** Query parameter values, splitting comma lists and repeated parameters. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const all = query.getAll(name);
  if (all.length === 0) return undefined;
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function intParam(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

export function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
