/** Shared Temporal set-up for tests (see STYLE.md: one env per file in beforeAll, unique task queues). */
import { fileURLToPath } from 'node:url';

export { createTimeSkippingEnv } from '../../src/local/time-skipping';
export { startDevServer, freePort } from '../../src/local/dev-server';

/** The worker's workflow bundle entry (the barrel of src/workflows). */
export const workflowsPath = fileURLToPath(new URL('../../src/workflows/index.ts', import.meta.url));

/** Test-only workflows (test/fixtures/workflows). */
export const fixtureWorkflowsPath = fileURLToPath(new URL('../fixtures/workflows/index.ts', import.meta.url));

let counter = 0;
/** A task queue no other test (or earlier run against a persistent server) shares. */
export function uniqueTaskQueue(label: string): string {
  counter += 1;
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40);
  return `test-${slug}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
