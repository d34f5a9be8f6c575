#!/usr/bin/env node
// `npx deskflow <command>`: runs the compiled CLI (dist/cli, built by `npm run build`, set-up, `npm start`
// and `npm test`) with V8's code cache (./code-cache.js), or the TypeScript sources through tsx when
// there is no bundle or a source file is newer.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli/deskflow.cjs', import.meta.url);

/** True when some file under src/ changed after the bundle was written (an edit not yet built). */
function sourcesNewerThan(mtimeMs) {
  const stack = [new URL('../src/', import.meta.url)];
  while (stack.length) {
    const dir = stack.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const url = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
      if (entry.isDirectory()) stack.push(url);
      else if (fs.statSync(url).mtimeMs > mtimeMs) return true;
    }
  }
  return false;
}

let built;
try {
  built = fs.statSync(bundle).mtimeMs;
} catch {
  built = undefined;
}

if (built !== undefined && !sourcesNewerThan(built)) {
  const { loadWithCodeCache } = await import('./code-cache.js');
  const cli = loadWithCodeCache(fileURLToPath(bundle));
  process.exitCode = await cli.exports.runCli(process.argv.slice(2));
  cli.save();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../src/client/cli/main.ts');
  process.exitCode = await runCli(process.argv.slice(2));
}
