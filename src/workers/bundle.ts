/**
 * The workflow bundle: src/workflows with the failure converter, bundled once. Production builds it at
 * image build time; tests and scenario runs share one cached file keyed by a hash of the sources, so a run
 * of the whole suite bundles at most once (and not at all when nothing changed).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../shared/data-converter';

const srcDir = fileURLToPath(new URL('..', import.meta.url));
// The workflows barrel (as worker.ts's workflowsPath; not imported from there, which loads the activities).
const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
const lockFile = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

const quiet = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error: (m: string) => console.error(m),
  log() {},
} as never;

/** Where `npm start` and the tests keep their cached bundles. */
export const bundleCacheDir = fileURLToPath(new URL('../../node_modules/.cache/deskflow', import.meta.url));

/** The bundled workflow code. */
export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quiet });
  return code;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((f) => /\.(ts|cjs|js|json)$/.test(f))
    .sort();
}

/** A hash of everything that can end up in the bundle: the sources and the locked dependencies. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const f of [...sourceFiles(srcDir), lockFile]) hash.update(f.slice(srcDir.length)).update(readFileSync(f));
  return hash.digest('hex').slice(0, 16);
}

/** The path of a bundle of the current sources in `cacheDir`, built only when no such file exists. */
export async function cachedWorkflowBundle(cacheDir: string): Promise<string> {
  const file = join(cacheDir, `workflow-bundle-${sourceHash()}.js`);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, await bundleWorkflows());
  renameSync(partial, file); // atomic: a parallel run never reads half a bundle
  return file;
}
