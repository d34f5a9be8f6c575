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
 * One CommonJS file, dependencies included (the Temporal client, gRPC, protobuf, zod): Node reads one
 * file instead of resolving and compiling several hundred, and bin/deskflow.js can keep V8's compiled
 * code for it (bin/code-cache.js). Each command handler and everything it needs is initialised on
 * first use, so `deskflow help` runs none of the Temporal client's start-up (its 1.4 MB protobuf
 * descriptor above all).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const CLI_OUT_DIR = path.join(repoRoot, 'dist', 'cli');
export const CLI_ENTRY = path.join(CLI_OUT_DIR, 'deskflow.cjs');
const HASH_FILE = '.source-hash';
/** The global through which the failure converter finds the bundle's own copy of @temporalio/common. */
const COMMON_KEY = 'deskflow.cli.temporalCommon';

/**
 * The bundle's entry: `runCli` and `temporalClientLoaded` (for bin/code-cache.js), and the bundle's @temporalio/common (initialised when first asked for)
 * for the failure converter below.
 */
const ENTRY = `
// Set before any schema exists: one configuration parsed once per process, where building zod's
// compiled parsers costs more than it saves (7 ms of every command).
require('zod').config({ jitless: true });
const { runCli, temporalClientLoaded } = require('./src/client/cli/main.ts');
Object.defineProperty(globalThis, Symbol.for('${COMMON_KEY}'), {
  configurable: true,
  get: () => require('@temporalio/common'),
});
module.exports = { runCli, temporalClientLoaded };
`;

/**
 * The SDK require()s the failure converter by path (src/shared/data-converter.ts), from a file beside
 * the code that names it. Built into dist/cli from src/shared/failure-converter.cjs with its
 * @temporalio/common taken from the bundle, so that a client does not load a second copy of the SDK
 * from node_modules (the copy there is the fallback outside the bundle).
 */
const useBundledCommon = {
  name: 'bundled-temporal-common',
  setup(build) {
    build.onResolve({ filter: /^@temporalio\/common$/ }, (args) =>
      args.namespace === 'bundled-common'
        ? { path: args.path, external: true }
        : { path: 'common', namespace: 'bundled-common' },
    );
    build.onLoad({ filter: /.*/, namespace: 'bundled-common' }, () => ({
      contents: `module.exports = globalThis[Symbol.for('${COMMON_KEY}')] ?? require('@temporalio/common');`,
      loader: 'js',
    }));
  },
};

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
    const common = {
      absWorkingDir: repoRoot,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
    };
    await esbuild.build({
      ...common,
      stdin: { contents: ENTRY, resolveDir: repoRoot, sourcefile: 'cli-entry.cjs', loader: 'js' },
      outfile: path.join(scratch, 'deskflow.cjs'),
      // The sources are ES modules that find files beside themselves (new URL('./…', import.meta.url));
      // dist/cli sits as deep in the clone as src/shared, so the same relative paths hold.
      define: { 'import.meta.url': '__deskflowModuleUrl' },
      banner: { js: 'var __deskflowModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
      // Smaller file, less to read on every start; names are kept, so stack traces stay readable.
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: 'linked',
    });
    await esbuild.build({
      ...common,
      entryPoints: ['src/shared/failure-converter.cjs'],
      outfile: path.join(scratch, 'failure-converter.cjs'),
      plugins: [useBundledCommon],
    });
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
