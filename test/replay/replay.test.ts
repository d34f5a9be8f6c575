/**
 * Replays every recorded history of every version (test/replay/corpus.ts) against the current workflow
 * code with one replay worker, so a change that would break running tickets (non-determinism) fails CI.
 * Histories recorded before payload encryption (plain JSON) and after (sealed) both replay.
 */
import { Worker } from '@temporalio/worker';
import { createDataConverter, SCENARIO_CODEC_KEYS } from '../../src/shared/data-converter';
import { testWorkflowBundle } from '../helpers/workflow-bundle';
import { loadHistory, recordedHistories, versions } from './corpus';

const recorded = recordedHistories();

test('the corpus holds at least two versions, and the six example scenarios in each', () => {
  expect(versions().length).toBeGreaterThanOrEqual(2);
  for (const v of versions()) {
    expect(recorded.filter((h) => h.version === v && h.file.startsWith('examples--')).length).toBe(6);
  }
});

test('every recorded history of every version replays without non-determinism', async () => {
  const histories = recorded.map((h) => ({ workflowId: `${h.version}/${h.file}`, history: loadHistory(h) }));
  const failures: string[] = [];
  let replayed = 0;
  const options = { workflowBundle: testWorkflowBundle(), dataConverter: createDataConverter(SCENARIO_CODEC_KEYS) };
  for await (const result of Worker.runReplayHistories(options, histories)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
}, 300_000);
