/**
 * Where the local Temporal tools live. The same rules as scripts/setup.mjs, which finds or builds them:
 * the tool folder is `$DESKFLOW_TOOLS_DIR`, else `${XDG_CACHE_HOME:-~/.cache}/deskflow`, shared by every clone.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const setupHint = 'run `node scripts/setup.mjs` (npm start and npm test run it for you)';

export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DESKFLOW_TOOLS_DIR) return resolve(env.DESKFLOW_TOOLS_DIR);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'deskflow');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The Temporal CLI (`temporal server start-dev`): `$TEMPORAL_CLI`, `temporal` on PATH, or the tool folder. */
export function temporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEMPORAL_CLI) {
    const file = resolve(env.TEMPORAL_CLI);
    if (!isExecutable(file)) throw new Error(`TEMPORAL_CLI=${file} is not an executable file`);
    return file;
  }
  const found = onPath('temporal', env) ?? join(toolsDir(env), 'bin', 'temporal');
  if (!isExecutable(found)) throw new Error(`the Temporal CLI is not installed: ${setupHint}`);
  return found;
}

/** The wrapper that starts Temporal's Java time-skipping test server as `<path> <port>`. */
export function testServerPath(env: NodeJS.ProcessEnv = process.env): string {
  const file = join(toolsDir(env), 'bin', 'temporal-test-server');
  if (!isExecutable(file)) throw new Error(`the Java time-skipping test server is not installed: ${setupHint}`);
  return file;
}
