/**
 * Bounded histories, measured on the newest recorded version of the corpus (events and bytes as Temporal
 * counts them, protobuf-encoded): a simple ticket (resolved-friday) ≤ 60 events and ≤ 40 KB, the
 * onboarding example ≤ 150 events and ≤ 80 KB. A year-long ticket is bounded in
 * test/workflows/continue-as-new.test.ts.
 */
import proto from '@temporalio/proto';
import { loadHistory, recordedHistories, versions } from './corpus';

const newest = versions().at(-1);

function measure(file: string): { events: number; bytes: number } {
  const h = recordedHistories().find((r) => r.version === newest && r.file === file);
  if (!h) throw new Error(`${file} is not in version ${newest}`);
  const history = loadHistory(h);
  return {
    events: history.events?.length ?? 0,
    bytes: proto.temporal.api.history.v1.History.encode(history).finish().length,
  };
}

test('the resolved-friday example: at most 60 events and 40 KB', () => {
  const { events, bytes } = measure('examples--resolved-friday-closes-monday--ticket-SS-1.json');
  expect(events).toBeLessThanOrEqual(60);
  expect(bytes).toBeLessThanOrEqual(40 * 1024);
});

test('the onboarding example: at most 150 events and 80 KB', () => {
  const { events, bytes } = measure('examples--everbright-onboarding--ticket-SS-1.json');
  expect(events).toBeLessThanOrEqual(150);
  expect(bytes).toBeLessThanOrEqual(80 * 1024);
});
