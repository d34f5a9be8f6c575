#!/usr/bin/env node
/**
 * deskflow setup: everything `npm start` and `npm test` need, found or built once per machine.
 *
 *   node scripts/setup.mjs [--quiet-if-done]
 *
 * Plain Node with no dependencies (it runs before node_modules exists). Idempotent: once every step is
 * in place it only checks a few files and returns. The tool folder lives outside the clone
 * ($DESKFLOW_TOOLS_DIR, else ${XDG_CACHE_HOME:-~/.cache}/deskflow), so every clone on the machine shares
 * one build. src/local/tools.ts resolves the same paths for the TypeScript code; keep the two in step.
 *
 * Steps:
 *   1. npm dependencies from package-lock.json (`npm ci` when node_modules is missing or out of date).
 *   2. Temporal CLI (dev server + Web UI): $TEMPORAL_CLI, `temporal` on PATH, <tools>/bin/temporal,
 *      else `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` into <tools>/bin.
 *   3. Temporal's Java time-skipping test server: io.temporal:temporal-test-server resolved with Maven
 *      into <tools>/java/, an AppCDS archive so the JVM starts well inside the SDK's 5 s, and the
 *      wrapper <tools>/bin/temporal-test-server that @temporalio/testing starts as `<path> <port>`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** The newest CLI release `go install` accepts (later ones carry a `replace` directive in go.mod). */
const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEST_SERVER_GROUP = 'io.temporal';
const TEST_SERVER_ARTIFACT = 'temporal-test-server';
/** Newest release on Maven Central when this was written (checked against maven-metadata.xml). */
const TEST_SERVER_VERSION = '1.38.0';
/** Bumped whenever the generated wrapper changes, so setup rewrites old ones. */
const WRAPPER_FORMAT = 2;
/** Start-up flags for a short-lived JVM on a small machine: C1 only, serial GC, class data sharing. */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-XX:-UsePerfData'];

const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quietIfDone = process.argv.includes('--quiet-if-done');
const withChromium = process.argv.includes('--with-chromium');

/** A step that cannot go on: one line saying what to do, exit code 1. */
class SetupError extends Error {}

let printedAnything = false;
function progress(line) {
  printedAnything = true;
  process.stdout.write(`setup: ${line}\n`);
}

