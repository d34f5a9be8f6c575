#!/usr/bin/env node
// `npx deskflow <command>`: runs the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/client/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
