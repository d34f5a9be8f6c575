/**
 * Jest global setup: the workflows are bundled once per test run (or taken from the cache when the
 * sources did not change) and every test file's workers load that file through DESKFLOW_WORKFLOW_BUNDLE.
 */
import { bundleCacheDir, cachedWorkflowBundle } from '../../src/workers/bundle';

export default async function setup(): Promise<void> {
  process.env.DESKFLOW_WORKFLOW_BUNDLE = await cachedWorkflowBundle(bundleCacheDir);
}
