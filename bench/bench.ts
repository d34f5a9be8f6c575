/**
 * `npm run bench [-- --quick] [--out DIR] [--keep-data] [--p1-rate N] [--p1-seconds N] [--p3-tickets N]`:
 * deskflow's reaction time, ingest rate, burst drain, cost per ticket, parked-ticket memory and replay
 * time, each against a floor measured in the same run on the same servers (bench/floor/), printed as a
 * table and kept as JSON in bench/results/ (see README, "Performance and reliability").
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { installQuietRuntime } from '../src/local/temporal-watch';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { defaultConfig } from '../src/config/defaults';
import { mapWebhook } from '../src/client/relay/mapping';
import { parseWebhook } from '../src/client/relay/payload';
import { TICKET_WORKFLOW_TYPE } from '../src/client/connection';
import { ticketCreatedSignal, type TicketCreatedEvent } from '../src/workflows/messages';
import { ticketKeyAttribute } from '../src/workflows/search-attributes';
import { createDataConverter, SCENARIO_CODEC_KEYS } from '../src/shared/data-converter';
import { bundleCacheDir, cachedWorkflowBundle } from '../src/workers/bundle';
import { recordedHistories, versions } from '../test/replay/corpus';
import {
  addComment,
  createTicketSilently,
  firstPublicCommentAt,
  postWebhook,
  sandboxState,
  SIMPLE_TICKET,
} from './lib/desk';
import {
  billableActions,
  fetchHistory,
  historyBytes,
  lowerBoundActions,
  wakeUpLatency,
  workflowTaskDelays,
} from './lib/history';
import { percentile, pool, progress, resultsDir, say, sleep, table, writeResults, type Row } from './lib/report';
import { cachedFloorBundle, cpuMsOf, FLOOR_TASK_QUEUE, NodeProcess, Stack } from './lib/stack';
import { freePort } from '../src/local/dev-server';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    'keep-data': { type: 'boolean', default: false },
    'p1-rate': { type: 'string' },
    'p1-seconds': { type: 'string' },
    'p2-seconds': { type: 'string' },
    'p3-tickets': { type: 'string' },
  },
  strict: true,
});
const quick = args.quick === true;
const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
const counts = {
  p1Rate: num(args['p1-rate'], quick ? 2 : 10),
  p1Seconds: num(args['p1-seconds'], quick ? 3 : 60),
  p2Seconds: num(args['p2-seconds'], quick ? 2 : 15),
  p2Senders: 64,
  p3Tickets: num(args['p3-tickets'], quick ? 10 : 1000),
  p3WithinSeconds: quick ? 3 : 10,
  p5WakeUps: quick ? 3 : 20,
  p6Replays: quick ? 4 : 20,
};
const drainLimitMs = quick ? 90_000 : 900_000;

const rows: Row[] = [];
/** Tickets that never got their first response: a loss, which fails the run (exit 1). */
const lost: string[] = [];
const details: Record<string, unknown> = {};
const row = (r: Row) => {
  rows.push(r);
  say(
    `  → ${r.id} ${r.measure}: ${typeof r.value === 'number' ? r.value.toFixed(1) : r.value}${r.unit ? ` ${r.unit}` : ''}` +
      `${r.floor !== undefined ? ` (floor ${typeof r.floor === 'number' ? r.floor.toFixed(1) : r.floor})` : ''}${r.met === false ? '  GOAL MISSED' : ''}`,
  );
};

