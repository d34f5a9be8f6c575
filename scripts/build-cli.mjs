#!/usr/bin/env node
/**
 * Compiles the `deskflow` CLI into dist/cli/ with esbuild, so `npx deskflow` starts like a plain Node
 * script instead of compiling TypeScript through tsx on every call.
 *
 *   node scripts/build-cli.mjs [--force] [--quiet]
 *
 * Cached by source hash: the bundle is rebuilt only when a file under src/, package-lock.json or this
 * script changed (the hash is kept in dist/cli/.source-hash). scripts/setup.mjs calls `buildCli`, so
 * `npm run setup`, `npm start` and `npm test` keep the bundle current; bin/deskflow.js runs it and falls
 * back to tsx when it is missing or older than the sources.
 *
 * Each command handler is its own chunk (code splitting): `deskflow help` loads neither the Temporal
 * client nor gRPC; a command loads them when it first talks to Temporal.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CLI_OUT_DIR = path.join(repoRoot, 'dist', 'cli');
export const CLI_ENTRY = path.join(CLI_OUT_DIR, 'deskflow.js');
const HASH_FILE = '.source-hash';
/**
 * Left in node_modules and loaded only by the commands that talk to Temporal (gRPC, protobuf, the
 * SDK's native bits); everything else (zod, the configuration, the command table) is bundled, which
 * saves Node resolving and reading hundreds of small files on every start.
 */
const EXTERNAL = ['@temporalio/*', '@grpc/*', 'protobufjs', 'tsx'];

function sourceFiles(dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else files.push(full);
  }
  return files;
}

/** One hash over the CLI's inputs: every source file (path and content), the lock file and this script. */
export function cliSourceHash() {
  const hash = createHash('sha256');
  const inputs = [
    ...sourceFiles(path.join(repoRoot, 'src')).sort(),
    path.join(repoRoot, 'package-lock.json'),
    fileURLToPath(import.meta.url),
  ];
  for (const file of inputs) {
    hash.update(path.relative(repoRoot, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Builds the bundle unless the one in dist/cli/ was built from the same sources.
 * Returns { built, ms } (built false when the cache was current).
 */
export async function buildCli({ force = false } = {}) {
  const started = Date.now();
  const sourceHash = cliSourceHash();
  const hashFile = path.join(CLI_OUT_DIR, HASH_FILE);
  if (!force && fs.existsSync(CLI_ENTRY) && fs.existsSync(hashFile)) {
    if (fs.readFileSync(hashFile, 'utf8').trim() === sourceHash) return { built: false, ms: Date.now() - started };
  }
  const esbuild = await import('esbuild');
  // Build beside the target and swap, so a half-written bundle is never run.
  const scratch = `${CLI_OUT_DIR}.tmp-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  try {
    await esbuild.build({
      absWorkingDir: repoRoot,
      entryPoints: { deskflow: 'src/client/cli/main.ts' },
      outdir: scratch,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      sourcemap: 'linked',
      logLevel: 'silent',
    });
    fs.writeFileSync(path.join(scratch, 'package.json'), '{ "type": "module" }\n');
    // Files the sources find beside themselves at run time (new URL('./…', import.meta.url)): the
    // failure converter the SDK require()s by path (src/shared/data-converter.ts).
    for (const file of ['src/shared/failure-converter.cjs']) {
      fs.copyFileSync(path.join(repoRoot, file), path.join(scratch, path.basename(file)));
    }
    fs.writeFileSync(path.join(scratch, HASH_FILE), `${sourceHash}\n`);
    fs.rmSync(CLI_OUT_DIR, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(CLI_OUT_DIR), { recursive: true });
    fs.renameSync(scratch, CLI_OUT_DIR);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { built: true, ms: Date.now() - started };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quiet = process.argv.includes('--quiet');
  buildCli({ force: process.argv.includes('--force') }).then(
    ({ built, ms }) => {
      if (!quiet || built) {
        process.stdout.write(
          built
            ? `build: deskflow CLI compiled into ${path.relative(process.cwd(), CLI_OUT_DIR) || '.'} in ${ms} ms\n`
            : 'build: deskflow CLI is up to date\n',
        );
      }
    },
    (err) => {
      process.stderr.write(`build: the deskflow CLI did not compile: ${err?.message ?? err}\n`);
      process.exit(1);
    },
  );
}
