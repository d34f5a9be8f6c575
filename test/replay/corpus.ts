/**
 * The replay corpus: test/replay/histories/<version>/<folder>--<scenario>--<workflow id>.json, one
 * version folder per `npm run replay:record`. Histories are never deleted while tickets of that version
 * may still run, so every version must keep replaying against the current code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';

export const historiesDir = fileURLToPath(new URL('./histories', import.meta.url));

export interface RecordedHistory {
  version: string;
  file: string;
  path: string;
}

/** Version folders, oldest first (their names start with the recording date). */
export function versions(): string[] {
  return readdirSync(historiesDir)
    .filter((d) => statSync(join(historiesDir, d)).isDirectory())
    .sort();
}

export function recordedHistories(): RecordedHistory[] {
  return versions().flatMap((version) =>
    readdirSync(join(historiesDir, version))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((file) => ({ version, file, path: join(historiesDir, version, file) })),
  );
}

export function loadHistory(h: RecordedHistory): History {
  return historyFromJSON(JSON.parse(readFileSync(h.path, 'utf8')));
}