/** Every process of the stack that does work for a ticket, the dev server's children included. */
function pidsOf(stack: Stack, which: 'deskflow' | 'floor'): number[] {
  const pids =
    which === 'deskflow'
      ? [stack.sandbox.pid, stack.relay.pid, stack.worker.pid]
      : [stack.floorSandbox!.pid, stack.floorWorker!.pid];
  const dev = stack.devServer?.pid;
  if (dev) {
    pids.push(dev);
    try {
      pids.push(
        ...readFileSync(`/proc/${dev}/task/${dev}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
      );
    } catch {
      // not Linux
    }
  }
  return pids;
}
const cpuOf = (pids: number[]) => pids.reduce((s, p) => s + cpuMsOf(p), 0);

/** Waits until every key has its first public comment; returns when each got it. */
async function waitForFirstComments(
  sandboxUrl: string,
  keys: string[],
  label: string,
  limitMs: number,
): Promise<Map<string, number>> {
  const tick = progress(label, keys.length);
  const deadline = Date.now() + limitMs;
  for (;;) {
    const state = await sandboxState(sandboxUrl);
    const at = firstPublicCommentAt(state.issues);
    const done = keys.filter((k) => at.has(k)).length;
    tick(done, `(webhooks pending ${state.webhooks.pending})`);
    if (done === keys.length || Date.now() > deadline) return at;
    await sleep(quick ? 500 : 2_000);
  }
}

async function startFloor(stack: Stack, key: string): Promise<void> {
  await stack.client.workflow.signalWithStart('floorTicket', {
    taskQueue: FLOOR_TASK_QUEUE,
    workflowId: `floor-${key}`,
    args: [key],
    signal: 'created',
    signalArgs: [key],
  });
}

/** Posts one prepared ticket at a steady rate; returns when each was posted. */
async function steady<T>(items: T[], perSecond: number, send: (item: T) => Promise<void>): Promise<void> {
  const start = performance.now();
  await Promise.all(
    items.map(async (item, i) => {
      const due = start + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      await send(item);
    }),
  );
}

// ------------------------------------------------------------------------------------------ P1
async function p1(stack: Stack): Promise<string[]> {
  const n = Math.round(counts.p1Rate * counts.p1Seconds);
  say(`P1 reaction: ${n} tickets at ${counts.p1Rate}/s, floor first`);
  const measure = async (which: 'floor' | 'deskflow'): Promise<{ lat: number[]; keys: string[] }> => {
    const url = which === 'floor' ? stack.floorSandboxUrl : stack.sandboxUrl;
    const prepared: { key: string; payload: unknown }[] = [];
    for (let i = 0; i < n; i += 1) prepared.push(await createTicketSilently(url, SIMPLE_TICKET));
    const postedAt = new Map<string, number>();
    await steady(prepared, counts.p1Rate, async ({ key, payload }) => {
      postedAt.set(key, Date.now());
      if (which === 'floor') await startFloor(stack, key);
      else {
        const r = await postWebhook(stack.webhookUrl, stack.webhookSecret, JSON.stringify(payload), `bench-${key}`);
        if (r.status < 200 || r.status >= 300) throw new Error(`relay answered ${r.status} for ${key}: ${r.body}`);
      }
    });
    const keys = prepared.map((p) => p.key);
    const at = await waitForFirstComments(url, keys, `P1 ${which}`, drainLimitMs);
    const lat = keys.filter((k) => at.has(k)).map((k) => at.get(k)! - postedAt.get(k)!);
    if (lat.length < keys.length) {
      say(`  P1 ${which}: ${keys.length - lat.length} tickets had no comment in time`);
      if (which === 'deskflow') lost.push(...keys.filter((k) => !at.has(k)));
    }
    return { lat, keys };
  };
  const floor = await measure('floor');
  const desk = await measure('deskflow');
  const fp50 = percentile(floor.lat, 50);
  const fp99 = percentile(floor.lat, 99);
  const dp50 = percentile(desk.lat, 50);
  const dp99 = percentile(desk.lat, 99);
  details.p1 = {
    tickets: n,
    rate: counts.p1Rate,
    floor: floor.lat,
    deskflow: desk.lat,
    unanswered: n - desk.lat.length,
  };
  row({
    id: 'P1',
    measure: `ticket → first public comment p50 (${counts.p1Rate}/s)`,
    value: dp50,
    floor: fp50,
    unit: 'ms',
    ratio: dp50 / fp50,
    goal: '≤ 1.5× floor',
    met: dp50 <= 1.5 * fp50,
  });
  row({
    id: 'P1',
    measure: 'same, p99',
    value: dp99,
    floor: fp99,
    unit: 'ms',
    ratio: dp99 / fp99,
    goal: '≤ 2× floor and < 1 s',
    met: dp99 <= 2 * fp99 && dp99 < 1000 && desk.lat.length === n,
  });
  return desk.keys;
}

// ------------------------------------------------------------------------------------------ P2
async function p2(stack: Stack): Promise<void> {
  say(`P2 relay ingest: ${counts.p2Senders} senders for ${counts.p2Seconds} s each, floor first`);
  const template = (await createTicketSilently(stack.sandboxUrl, SIMPLE_TICKET)).payload as {
    issue: { key: string; id: string };
  };
  // A second relay on a task queue no worker polls: the ingest alone, without the worker's load.
  const port = await freePort();
  const relay = new NodeProcess(
    'ingest-relay',
    'src/client/relay/main.ts',
    [],
    {
      TEMPORAL_ADDRESS: stack.temporalAddress,
      DESKFLOW_CODEC_KEYS: stack.codecKeys,
      DESKFLOW_DATA_DIR: stack.dataDir,
      RELAY_PORT: String(port),
      WEBHOOK_SECRET: stack.webhookSecret,
      TEMPORAL_TASK_QUEUE: 'bench-ingest',
      SANDBOX_URL: stack.sandboxUrl,
    },
    stack.dataDir,
    /relay listening/,
  );
  await relay.start();
  const body = (key: string) => {
    const p = structuredClone(template);
    p.issue.key = key;
    p.issue.id = key.slice(3);
    return JSON.stringify(p);
  };
  const mapped = mapWebhook(parseWebhook(JSON.parse(body('SS-1'))), defaultConfig);
  if (mapped.action !== 'deliver') throw new Error(`the template webhook is not delivered: ${JSON.stringify(mapped)}`);
  const event = mapped.deliveries[0]!.event as TicketCreatedEvent;

  const run = async (label: string, base: number, one: (i: number) => Promise<boolean>): Promise<number> => {
    let next = 0;
    let ok = 0;
    let failed = 0;
    const end = performance.now() + counts.p2Seconds * 1000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: counts.p2Senders }, async () => {
        while (performance.now() < end) {
          const i = base + next++;
          if (await one(i)) ok += 1;
          else failed += 1;
        }
      }),
    );
    const rate = ok / ((performance.now() - start) / 1000);
    say(`  P2 ${label}: ${ok} accepted, ${failed} failed, ${rate.toFixed(0)}/s`);
    return rate;
  };
  const floorRate = await run('floor', 950_000, async (i) => {
    const key = `SS-${i}`;
    try {
      await stack.client.workflow.signalWithStart(TICKET_WORKFLOW_TYPE, {
        workflowId: `ticket-${key}`,
        taskQueue: 'bench-ingest',
        args: [{ key, created: { ...event, key } }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [{ key: ticketKeyAttribute, value: key }],
        signal: ticketCreatedSignal,
        signalArgs: [{ ...event, key }],
      });
      return true;
    } catch (err) {
      return err instanceof WorkflowExecutionAlreadyStartedError;
    }
  });
  const relayUrl = `http://127.0.0.1:${port}/webhooks/jira`;
  const deskRate = await run('relay', 900_000, async (i) => {
    const r = await postWebhook(relayUrl, stack.webhookSecret, body(`SS-${i}`), `ingest-${i}`);
    return r.status >= 200 && r.status < 300;
  });
  await relay.stop();
  details.p2 = {
    senders: counts.p2Senders,
    seconds: counts.p2Seconds,
    floorPerSecond: floorRate,
    relayPerSecond: deskRate,
  };
  row({
    id: 'P2',
    measure: `relay ingest, ${counts.p2Senders} senders`,
    value: deskRate,
    floor: floorRate,
    unit: '/s',
    ratio: deskRate / floorRate,
    goal: '≥ 0.9× floor',
    met: deskRate >= 0.9 * floorRate,
  });
}

// ------------------------------------------------------------------------------------------ P3
async function p3(stack: Stack): Promise<string[]> {
  const n = counts.p3Tickets;
  const rate = n / counts.p3WithinSeconds;
  say(`P3 burst: ${n} tickets within ${counts.p3WithinSeconds} s, floor first`);
  const measure = async (which: 'floor' | 'deskflow') => {
    const url = which === 'floor' ? stack.floorSandboxUrl : stack.sandboxUrl;
    const prepared: { key: string; payload: unknown }[] = [];
    const tick = progress(`P3 ${which} tickets prepared`, n, 5_000);
    await pool(
      Array.from({ length: n }, (_, i) => i),
      8,
      async () => {
        prepared.push(await createTicketSilently(url, SIMPLE_TICKET));
        tick(prepared.length);
      },
    );
    const pids = pidsOf(stack, which);
    const cpu0 = cpuOf(pids);
    const t0 = Date.now();
    await steady(prepared, rate, async ({ key, payload }) => {
      if (which === 'floor') await startFloor(stack, key);
      else {
        for (let attempt = 0; ; attempt += 1) {
          const r = await postWebhook(stack.webhookUrl, stack.webhookSecret, JSON.stringify(payload), `bench-${key}`);
          if (r.status >= 200 && r.status < 300) break;
          if (attempt > 20) throw new Error(`relay answered ${r.status} for ${key}: ${r.body}`);
          await sleep(500);
        }
      }
    });
    const keys = prepared.map((p) => p.key);
    const at = await waitForFirstComments(url, keys, `P3 ${which} answered`, drainLimitMs);
    const answered = keys.filter((k) => at.has(k));
    if (which === 'deskflow') lost.push(...keys.filter((k) => !at.has(k)));
    const drainMs = Math.max(...answered.map((k) => at.get(k)!)) - t0;
    const cpuMs = cpuOf(pids) - cpu0;
    const sample = keys.filter((_, i) => i % Math.max(1, Math.floor(keys.length / 200)) === 0);
    const delays: number[] = [];
    let timeouts = 0;
    let failures = 0;
    await pool(sample, 8, async (key) => {
      const h = await fetchHistory(stack.client, which === 'floor' ? `floor-${key}` : `ticket-${key}`);
      const d = workflowTaskDelays(h);
      delays.push(...d.delays);
      timeouts += d.timeouts;
      failures += d.failures;
    });
    return {
      keys,
      answered: answered.length,
      drainMs,
      cpuPerTicket: cpuMs / n,
      s2sP95: percentile(delays, 95),
      timeouts,
      failures,
      sampled: sample.length,
    };
  };
  const floor = await measure('floor');
  const desk = await measure('deskflow');
  details.p3 = { tickets: n, floor: { ...floor, keys: undefined }, deskflow: { ...desk, keys: undefined } };
  row({
    id: 'P3',
    measure: `burst of ${n}: all past first response`,
    value: desk.drainMs / 1000,
    floor: floor.drainMs / 1000,
    unit: 's',
    ratio: desk.drainMs / floor.drainMs,
    goal: '≤ 1.3× floor',
    met: desk.drainMs <= 1.3 * floor.drainMs && desk.answered === n,
  });
  row({
    id: 'P3',
    measure: 'workflow-task schedule-to-start p95',
    value: desk.s2sP95,
    floor: floor.s2sP95,
    unit: 'ms',
    ratio: desk.s2sP95 / floor.s2sP95,
    goal: '< 1 s, no task timeouts',
    met: desk.s2sP95 < 1000 && desk.timeouts === 0,
    note: `${desk.timeouts} task timeouts, ${desk.failures} task failures in ${desk.sampled} sampled histories`,
  });
  row({
    id: 'P3',
    measure: 'CPU per ticket, all processes',
    value: desk.cpuPerTicket,
    floor: floor.cpuPerTicket,
    unit: 'ms',
    ratio: desk.cpuPerTicket / floor.cpuPerTicket,
  });
  return desk.keys;
}

// ------------------------------------------------------------------------------------------ P4
function p4(): void {
  const newest = versions().at(-1)!;
  say(`P4 cost per ticket: the example scenarios of corpus version ${newest}`);
  const goals: Record<string, { events: number; kb: number }> = {
    'resolved-friday-closes-monday': { events: 60, kb: 40 },
    'everbright-onboarding': { events: 150, kb: 80 },
  };
  const perScenario: Record<string, unknown> = {};
  for (const h of recordedHistories().filter((r) => r.version === newest && r.file.startsWith('examples--'))) {
    const history = historyFromJSON(JSON.parse(readFileSync(h.path, 'utf8')));
    const name = h.file.replace(/^examples--/, '').replace(/--ticket-.*$/, '');
    const events = history.events?.length ?? 0;
    const bytes = historyBytes(history);
    const actions = billableActions(history);
    const bound = lowerBoundActions(history);
    perScenario[name] = { events, bytes, actions, lowerBoundActions: bound };
    const goal = goals[name];
    row({
      id: 'P4',
      measure: `${name}: events / KB / actions`,
      value: `${events} / ${(bytes / 1024).toFixed(1)} / ${actions.total}`,
      floor: `actions ≥ ${bound}`,
      ratio: actions.total / bound,
      goal: goal ? `≤ ${goal.events} events, ≤ ${goal.kb} KB` : undefined,
      met: goal ? events <= goal.events && bytes <= goal.kb * 1024 : undefined,
    });
  }
  details.p4 = { version: newest, scenarios: perScenario };
}

// ------------------------------------------------------------------------------------------ P5
async function p5(
  stack: Stack,
  rss: { parked: number; rss: number }[],
  oldest: string[],
  newest: string[],
): Promise<void> {
  say('P5 parked tickets: worker RSS and wake-up latency');
  const [small, big] = [rss[0]!, rss.at(-1)!];
  const ratio = big.rss / small.rss;
  row({
    id: 'P5',
    measure: `worker RSS, ${small.parked} → ${big.parked} parked`,
    value: big.rss / 2 ** 20,
    floor: small.rss / 2 ** 20,
    unit: 'MB',
    ratio,
    goal: '≤ 500 MB; ratio ≤ 1.15',
    met: big.rss <= 500 * 2 ** 20 && ratio <= 1.15,
    note: 'floor column: RSS at the smaller count',
  });
  const wake = async (keys: string[]) => {
    const lat: number[] = [];
    for (const key of keys) {
      await addComment(stack.sandboxUrl, key, SIMPLE_TICKET.reporter, 'Any news on this?');
      await sleep(300);
    }
    const deadline = Date.now() + (quick ? 60_000 : 300_000);
    for (const key of keys) {
      for (;;) {
        const l = wakeUpLatency(await fetchHistory(stack.client, `ticket-${key}`), 'comment-added');
        if (l !== undefined) {
          lat.push(l);
          break;
        }
        if (Date.now() > deadline) break;
        await sleep(500);
      }
    }
    return lat;
  };
  const cached = await wake(newest.slice(-counts.p5WakeUps));
  const evicted = await wake(oldest.slice(0, counts.p5WakeUps));
  const cache = defaultConfig.worker.maxCachedWorkflows;
  const evictable = big.parked > cache;
  details.p5 = { rss, cachedWakeUps: cached, evictedWakeUps: evicted, maxCachedWorkflows: cache };
  const e99 = percentile(evicted, 99);
  const c99 = percentile(cached, 99);
  row({
    id: 'P5',
    measure: `wake-up on a comment p99, ${evictable ? 'evicted' : 'oldest (not evicted: fewer than the cache)'} vs cached`,
    value: e99,
    floor: c99,
    unit: 'ms',
    ratio: e99 / c99,
    goal: '≤ 2× cached',
    met: e99 <= 2 * c99,
  });
}

// ------------------------------------------------------------------------------------------ P6
async function p6(stack: Stack): Promise<void> {
  const newest = versions().at(-1)!;
  const file = recordedHistories().find(
    (r) => r.version === newest && r.file.startsWith('examples--everbright-onboarding'),
  )!;
  const onboarding = historyFromJSON(JSON.parse(readFileSync(file.path, 'utf8')));
  const events = onboarding.events?.length ?? 0;
  say(`P6 replay: the onboarding history (${events} events) ×${counts.p6Replays}, and a floor of no-op activities`);
  // Each activity adds six events (scheduled, started, completed and a workflow task of three).
  const n = Math.max(1, Math.round((events - 5) / 6));
  const floorId = `floor-noop-${Date.now()}`;
  await stack.client.workflow.execute('noopChain', { taskQueue: FLOOR_TASK_QUEUE, workflowId: floorId, args: [n] });
  const floorHistory = await fetchHistory(stack.client, floorId);
  const replay = async (options: Parameters<typeof Worker.runReplayHistories>[0], history: typeof onboarding) => {
    const histories = Array.from({ length: counts.p6Replays + 1 }, (_, i) => ({ workflowId: `replay-${i}`, history }));
    let first = 0;
    let count = 0;
    for await (const r of Worker.runReplayHistories(options, histories)) {
      if (r.error) throw new Error(`replay failed: ${r.error.message}`);
      count += 1;
      if (count === 1) first = performance.now();
    }
    return (performance.now() - first) / counts.p6Replays; // the first one pays for the worker: left out
  };
  const floorMs = await replay(
    {
      workflowBundle: { codePath: await cachedFloorBundle() },
      dataConverter: createDataConverter((await import('../src/shared/codec')).parseCodecKeys(stack.codecKeys)),
    },
    floorHistory,
  );
  const deskMs = await replay(
    {
      workflowBundle: { codePath: await cachedWorkflowBundle(bundleCacheDir) },
      dataConverter: createDataConverter(SCENARIO_CODEC_KEYS),
    },
    onboarding,
  );
  const floorEvents = floorHistory.events?.length ?? 0;
  details.p6 = { events, floorEvents, msPerHistory: deskMs, floorMsPerHistory: floorMs };
  row({
    id: 'P6',
    measure: `replay of the onboarding history (${events} events)`,
    value: deskMs,
    floor: floorMs,
    unit: 'ms',
    ratio: deskMs / floorMs,
    goal: '≤ 20 ms',
    met: deskMs <= 20,
    note: `${(deskMs / events).toFixed(3)} ms/event; floor ${floorEvents} events`,
  });
}

async function countParked(stack: Stack): Promise<number> {
  const { count } = await stack.client.workflow.count(
    `WorkflowType = '${TICKET_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = '${defaultConfig.worker.taskQueue}'`,
  );
  return count;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  installQuietRuntime(say, 'replay');
  say(`deskflow bench${quick ? ' (quick)' : ''}: ${JSON.stringify(counts)}`);
  const stack = new Stack({ log: say, floor: true, keepData: args['keep-data'] === true });
  let failed = false;
  try {
    await stack.start();
    p4();
    await p6(stack);
    const rss: { parked: number; rss: number }[] = [];
    const p1Keys = await p1(stack);
    await sleep(2_000);
    rss.push({ parked: await countParked(stack), rss: stack.worker.rss() });
    await p2(stack);
    const p3Keys = await p3(stack);
    await sleep(2_000);
    rss.push({ parked: await countParked(stack), rss: stack.worker.rss() });
    await p5(stack, rss, p1Keys, p3Keys);
  } catch (err) {
    failed = true;
    say(`bench failed: ${(err as Error).stack ?? String(err)}`);
    for (const p of stack.processes()) say(`--- ${p.name} (last lines)\n${p.tail(8)}`);
  } finally {
    await stack.stop();
  }
  process.stdout.write(`\n${table(rows)}\n`);
  const file = writeResults('bench', quick, args.out ?? resultsDir, {
    rows,
    startedAt,
    counts,
    details: { ...details, lost },
  });
  say(`results: ${file}`);
  if (lost.length) say(`${lost.length} tickets never got their first response: ${lost.join(', ')}`);
  process.exit(failed || lost.length ? 1 : 0);
}

void main();
