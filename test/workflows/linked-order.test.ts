/**
 * Jira delivers webhooks late, twice and out of order. A linked-issue event carries the time of the
 * change (the webhook's `timestamp`), and the ticket workflow ignores one older than the newest it
 * recorded: a late "In Progress" after "Done" does not put the CS status back (issue 14).
 */
import { loadConfig } from '../../src/config';
import { linkedIssueChangedSignal } from '../../src/workflows/messages';
import { CONTRACT_CHANGE, statusWhen, useSandboxedWorkflows } from '../helpers/sandboxed-workflows';

const config = loadConfig({ overrides: { calendar: { holidays: 'none' } } });
const t = useSandboxedWorkflows(config);

test('a stale "In Progress" delivered after "Done" does not put the CS status back', async () => {
  // No sticky cache: the second worker takes the workflow over at once.
  const { worker: first, taskQueue } = await t.worker(config, { maxCachedWorkflows: 0 });
  const start = await t.nextStart(14);
  await t.sleepUntil(start);
  const { handle } = await t.startTicket(taskQueue, start, CONTRACT_CHANGE);
  const stageReached = (stage: string) => statusWhen(handle, (s) => s.stage === stage);
  try {
    let cs = '';
    await first.runUntil(async () => {
      const s = await stageReached('awaiting-cs');
      expect(s.stage).toBe('awaiting-cs');
      cs = s.linkedIssues[0]!;
    });
    // Both arrive while no worker runs, so the workflow sees them in one activation: the newer change
    // first, then the late delivery of the older one.
    const base = await t.env.currentTimeMs();
    await handle.signal(linkedIssueChangedSignal, {
      key: cs,
      project: 'CS',
      status: 'Done',
      from: 'In Progress',
      by: null,
      at: new Date(base + 3_600_000).toISOString(),
    });
    await handle.signal(linkedIssueChangedSignal, {
      key: cs,
      project: 'CS',
      status: 'In Progress',
      from: 'To Do',
      by: null,
      at: new Date(base + 1_800_000).toISOString(),
    });
    const { worker: second } = await t.worker(config, { maxCachedWorkflows: 0, taskQueue });
    await second.runUntil(async () => {
      expect((await stageReached('awaiting-confirmation')).stage).toBe('awaiting-confirmation');
    });
  } finally {
    await handle.terminate('test over').catch(() => undefined);
  }
}, 120_000);
