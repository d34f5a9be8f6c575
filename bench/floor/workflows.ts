/**
 * The floor the benchmarks compare deskflow with: the least a Temporal workflow can do for the same
 * outcome, on the same dev server. `floorTicket` is started with signalWithStart (as the relay starts a
 * ticket) and writes one comment with one activity; `noopChain` runs n no-op activities in a row, for a
 * replay floor of a given history length.
 */
import { defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { FloorActivities } from './activities';

export const floorCreatedSignal = defineSignal<[string]>('created');

const { writeComment, noop } = proxyActivities<FloorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

export async function floorTicket(key: string): Promise<void> {
  setHandler(floorCreatedSignal, () => undefined);
  await writeComment(key);
}

export async function noopChain(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await noop();
}
