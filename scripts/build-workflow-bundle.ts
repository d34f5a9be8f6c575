/**
 * Prebuilds the worker's workflow bundle into one file, so the production worker loads it
 * (`workflowBundle: { codePath }`) instead of transpiling and bundling src/workflows at every start.
 *
 *   tsx scripts/build-workflow-bundle.ts [OUT_FILE]     (default: dist/workflow-bundle.js)
 *
 * The Dockerfile runs it in its build stage and points DESKFLOW_WORKFLOW_BUNDLE at the result.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import { failureConverterPath } from '../src/shared/data-converter';
import { workflowsPath } from '../src/workers/worker';

export const DEFAULT_BUNDLE_FILE = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));

/** Bundles src/workflows and writes the code to `outFile`; returns the absolute path written. */
export async function buildWorkflowBundle(
  outFile: string = DEFAULT_BUNDLE_FILE,
  options: Pick<BundleOptions, 'logger'> = {},
): Promise<string> {
  const target = resolve(outFile);
  // The failure converter goes into the bundle: failure messages are encoded, so the codec seals them.
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, ...options });
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, code);
  return target;
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  buildWorkflowBundle(process.argv[2])
    .then((file) => console.log(`workflow bundle written to ${file}`))
    .catch((err: unknown) => {
      console.error(`cannot build the workflow bundle: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
