/**
 * Bounded histories: a ticket left with support for weeks is handed from run to run (continue-as-new at
 * the S-13 wait) and nothing an agent or operator sees changes at a hand-over: the status query (stage,
 * deadline, SLA, timeline), the follow-up reminders every two business days at the same local time, and a
 * command accepted in a later run is carried out as before (S-15 resolve closes one business day later).
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { loadConfig } from '../../src/config';
import { addBusinessDays } from '../../src/workflows/business-calendar';
import { linkedIssueChangedSignal, resolveUpdate, statusQuery, type TicketStatus } from '../../src/workflows/messages';
import { CONTRACT_CHANGE, statusWhen, useSandboxedWorkflows } from '../helpers/sandboxed-workflows';

// A small event limit, so a few reminder cycles fill a run.
const config = loadConfig({
  overrides: { calendar: { holidays: 'none' }, history: { maxEventsPerRun: 30, maxBytesPerRun: 10_000_000 } },
});
const t = useSandboxedWorkflows(config);

const HOW_TO = {
  summary: 'How do I add a second roof plane?',
  description: 'I cannot find the button for a second roof plane.',
  reporter: 'dana@brightleaf.example',
};

/** The runs of a workflow, oldest first, from each run's start event (continuedExecutionRunId). */
async function runIds(client: Client, workflowId: string): Promise<string[]> {
  const ids: string[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    ids.unshift(runId);
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return ids;
}

test('a ticket with support for five weeks runs as several runs; query, deadlines, reminders and a later resolve are unchanged by the hand-overs', async () => {
  const client = t.env.client;
  const { worker, taskQueue } = await t.worker(config);
  const start = await t.nextStart();
  await t.sleepUntil(start);
  const { key, handle } = await t.startTicket(taskQueue, start, HOW_TO);
  const workflowId = handle.workflowId;
  try {
    await worker.runUntil(async () => {
      const status = () => handle.query(statusQuery);
      const first = await statusWhen(handle, (s) => s.stage === 'with-support');
      expect(first.stage).toBe('with-support');
      // Follow-ups every two business days at the local time the ticket reached support.
      const firstUntil = new Date(first.until!);
      expect(firstUntil.getTime()).toBe(
        addBusinessDays(new Date(first.timeline.at(-1)!.at), 2, config.calendar).getTime(),
      );

      // Five weeks with support: 12 follow-up deadlines, each two business days after the last reminder.
      const perRun = new Map<string, TicketStatus>();
      let until = firstUntil;
      for (let i = 0; i < 12; i++) {
        await t.sleepUntil(new Date(until.getTime() + 60_000));
        const s = await status();
        expect(s.stage).toBe('with-support');
        const next = new Date(s.until!);
        const earliest = addBusinessDays(until, 2, config.calendar).getTime();
        expect(next.getTime() - earliest).toBeGreaterThanOrEqual(0);
        expect(next.getTime() - earliest).toBeLessThan(60_000);
        const { runId } = await handle.describe();
        if (!perRun.has(runId)) perRun.set(runId, s);
        until = next;
      }
      const runs = await runIds(client, workflowId);
      expect(runs.length).toBeGreaterThanOrEqual(3);

      // At each hand-over the old run's last answer and the new run's first one are the same.
      let checked = 0;
      for (let i = 1; i < runs.length; i++) {
        const before = await client.workflow.getHandle(workflowId, runs[i - 1]).query(statusQuery);
        const history = await client.workflow.getHandle(workflowId, runs[i]).fetchHistory();
        expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBe(runs[i - 1]);
        // The new run waits until exactly the deadline the old one had set, and answers the query alike.
        const after = perRun.get(runs[i]!);
        if (after && after.timeline.length === before.timeline.length) expect(after).toEqual(before);
        checked += after && after.timeline.length === before.timeline.length ? 1 : 0;
        expect(before.stage).toBe('with-support');
        expect(before.firstResponseAt).toBe(first.firstResponseAt);
        expect(before.slaDeadline).toBe(first.slaDeadline);
        expect(before.timeline.slice(0, first.timeline.length)).toEqual(first.timeline);
      }
      expect(checked).toBeGreaterThanOrEqual(1);
      // Every run is short: the limit and some slack (one release marker and its upsert stand for every patch).
      for (const runId of runs) {
        const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
        expect(events.length).toBeLessThan(30 + 30);
      }

      // One reminder per deadline, none twice, across all runs.
      const reminders = t.sandbox
        .state()
        .slack.filter((m: { text: string }) => m.text.startsWith('Follow-up reminder'));
      expect(reminders).toHaveLength(12);

      // A command in a later run: resolve, then closed one business day later (S-15).
      await handle.executeUpdate(resolveUpdate, {
        args: [{ note: 'Use Design > Roof > Add plane', by: 'alex.morgan@sighten.io' }],
      });
      const asked = await statusWhen(handle, (s) => s.stage === 'awaiting-confirmation');
      expect(asked.stage).toBe('awaiting-confirmation');
      await t.sleepUntil(new Date(new Date(asked.until!).getTime() + 60_000));
      await handle.result();
      expect(t.sandbox.issue(key)!.status).toBe('Closed');
    });
  } finally {
    await handle.terminate('test over').catch(() => undefined);
  }
}, 300_000);

test('a ticket left with support for a year, with the default limits: no run exceeds 2 000 events or 1 MB', async () => {
  const yearConfig = loadConfig({ overrides: { calendar: { holidays: 'none' } } });
  const { worker, taskQueue } = await t.worker(yearConfig);
  const start = await t.nextStart(7);
  await t.sleepUntil(start);
  const { handle } = await t.startTicket(taskQueue, start, HOW_TO);
  try {
    await worker.runUntil(async () => {
      let s = await statusWhen(handle, (status) => status.stage === 'with-support');
      const end = start.getTime() + 366 * 86_400_000;
      while (new Date(s.until!).getTime() < end) {
        await t.sleepUntil(new Date(new Date(s.until!).getTime() + 60_000));
        s = await handle.query(statusQuery);
        expect(s.stage).toBe('with-support');
      }
      // About 130 reminder cycles: with local activities they fit under the default 1 000 events per run; had
      // they not, the run would have continued as new there.
      const runs = await runIds(t.env.client, handle.workflowId);
      for (const runId of runs) {
        const history = await t.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
        expect(history.events!.length).toBeLessThanOrEqual(2000);
        expect(proto.temporal.api.history.v1.History.encode(history).finish().length).toBeLessThanOrEqual(1024 * 1024);
      }
    });
  } finally {
    await handle.terminate('test over').catch(() => undefined);
  }
}, 300_000);

test('a ticket waiting weeks on its CS ticket is handed over while it waits; the status updates go on and the CS ticket being done is still followed by S-15', async () => {
  const csConfig = loadConfig({
    overrides: { calendar: { holidays: 'none' }, history: { maxEventsPerRun: 30, maxBytesPerRun: 10_000_000 } },
  });
  const { worker, taskQueue } = await t.worker(csConfig);
  const start = await t.nextStart(7);
  await t.sleepUntil(start);
  const { key, handle } = await t.startTicket(taskQueue, start, CONTRACT_CHANGE);
  try {
    await worker.runUntil(async () => {
      let s = await statusWhen(handle, (status) => status.stage === 'awaiting-cs');
      expect(s.stage).toBe('awaiting-cs');
      const cs = s.linkedIssues[0]!;
      const publicBefore = t.sandbox.issue(key)!.comments.filter((c) => c.public).length;
      for (let i = 0; i < 6; i++) {
        const until = s.until!;
        await t.sleepUntil(new Date(new Date(until).getTime() + 60_000));
        s = await handle.query(statusQuery);
        expect(s.stage).toBe('awaiting-cs');
        expect(new Date(s.until!).getTime()).toBeGreaterThan(new Date(until).getTime());
      }
      // One S-13 status update per deadline, across the runs.
      expect(t.sandbox.issue(key)!.comments.filter((c) => c.public).length).toBe(publicBefore + 6);
      expect((await runIds(t.env.client, handle.workflowId)).length).toBeGreaterThanOrEqual(2);

      // The CS ticket is done: the customer is asked to confirm, and without an answer it closes (S-15).
      await handle.signal(linkedIssueChangedSignal, {
        key: cs,
        project: 'CS',
        status: 'Done',
        from: 'In Progress',
        by: null,
      });
      s = await statusWhen(handle, (status) => status.stage === 'awaiting-confirmation');
      expect(s.stage).toBe('awaiting-confirmation');
      await t.sleepUntil(new Date(new Date(s.until!).getTime() + 60_000));
      await handle.result();
      expect(t.sandbox.issue(key)!.status).toBe('Closed');
    });
  } finally {
    await handle.terminate('test over').catch(() => undefined);
  }
}, 300_000);
