/**
 * The one data converter of every deskflow process that talks to Temporal (worker, relay, CLI, scenario
 * runner, tests): payloads sealed by the AES-256-GCM codec, failure messages encoded so the codec seals
 * them too. Keys come from the environment (DESKFLOW_CODEC_KEYS, DESKFLOW_CODEC_KEY_ID); `npm start`
 * falls back to a development key it keeps in its data folder.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec, devCodecKeys, parseCodecKeys, type CodecKeys } from './codec';

/** The module exporting the worker's `failureConverter` (for Worker, bundleWorkflowCode and replay). */
export const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/** `npm start`'s data folder: DESKFLOW_DATA_DIR, else `.data` in the clone. */
export function localDataDir(env: { DESKFLOW_DATA_DIR?: string }): string {
  return resolve(env.DESKFLOW_DATA_DIR ?? fileURLToPath(new URL('../../.data', import.meta.url)));
}

/** The development key file in `npm start`'s data folder. */
export const DEV_KEY_FILE = 'codec-keys';

/**
 * The fixed key of scenario runs and the replay corpus recorded from them. Not a secret: it protects
 * nothing real, and the replay tests need it to read the recorded histories.
 */
export const SCENARIO_CODEC_KEYS: CodecKeys = parseCodecKeys(
  'scenario-2026-12:ZGVza2Zsb3ctc2NlbmFyaW8ta2V5LW5vdC1hLXNlY3I=',
);

export function createDataConverter(keys: CodecKeys): DataConverter {
  return { payloadCodecs: [new AesGcmCodec(keys)], failureConverterPath };
}

export interface CodecEnv {
  DESKFLOW_CODEC_KEYS?: string;
  DESKFLOW_CODEC_KEY_ID?: string;
}

/**
 * The keys of a process: DESKFLOW_CODEC_KEYS when set; else the development key in `dataDir` (created
 * there when `createDevKey` is set, as `npm start` does); else an error saying what to set.
 */
export function codecKeysFrom(env: CodecEnv, dataDir?: string, createDevKey = false): CodecKeys {
  if (env.DESKFLOW_CODEC_KEYS) return parseCodecKeys(env.DESKFLOW_CODEC_KEYS, env.DESKFLOW_CODEC_KEY_ID);
  const dev = dataDir ? devCodecKeys(join(dataDir, DEV_KEY_FILE), createDevKey) : undefined;
  if (dev) return dev;
  throw new Error(
    'no payload encryption key: set DESKFLOW_CODEC_KEYS (ID:BASE64 of 32 random bytes, e.g. `openssl rand -base64 32`), or run `npm start` once to create a development key',
  );
}

/** The data converter from the environment (see codecKeysFrom). */
export function dataConverterFrom(env: CodecEnv, dataDir?: string, createDevKey = false): DataConverter {
  return createDataConverter(codecKeysFrom(env, dataDir, createDevKey));
}