function toolsDir() {
  if (process.env.DESKFLOW_TOOLS_DIR) return path.resolve(process.env.DESKFLOW_TOOLS_DIR);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'deskflow');
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Like `command -v name`, without spawning a shell. */
function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs a command; on failure shows its captured output and stops setup. */
function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  if (result.error) throw new SetupError(`${cmd} could not be run: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    if (output) process.stderr.write(`${output}\n`);
    throw new SetupError(`\`${cmd} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// 1. npm dependencies

/**
 * True when node_modules already holds what package-lock.json asks for, judged by npm's own record of
 * the installed tree (node_modules/.package-lock.json). Lets a lock file that changed because someone ran
 * `npm install <pkg>` in this clone pass without a needless (and disruptive) `npm ci`.
 */
function installedTreeMatchesLock(lockFile, hiddenLockFile) {
  if (!fs.existsSync(hiddenLockFile)) return false;
  try {
    const wanted = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages ?? {};
    const installed = JSON.parse(fs.readFileSync(hiddenLockFile, 'utf8')).packages ?? {};
    for (const [location, meta] of Object.entries(wanted)) {
      if (location === '' || !location.startsWith('node_modules/')) continue;
      const have = installed[location];
      if (!have) {
        if (meta.optional) continue; // platform-specific optional packages are skipped by npm
        return false;
      }
      if (meta.version && have.version !== meta.version) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function ensureNpmDependencies() {
  const lockFile = path.join(repoRoot, 'package-lock.json');
  const nodeModules = path.join(repoRoot, 'node_modules');
  const stampFile = path.join(nodeModules, '.deskflow-lock-hash');
  const lockHash = sha256(lockFile);
  const stamp = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
  if (stamp === lockHash) return { done: true };

  if (fs.existsSync(nodeModules) && installedTreeMatchesLock(lockFile, path.join(nodeModules, '.package-lock.json'))) {
    fs.writeFileSync(stampFile, `${lockHash}\n`);
    return { done: true };
  }

  if (!onPath('npm')) throw new SetupError('npm is not on PATH: install Node.js 20.19 or newer (it ships npm)');
  progress(
    fs.existsSync(nodeModules)
      ? 'package-lock.json changed: reinstalling npm dependencies (npm ci)…'
      : 'installing npm dependencies (npm ci)…',
  );
  const started = Date.now();
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new SetupError(`npm ci failed (exit ${result.status ?? result.signal})`);
  fs.writeFileSync(stampFile, `${lockHash}\n`);
  progress(`npm dependencies installed in ${seconds(Date.now() - started)}`);
  return { done: false };
}

// ---------------------------------------------------------------------------------------------------
// 2. Temporal CLI

function ensureTemporalCli(tools) {
  if (process.env.TEMPORAL_CLI) {
    const file = path.resolve(process.env.TEMPORAL_CLI);
    if (!isExecutable(file)) throw new SetupError(`TEMPORAL_CLI=${file} is not an executable file`);
    return { done: true, path: file, source: '$TEMPORAL_CLI' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { done: true, path: fromPath, source: 'PATH' };
  const binDir = path.join(tools, 'bin');
  const target = path.join(binDir, 'temporal');
  if (isExecutable(target)) return { done: true, path: target, source: 'tool folder' };

  const go = onPath('go');
  if (!go) {
    throw new SetupError(
      'Go is not installed: install Go 1.24+ (https://go.dev/dl/) so setup can build the Temporal CLI, or set TEMPORAL_CLI to a temporal binary',
    );
  }
  progress(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (several minutes the first time)…`);
  const started = Date.now();
  // Build into a scratch folder and rename, so a half-written binary is never taken for a finished one.
  const scratch = fs.mkdtempSync(path.join(tools, '.go-build-'));
  try {
    const child = spawnSync(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: {
        ...process.env,
        GOBIN: scratch,
        GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' '),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (child.status !== 0) throw new SetupError(`go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} failed`);
    fs.mkdirSync(binDir, { recursive: true });
    fs.renameSync(path.join(scratch, 'temporal'), target);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  progress(`Temporal CLI built in ${seconds(Date.now() - started)}`);
  return { done: false, path: target, source: 'built into the tool folder' };
}

// ---------------------------------------------------------------------------------------------------
// 3. Java time-skipping test server

function testServerPom() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by deskflow scripts/setup.mjs: only used to resolve the test server's classpath. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>deskflow.local</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${TEST_SERVER_GROUP}</groupId>
      <artifactId>${TEST_SERVER_ARTIFACT}</artifactId>
      <version>${TEST_SERVER_VERSION}</version>
    </dependency>
    <!-- Binds SLF4J to a silent logger so the server does not print a warning on every start. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
`;
}

function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `cmd args… <port>`, waits (bounded) until the port accepts connections, stops it; returns the ms it took. */
async function timeServerStart(cmd, args, { limitMs }) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(cmd, [...args, String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', () => ((exited = true), resolve())));
  try {
    while (!(await canConnect(port))) {
      if (exited) throw new SetupError(`the test server exited during start-up: ${stderr.trim().split('\n').pop()}`);
      if (Date.now() - started > limitMs)
        throw new SetupError(`the test server did not listen within ${seconds(limitMs)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return Date.now() - started;
  } finally {
    // SIGTERM lets the JVM exit normally, which is when -XX:ArchiveClassesAtExit writes its archive.
    if (!exited) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exit;
    clearTimeout(killer);
  }
}

