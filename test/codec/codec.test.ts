/** The payload codec (AES-256-GCM, key id in metadata) and the keys it is given. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { defaultPayloadConverter, type FailureConverter, type Payload } from '@temporalio/common';
import {
  AesGcmCodec,
  devCodecKeys,
  ENCRYPTED_ENCODING,
  generateCodecKeyEntry,
  parseCodecKeys,
} from '../../src/shared/codec';
import { codecKeysFrom, failureConverterPath } from '../../src/shared/data-converter';

const customer = { reporter: 'mike@sunpeaksolar.com', description: 'Our roof plane vanished overnight.' };
const plain = (): Payload => defaultPayloadConverter.toPayload(customer) as Payload;
const text = (p: Payload) => Buffer.from(p.data ?? []).toString('utf8') + JSON.stringify(p.metadata);

test('a sealed payload carries no plaintext, names its key, and opens to the original', async () => {
  const codec = new AesGcmCodec(parseCodecKeys(generateCodecKeyEntry('k1')));
  const [sealed] = await codec.encode([plain()]);
  expect(text(sealed!)).not.toContain('sunpeaksolar');
  expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
  expect(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString()).toBe('k1');
  const [opened] = await codec.decode([sealed!]);
  expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(customer);
});

test('after a key rotation, payloads sealed with the old key still open and new ones use the new key', async () => {
  const old = generateCodecKeyEntry('2026-old');
  const fresh = generateCodecKeyEntry('2027-new');
  const [before] = await new AesGcmCodec(parseCodecKeys(old)).encode([plain()]);
  const rotated = new AesGcmCodec(parseCodecKeys(`${fresh},${old}`, '2027-new'));
  const [after] = await rotated.encode([plain()]);
  expect(Buffer.from(after!.metadata!['encryption-key-id']!).toString()).toBe('2027-new');
  const opened = await rotated.decode([before!, after!]);
  expect(opened.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([customer, customer]);
});

test('a payload sealed with an unknown key, or tampered with, is refused; a plain one passes through', async () => {
  const [sealed] = await new AesGcmCodec(parseCodecKeys(generateCodecKeyEntry('a'))).encode([plain()]);
  const other = new AesGcmCodec(parseCodecKeys(generateCodecKeyEntry('b')));
  await expect(other.decode([sealed!])).rejects.toThrow(/key a/);
  const codec = new AesGcmCodec(parseCodecKeys(generateCodecKeyEntry('a')));
  const mine = (await codec.encode([plain()]))[0]!;
  const data = Buffer.from(mine.data!);
  data[20] = (data[20] ?? 0) ^ 1;
  await expect(codec.decode([{ ...mine, data }])).rejects.toThrow();
  const untouched = plain();
  expect(await codec.decode([untouched])).toEqual([untouched]);
});

test('keys from the environment are checked, and a missing key says what to set', () => {
  expect(() => parseCodecKeys('k1:c2hvcnQ=')).toThrow(/DESKFLOW_CODEC_KEYS/);
  expect(() => parseCodecKeys(generateCodecKeyEntry('k1'), 'k9')).toThrow(/DESKFLOW_CODEC_KEY_ID/);
  expect(() => codecKeysFrom({})).toThrow(/DESKFLOW_CODEC_KEYS/);
  const keys = codecKeysFrom({ DESKFLOW_CODEC_KEYS: `${generateCodecKeyEntry('x')},${generateCodecKeyEntry('y')}` });
  expect(keys.currentKeyId).toBe('x');
});

test("npm start's development key is created once in the data folder and read back the same", () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskflow-codec-'));
  try {
    expect(devCodecKeys(join(dir, 'codec-keys'), false)).toBeUndefined();
    const created = codecKeysFrom({}, dir, true);
    const again = codecKeysFrom({}, dir, false);
    expect(again.currentKeyId).toBe(created.currentKeyId);
    expect(again.keys.get(again.currentKeyId)).toEqual(created.keys.get(created.currentKeyId));
    expect(readFileSync(join(dir, 'codec-keys'), 'utf8')).toMatch(/^dev-\d{4}-\d{2}-\d{2}:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the worker's failure converter moves a failure's message and stack into a payload, which the codec then seals", async () => {
  // Loaded by path with require(), as the SDK loads it.
  const { failureConverter } = createRequire(import.meta.url)(failureConverterPath) as {
    failureConverter: FailureConverter;
  };
  const failure = failureConverter.errorToFailure(
    new Error('could not reach mike@sunpeaksolar.com'),
    defaultPayloadConverter,
  );
  expect(failure.message).toBe('Encoded failure');
  expect(JSON.stringify(failure.stackTrace ?? '')).not.toContain('sunpeaksolar');
  const codec = new AesGcmCodec(parseCodecKeys(generateCodecKeyEntry('k1')));
  const [sealed] = await codec.encode([failure.encodedAttributes as Payload]);
  expect(text(sealed!)).not.toContain('sunpeaksolar');
});
