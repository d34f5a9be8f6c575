/** The Web UI's codec endpoint: decode/encode for the UI's origin only, behind the token when one is set. */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { startCodecServer, type CodecServer } from '../../src/client/codec-server';
import { AesGcmCodec, generateCodecKeyEntry, parseCodecKeys } from '../../src/shared/codec';

const codec = new AesGcmCodec(parseCodecKeys(generateCodecKeyEntry('k1')));
const ui = 'http://localhost:8233';
let server: CodecServer;

beforeAll(async () => {
  server = await startCodecServer({ codec, port: 0, allowedOrigins: [ui], token: 'letmein' });
});
afterAll(() => server.close());

function json(p: Payload) {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v!).toString('base64');
  return { metadata, data: Buffer.from(p.data!).toString('base64') };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: JSON.stringify(body),
  });
}

const auth = { Authorization: 'Bearer letmein' };

test('POST /decode from the UI origin returns the plaintext payloads, with CORS for that origin', async () => {
  const [sealed] = await codec.encode([defaultPayloadConverter.toPayload({ email: 'mike@sunpeaksolar.com' })!]);
  const res = await post('/decode', { payloads: [json(sealed!)] }, { Origin: ui, ...auth });
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe(ui);
  const body = (await res.json()) as { payloads: { data: string }[] };
  expect(Buffer.from(body.payloads[0]!.data, 'base64').toString()).toBe('{"email":"mike@sunpeaksolar.com"}');
});

test('POST /encode seals, and the result decodes back', async () => {
  const plain = json(defaultPayloadConverter.toPayload('hello')!);
  const enc = (await (await post('/encode', { payloads: [plain] }, auth)).json()) as { payloads: unknown[] };
  expect(Buffer.from((enc.payloads[0] as { data: string }).data, 'base64').toString()).not.toContain('hello');
  const dec = (await (await post('/decode', enc, auth)).json()) as { payloads: { data: string }[] };
  expect(Buffer.from(dec.payloads[0]!.data, 'base64').toString()).toBe('"hello"');
});

test('another origin, a missing token and a malformed body are refused', async () => {
  const body = { payloads: [] };
  expect((await post('/decode', body, { Origin: 'https://evil.example', ...auth })).status).toBe(403);
  const preflight = await fetch(`${server.url}/decode`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.example' },
  });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  expect((await post('/decode', body, { Origin: ui })).status).toBe(401);
  expect((await post('/decode', { nope: 1 }, auth)).status).toBe(400);
  expect((await post('/elsewhere', body, auth)).status).toBe(404);
});

test('an origin allowed after the start (npm start learns the Web UI port late when UI_PORT is 0) is served', async () => {
  const later = 'http://localhost:41999';
  expect((await post('/decode', { payloads: [] }, { Origin: later, ...auth })).status).toBe(403);
  server.allowOrigins([later]);
  const res = await post('/decode', { payloads: [] }, { Origin: later, ...auth });
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe(later);
});
