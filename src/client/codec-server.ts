/**
 * The codec server the Temporal Web UI calls to show decrypted payloads (`--ui-codec-endpoint`):
 * `POST /decode` and `POST /encode` with `{ "payloads": [...] }` (protobuf JSON: base64 metadata and data).
 * Only the UI's own origins may call it from a browser (CORS), and when a token is configured every call
 * must carry `Authorization: Bearer <token>`; it listens on 127.0.0.1 unless told otherwise.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  port: number;
  host?: string;
  /** Browser origins allowed to call (the Web UI's, e.g. http://localhost:8233). */
  allowedOrigins: string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
}

export interface CodecServer {
  url: string;
  /** Allows more browser origins (`npm start` learns the Web UI's port after this server starts when UI_PORT is 0). */
  allowOrigins(origins: string[]): void;
  close(): Promise<void>;
}

interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

function toPayload(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v, 'base64');
  return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}

function toJson(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) if (v) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') };
}

function parseBody(raw: Buffer): JsonPayload[] {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Error('the body is not JSON');
  }
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new Error('the body needs a "payloads" array');
  for (const p of payloads) {
    if (typeof p !== 'object' || p === null) throw new Error('each payload must be an object');
  }
  return payloads as JsonPayload[];
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(req.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function startCodecServer(o: CodecServerOptions): Promise<CodecServer> {
  const origins = new Set(o.allowedOrigins);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    // A browser page from any other origin gets nothing, not even an answer it cannot read.
    if (origin !== undefined && !origins.has(origin)) return send(403, { error: `origin ${origin} not allowed` });
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method === 'OPTIONS') return send(204);
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || (path !== '/decode' && path !== '/encode')) {
      return send(404, { error: 'POST /decode or /encode' });
    }
    if (!authorized(req, o.token)) return send(401, { error: 'missing or wrong Authorization bearer token' });
    let payloads: Payload[];
    try {
      payloads = parseBody(await readBody(req)).map(toPayload);
    } catch (err) {
      return send(400, { error: (err as Error).message });
    }
    try {
      const out = path === '/decode' ? await o.codec.decode(payloads) : await o.codec.encode(payloads);
      send(200, { payloads: out.map(toJson) });
    } catch (err) {
      send(422, { error: (err as Error).message });
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${o.host && o.host !== '0.0.0.0' ? o.host : '127.0.0.1'}:${port}`,
        allowOrigins: (more) => more.forEach((origin) => origins.add(origin)),
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