async function ensureTestServer(tools) {
  const wrapper = path.join(tools, 'bin', 'temporal-test-server');
  const home = path.join(tools, 'java', `${TEST_SERVER_ARTIFACT}-${TEST_SERVER_VERSION}`);
  const archive = path.join(home, 'app.jsa');
  const marker = `# version ${TEST_SERVER_VERSION} (wrapper format ${WRAPPER_FORMAT})`;
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : onPath('java');

  if (isExecutable(wrapper) && fs.readFileSync(wrapper, 'utf8').includes(marker)) {
    const javaInWrapper = /^JAVA=(.*)$/m.exec(fs.readFileSync(wrapper, 'utf8'))?.[1]?.replace(/^'|'$/g, '');
    if (javaInWrapper && isExecutable(javaInWrapper) && fs.existsSync(archive)) {
      return { done: true, path: wrapper };
    }
  }

  if (!java || !isExecutable(java)) {
    throw new SetupError('Java is not installed: install a JDK 17+ (e.g. apt-get install openjdk-17-jdk-headless)');
  }
  const mvn = onPath('mvn');
  if (!mvn) throw new SetupError('Maven is not installed: install Maven 3.8+ (e.g. apt-get install maven)');

  const started = Date.now();
  fs.mkdirSync(home, { recursive: true });
  const pomFile = path.join(home, 'pom.xml');
  const lib = path.join(home, 'lib');
  const resolved =
    fs.existsSync(pomFile) &&
    fs.readFileSync(pomFile, 'utf8') === testServerPom() &&
    fs.existsSync(path.join(lib, `${TEST_SERVER_ARTIFACT}-${TEST_SERVER_VERSION}.jar`));
  if (!resolved) {
    fs.writeFileSync(pomFile, testServerPom());
    const libTmp = path.join(home, 'lib.tmp');
    fs.rmSync(libTmp, { recursive: true, force: true });
    progress(
      `resolving ${TEST_SERVER_GROUP}:${TEST_SERVER_ARTIFACT}:${TEST_SERVER_VERSION} with Maven into ${home} (about a minute the first time)…`,
    );
    run(mvn, [
      '-B',
      '-q',
      '-f',
      pomFile,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libTmp}`,
      '-DincludeScope=runtime',
    ]);
    fs.rmSync(lib, { recursive: true, force: true });
    fs.renameSync(libTmp, lib);
  }
  const jars = fs
    .readdirSync(lib)
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => path.join(lib, f));
  if (!jars.some((j) => path.basename(j).startsWith(`${TEST_SERVER_ARTIFACT}-`))) {
    throw new SetupError(`Maven did not deliver ${TEST_SERVER_ARTIFACT}-${TEST_SERVER_VERSION}.jar into ${lib}`);
  }
  const classpath = jars.join(path.delimiter);
  fs.writeFileSync(path.join(home, 'classpath.txt'), `${classpath}\n`);

  // AppCDS: one training start records the loaded classes; later starts map them instead of parsing jars.
  progress('recording a class-data-sharing archive for a fast test-server start…');
  fs.rmSync(archive, { force: true });
  const archiveTmp = `${archive}.tmp`;
  fs.rmSync(archiveTmp, { force: true });
  const mainArgs = ['-cp', classpath, 'io.temporal.testserver.TestServer'];
  await timeServerStart(java, [...JVM_FLAGS, `-XX:ArchiveClassesAtExit=${archiveTmp}`, ...mainArgs], {
    limitMs: 60_000,
  });
  if (fs.existsSync(archiveTmp)) fs.renameSync(archiveTmp, archive);
  else progress('warning: the JVM wrote no class-data-sharing archive; the test server will start more slowly');

  const script = `#!/bin/sh
# Temporal's Java time-skipping test server for deskflow, generated by scripts/setup.mjs.
${marker}
# @temporalio/testing starts it as \`<this file> <port>\` (executable type 'existing-path').
JAVA=${shellQuote(java)}
port="$1"
if [ -z "$port" ]; then echo "usage: $0 <port>" >&2; exit 2; fi
# No --enable-time-skipping: that flag starts the server with time already running free, which breaks the
# SDK's protocol (time locked, unlocked only while a test awaits a result or calls env.sleep) and lets
# timers fire while a worker is still on its first workflow task.
exec "$JAVA" ${JVM_FLAGS.join(' ')} -XX:SharedArchiveFile=${shellQuote(archive)} -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off \\
  -cp ${shellQuote(classpath)} io.temporal.testserver.TestServer "$port"
`;
  fs.mkdirSync(path.dirname(wrapper), { recursive: true });
  const wrapperTmp = `${wrapper}.tmp`;
  fs.writeFileSync(wrapperTmp, script, { mode: 0o755 });
  fs.renameSync(wrapperTmp, wrapper);

  const startMs = await timeServerStart(wrapper, [], { limitMs: 30_000 });
  progress(`test server ready in ${seconds(Date.now() - started)}; it starts in ${startMs} ms`);
  return { done: false, path: wrapper };
}

// ---------------------------------------------------------------------------------------------------
// 4. The compiled deskflow CLI

async function ensureCompiledCli() {
  // Imported here, after step 1: the build script needs esbuild from node_modules.
  const { buildCli } = await import('./build-cli.mjs');
  let result;
  try {
    result = await buildCli();
  } catch (err) {
    throw new SetupError(`the deskflow CLI did not compile: ${err?.message ?? err}`);
  }
  if (result.built) progress(`deskflow CLI compiled into dist/cli in ${result.ms} ms`);
  return { done: !result.built };
}

// ---------------------------------------------------------------------------------------------------
// 5. Chromium for the browser test

function ensureChromium() {
  if (process.env.CHROMIUM_PATH) {
    if (!isExecutable(process.env.CHROMIUM_PATH))
      throw new SetupError(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not executable`);
    return { done: true, path: process.env.CHROMIUM_PATH };
  }
  const found = onPath('chromium') ?? onPath('chromium-browser');
  if (found) return { done: true, path: found };
  const aptGet = onPath('apt-get');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!aptGet || !root) {
    throw new SetupError(
      "Chromium is not installed (the browser test drives it): install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH",
    );
  }
  progress('installing Chromium for the browser test (apt-get install chromium)…');
  const started = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run(aptGet, ['update'], { env });
  run(aptGet, ['install', '-y', '--no-install-recommends', 'chromium'], { env });
  const installed = onPath('chromium') ?? onPath('chromium-browser');
  if (!installed) throw new SetupError('apt-get installed chromium, but no chromium is on PATH');
  progress(`Chromium installed in ${seconds(Date.now() - started)}`);
  return { done: false, path: installed };
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const tools = toolsDir();
  fs.mkdirSync(tools, { recursive: true });
  const npmDeps = ensureNpmDependencies();
  const cli = ensureTemporalCli(tools);
  const testServer = await ensureTestServer(tools);
  const deskflowCli = await ensureCompiledCli();
  const browser = withChromium ? ensureChromium() : { done: true };
  const allDone = npmDeps.done && cli.done && testServer.done && deskflowCli.done && browser.done;
  if (quietIfDone && allDone && !printedAnything) return;
  process.stdout.write(
    [
      `setup: done. Tool folder: ${tools}`,
      `  Temporal CLI (dev server + UI): ${cli.path} (${cli.source})`,
      `  time-skipping test server:      ${testServer.path}`,
      ...(browser.path ? [`  Chromium (browser test):        ${browser.path}`] : []),
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  if (err instanceof SetupError) {
    process.stderr.write(`setup: ${err.message}\n`);
  } else {
    process.stderr.write(`setup: unexpected failure: ${err?.stack ?? err}\n`);
  }
  process.exit(1);
});
