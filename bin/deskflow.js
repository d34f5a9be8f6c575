#!/usr/bin/env node
// `npx deskflow <command>`: runs the compiled CLI (dist/cli, built by `npm run build`, set-up, `npm start`
// and `npm test`), or the TypeScript sources through tsx when there is no bundle or a source file is newer.
import fs from 'node:fs';

const bundle = new URL('../dist/cli/deskflow.js', import.meta.url);

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

let runCli;
if (built !== undefined && !sourcesNewerThan(built)) {
  ({ runCli } = await import(bundle.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src/client/cli/main.ts'));
}
process.exitCode = await runCli(process.argv.slice(2));
