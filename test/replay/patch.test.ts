/**
 * The versioning convention, shown on a real change: S-10's acknowledgement now goes out before S-07's
 * "Organization unknown" note. A history recorded before the change (note first) must replay with the
 * patched code, and must fail to replay when the same reorder is made without `patched()`.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createDataConverter, failureConverterPath, SCENARIO_CODEC_KEYS } from '../../src/shared/data-converter';
import { workflowsPath } from '../../src/workers/worker';
import { testWorkflowBundle } from '../helpers/workflow-bundle';
import { loadHistory, recordedHistories, versions } from './corpus';

const webpack = createRequire(createRequire(import.meta.url).resolve('@temporalio/worker'))(
  'webpack',
) as typeof import('webpack');
const unpatched = fileURLToPath(new URL('./fixtures/unpatched-patches.ts', import.meta.url));
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;
const dataConverter = createDataConverter(SCENARIO_CODEC_KEYS);

// The first version's resolved-friday history: reporter at an unmapped domain, so the note was posted
// before the acknowledgement.
const before = recordedHistories().find(
  (h) => h.version === versions()[0] && h.file === 'examples--resolved-friday-closes-monday--ticket-SS-1.json',
);

test('a history recorded before the change exists', () => {
  expect(before).toBeDefined();
});

test('the patched reorder replays a history recorded before it', async () => {
  await expect(
    Worker.runReplayHistory(
      { workflowBundle: testWorkflowBundle(), dataConverter },
      loadHistory(before!),
      'before-patch',
    ),
  ).resolves.toBeUndefined();
}, 120_000);

test('the same reorder without patched() fails to replay that history', async () => {
  const bundle = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    logger: quiet,
    webpackConfigHook: (config) => {
      config.plugins = [
        ...(config.plugins ?? []),
        new webpack.NormalModuleReplacementPlugin(/[\\/]patches$/, unpatched),
      ];
      return config;
    },
  });
  await expect(
    Worker.runReplayHistory({ workflowBundle: bundle, dataConverter }, loadHistory(before!), 'before-patch'),
  ).rejects.toMatchObject({ name: 'DeterminismViolationError' });
}, 120_000);
