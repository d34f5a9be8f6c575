import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PATCH_IDS } from '../../src/workflows/patches';

const workflowsDir = fileURLToPath(new URL('../../src/workflows', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('every patch id used in the workflows is decided up front (patches.ts PATCH_IDS)', () => {
  const used = new Set<string>();
  for (const file of sources(workflowsDir))
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:patched|taken)\('([^']+)'\)/g)) used.add(m[1]!);
  used.delete('patches-decided-up-front');
  expect(used.size).toBeGreaterThan(3);
  const missing = [...used].filter((id) => !(PATCH_IDS as readonly string[]).includes(id));
  expect(missing).toEqual([]);
});
