/**
 * Payload encryption: every payload deskflow hands Temporal (workflow inputs, signals, updates, activity
 * results, query answers, search-attribute-free memo, failure messages) is sealed with AES-256-GCM before it
 * leaves the process, so customers' names, e-mails and words are unreadable in Temporal's database and in
 * every exported history. The key id travels in the payload's metadata, so keys rotate: encrypt with the
 * current key, decrypt with whichever key a payload names. Payloads that are not encrypted (histories
 * recorded before the codec) pass through unchanged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

const { temporal } = proto;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const CIPHER = 'AES/GCM/NoPadding';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

const text = new TextEncoder();
const fromText = new TextDecoder();

/** The keys a process knows and the one it encrypts with. */
export interface CodecKeys {
  /** Key id → 32-byte AES key. */
  keys: ReadonlyMap<string, Uint8Array>;
  /** Id of the key new payloads are sealed with. */
  currentKeyId: string;
}

export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly k: CodecKeys) {
    if (!k.keys.has(k.currentKeyId)) throw new Error(`codec: no key with id ${k.currentKeyId}`);
    for (const [id, key] of k.keys) {
      if (key.length !== KEY_BYTES) throw new Error(`codec: key ${id} must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.k.keys.get(this.k.currentKeyId) as Uint8Array;
    return payloads.map((p) => ({
      metadata: {
        encoding: text.encode(ENCRYPTED_ENCODING),
        'encryption-cipher': text.encode(CIPHER),
        'encryption-key-id': text.encode(this.k.currentKeyId),
      },
      data: seal(key, temporal.api.common.v1.Payload.encode(p).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const encoding = p.metadata?.encoding;
      if (!encoding || fromText.decode(encoding) !== ENCRYPTED_ENCODING) return p;
      const idBytes = p.metadata?.['encryption-key-id'];
      const id = idBytes ? fromText.decode(idBytes) : '(none)';
      const key = this.k.keys.get(id);
      if (!key) throw new Error(`codec: payload sealed with key ${id}, which is not among the known keys`);
      if (!p.data) throw new Error('codec: encrypted payload without data');
      return temporal.api.common.v1.Payload.decode(open(key, p.data));
    });
  }
}

function seal(key: Uint8Array, plain: Uint8Array): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('codec: encrypted payload too short');
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  return Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
}

/**
 * Parses `DESKFLOW_CODEC_KEYS` ("id:base64key,id2:base64key") and `DESKFLOW_CODEC_KEY_ID` (default: the
 * first key listed). Throws naming the variable when a key is malformed.
 */
export function parseCodecKeys(list: string, currentKeyId?: string): CodecKeys {
  const keys = new Map<string, Uint8Array>();
  for (const item of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.indexOf(':');
    const id = item.slice(0, at).trim();
    const key = Buffer.from(item.slice(at + 1).trim(), 'base64');
    if (at <= 0 || key.length !== KEY_BYTES) {
      throw new Error(`DESKFLOW_CODEC_KEYS: each entry is ID:KEY with a base64 ${KEY_BYTES}-byte key (${id || item})`);
    }
    keys.set(id, key);
  }
  const first = keys.keys().next().value;
  if (first === undefined) throw new Error('DESKFLOW_CODEC_KEYS: no key given');
  const current = currentKeyId ?? first;
  if (!keys.has(current)) throw new Error(`DESKFLOW_CODEC_KEY_ID: ${current} is not in DESKFLOW_CODEC_KEYS`);
  return { keys, currentKeyId: current };
}

/** A fresh key entry for DESKFLOW_CODEC_KEYS ("id:base64"). */
export function generateCodecKeyEntry(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/**
 * The development key of `npm start`, kept in the data folder so a restart still reads yesterday's
 * payloads; created on first use when `create` is set.
 */
export function devCodecKeys(file: string, create: boolean): CodecKeys | undefined {
  if (!existsSync(file)) {
    if (!create) return undefined;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${generateCodecKeyEntry(`dev-${new Date().toISOString().slice(0, 10)}`)}\n`, {
      mode: 0o600,
    });
  }
  return parseCodecKeys(readFileSync(file, 'utf8').trim());
}
