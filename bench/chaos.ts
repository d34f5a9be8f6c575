/**
 * `npm run chaos [-- --quick] [--out DIR] [--keep-data] [--only R1,R5]`: deskflow under duplicated and
 * shuffled webhooks, late events, Jira and Slack faults, killed processes and a cut network, each case
 * ending with an audit of the sandbox (bench/lib/audit.ts) against an undisturbed run of the same kinds
 * of ticket. Exits 1 when anything was lost, duplicated or ended differently.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { TICKET_WORKFLOW_TYPE } from '../src/client/connection';
import {
  compare,
  duplicateComments,
  duplicateSlackMessages,
  FOLLOW_UP,
  KINDS,
  signature,
  type Kind,
  type Signature,
  type TicketAudit,
} from './lib/audit';
import {
  addComment,
  chaosView,
  clearChaos,
  createTicket,
  createTicketSilently,
  firstPublicCommentAt,
  postLargeWebhook,
  postWebhook,
  sandboxState,
  setChaos,
  statusChanges,
  type PostResult,
} from './lib/desk';
import { fetchHistory } from './lib/history';
import { pool, progress, resultsDir, say, sleep, table, writeResults, type Row } from './lib/report';
import { Stack } from './lib/stack';
import type { SandboxState } from '../src/sandbox/types';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    'keep-data': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
  strict: true,
});
const quick = args.quick === true;
const only = args.only ? new Set(args.only.split(',').map((s) => s.trim().toUpperCase())) : undefined;
const counts = {
  r1Tickets: quick ? 8 : 200,
  r2Tickets: quick ? 2 : 5,
  r2LateSeconds: quick ? 2 : 300,
  r3Tickets: quick ? 3 : 40,
  r3FaultSeconds: quick ? 8 : 120,
  r3BadFieldTickets: quick ? 1 : 3,
  r4Messages: quick ? 5 : 60,
  r5Tickets: quick ? 6 : 200,
  r5Kills: quick ? 1 : 20,
  r6Tickets: quick ? 4 : 40,
  r6DownSeconds: quick ? 2 : 30,
  r7Tickets: quick ? 4 : 40,
  r7CutSeconds: quick ? 4 : 60,
  r10Fuzzed: quick ? 40 : 1000,
  r10Huge: quick ? 1 : 5,
};
const driveLimitMs = quick ? 90_000 : 600_000;
const quietMs = quick ? 1_500 : 10_000;
const pollMs = quick ? 500 : 1_000;
const MIXED: Kind[] = ['simple', 'sales', 'feature', 'cs'];

interface Ticket {
  key: string;
  kind: Kind;
}

interface CaseResult {
  id: string;
  title: string;
  tickets: number;
  lost: number;
  duplicated: number;
  different: number;
  problems: string[];
  /** Goals missed that lose or duplicate nothing (reported, not failing the run). */
  findings: string[];
  seconds: number;
  audits: TicketAudit[];
  notes: Record<string, unknown>;
}

const results: CaseResult[] = [];
let references: Record<Kind, Signature> | undefined;

function kindsFor(n: number, kinds: Kind[] = MIXED): Kind[] {
  return Array.from({ length: n }, (_, i) => kinds[i % kinds.length]!);
}

async function createAll(stack: Stack, kinds: Kind[], withinMs = 0, concurrency = 16): Promise<Ticket[]> {
  const out: Ticket[] = [];
  const start = Date.now();
  await pool(kinds, concurrency, async (kind, i) => {
    const due = start + (withinMs * i) / Math.max(1, kinds.length);
    if (due > Date.now()) await sleep(due - Date.now());
    const { key } = await createTicket(stack.sandboxUrl, KINDS[kind]);
    out.push({ key, kind });
  });
  return out;
}

interface Snapshot {
  state: SandboxState;
  transitions: Record<string, { from: string | null; to: string | null; at: string }[]>;
}

const followedUp = new Set<string>();

/**
 * Plays the customers (a follow-up on each simple ticket as soon as its acknowledgement is seen, so it
 * often lands while the rest of the intake is still running, which must not lose it: patch
 * replies-taken-once) and waits until every ticket matches its reference (or, without references, stops changing), nothing is left to deliver, and then
 * `quietMs` pass without a change — late duplicates show up there. Bounded by `limitMs`.
 */
async function drive(
  stack: Stack,
  tickets: Ticket[],
  label: string,
  skipComment?: (snap: Snapshot, key: string) => string | undefined,
): Promise<Snapshot> {
  const limitMs = driveLimitMs;
  const tick = progress(`${label} handled`, tickets.length, 3_000);
  const deadline = Date.now() + limitMs;
  let last = '';
  let stableSince = Date.now();
  for (;;) {
    const state = await sandboxState(stack.sandboxUrl);
    const transitions = await statusChanges(stack.sandboxUrl);
    const acked = firstPublicCommentAt(state.issues);
    for (const t of tickets) {
      if (t.kind !== 'simple' || !acked.has(t.key) || followedUp.has(t.key)) continue;
      followedUp.add(t.key);
      await addComment(stack.sandboxUrl, t.key, KINDS.simple.reporter, FOLLOW_UP);
    }
    const sigs = tickets.map((t) => signature(state, transitions, t.key));
    const matched = references
      ? audit({ state, transitions }, tickets, skipComment).filter(
          (a) => !a.missing && !a.lost.length && !a.duplicated.length && !a.different.length,
        ).length
      : tickets.length;
    const chaosPending = (await chaosView(stack.sandboxUrl)).counters.webhookPending ?? 0;
    const now = JSON.stringify(sigs);
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
    const pending = state.webhooks.pending + chaosPending;
    tick(matched, `(webhooks pending ${pending})`);
    const followUpsDone = tickets.every((t) => t.kind !== 'simple' || followedUp.has(t.key));
    const stable = Date.now() - stableSince >= (references ? quietMs : 2 * quietMs);
    if (matched === tickets.length && followUpsDone && pending === 0 && stable) return { state, transitions };
    if (Date.now() > deadline) {
      say(`  ${label}: stopped waiting after ${limitMs / 1000} s (${matched}/${tickets.length} as expected)`);
      return { state, transitions };
    }
    await sleep(pollMs);
  }
}

function audit(
  snap: Snapshot,
  tickets: Ticket[],
  skipComment?: (snap: Snapshot, key: string) => string | undefined,
): TicketAudit[] {
  return tickets.map((t) => {
    const sig = signature(snap.state, snap.transitions, t.key);
    const drop = skipComment?.(snap, t.key);
    if (sig && drop) {
      const i = sig.comments!.indexOf(drop);
      if (i >= 0) sig.comments!.splice(i, 1);
    }
    return compare(t.key, t.kind, sig, references![t.kind]);
  });
}

async function runCase(
  id: string,
  title: string,
  body: () => Promise<{
    tickets: Ticket[];
    audits: TicketAudit[];
    problems: string[];
    findings?: string[];
    notes?: Record<string, unknown>;
  }>,
): Promise<void> {
  if (only && !only.has(id)) return;
  say(`${id} ${title}`);
  const t0 = Date.now();
  let r: Awaited<ReturnType<typeof body>>;
  try {
    r = await body();
  } catch (err) {
    r = { tickets: [], audits: [], problems: [`the case failed: ${(err as Error).stack ?? String(err)}`] };
  }
  const result: CaseResult = {
    id,
    title,
    tickets: r.tickets.length,
    lost: r.audits.filter((a) => a.missing || a.lost.length).length,
    duplicated: r.audits.filter((a) => a.duplicated.length).length,
    different: r.audits.filter((a) => a.different.length).length,
    problems: r.problems,
    findings: r.findings ?? [],
    seconds: (Date.now() - t0) / 1000,
    audits: r.audits.filter((a) => a.missing || a.lost.length || a.duplicated.length || a.different.length),
    notes: r.notes ?? {},
  };
  results.push(result);
  const ok = !result.lost && !result.duplicated && !result.different && !result.problems.length;
  say(
    `  → ${id}: ${result.tickets} tickets, ${result.lost} lost, ${result.duplicated} duplicated, ${result.different} different${ok ? '' : '  FAILED'}`,
  );
  for (const a of result.audits.slice(0, 5))
    say(
      `    ${a.key} (${a.kind}): ${[...(a.missing ? ['missing'] : []), ...a.lost.map((l) => `lost ${l}`), ...a.duplicated.map((d) => `duplicate ${d}`), ...a.different].join('; ').slice(0, 600)}`,
    );
  for (const p of result.problems) say(`    problem: ${p.slice(0, 600)}`);
  for (const f of result.findings) say(`    finding (not a loss): ${f.slice(0, 600)}`);
}

/** Global checks on the whole sandbox after a case: identical Slack messages or comments. */
function globalDuplicates(state: SandboxState): string[] {
  return [
    ...duplicateSlackMessages(state).map((d) => `Slack message twice: ${d}`),
    ...duplicateComments(state).map((d) => `comment twice: ${d}`),
  ];
}

async function runsOf(stack: Stack, key: string): Promise<number> {
  const { count } = await stack.client.workflow.count(`WorkflowId = 'ticket-${key}'`);
  return count;
}

async function allRuns(stack: Stack): Promise<number> {
  const { count } = await stack.client.workflow.count(`WorkflowType = '${TICKET_WORKFLOW_TYPE}'`);
  return count;
}

// ------------------------------------------------------------------------------------------ cases

async function baseline(stack: Stack): Promise<void> {
  say('R0 reference: one ticket of each kind, undisturbed');
  const kinds: Kind[] = ['simple', 'sales', 'feature', 'cs', 'nonplatform'];
  const tickets = await createAll(stack, kinds);
  const snap = await drive(stack, tickets, 'R0');
  references = {} as Record<Kind, Signature>;
  for (const t of tickets) {
    const sig = signature(snap.state, snap.transitions, t.key);
    if (!sig) throw new Error(`the reference ticket ${t.key} does not exist`);
    references[t.kind] = sig;
  }
  const simple = references.simple;
  if (!simple.comments?.some((c) => c.startsWith('public')))
    throw new Error(`the reference simple ticket was never acknowledged: ${JSON.stringify(simple)}`);
  const dups = globalDuplicates(snap.state);
  if (dups.length) throw new Error(`the undisturbed run wrote something twice: ${dups.join('; ')}`);
}

async function r1(stack: Stack) {
  await setChaos(stack.sandboxUrl, {
    webhooks: { copies: 3, freshIds: true, shuffleMs: quick ? 2_000 : 5_000, dropRate: 0.1 },
    seed: 11,
  });
  const tickets = await createAll(stack, kindsFor(counts.r1Tickets));
  const snap = await drive(stack, tickets, 'R1');
  const view = await chaosView(stack.sandboxUrl);
  await clearChaos(stack.sandboxUrl);
  return {
    tickets,
    audits: audit(snap, tickets),
    problems: globalDuplicates(snap.state),
    notes: { chaos: view.counters },
  };
}

async function r2(stack: Stack) {
  const problems: string[] = [];
  const prepared = await Promise.all(
    Array.from({ length: counts.r2Tickets }, () => createTicketSilently(stack.sandboxUrl, KINDS.nonplatform)),
  );
  for (const p of prepared) {
    const r = await postWebhook(stack.webhookUrl, stack.webhookSecret, JSON.stringify(p.payload), `r2-${p.key}`);
    if (r.status < 200 || r.status >= 300) problems.push(`${p.key}: the first delivery got ${r.status}`);
  }
  const tickets = prepared.map((p) => ({ key: p.key, kind: 'nonplatform' as Kind }));
  await drive(stack, tickets, 'R2 closed');
  for (const t of tickets) {
    const desc = await stack.client.workflow.getHandle(`ticket-${t.key}`).describe();
    if (desc.status.name !== 'COMPLETED')
      problems.push(`${t.key}: workflow ${desc.status.name}, expected COMPLETED before the late events`);
  }
  say(`  R2: waiting ${counts.r2LateSeconds} s after the close`);
  await sleep(counts.r2LateSeconds * 1000);
  const late: PostResult[] = [];
  // Only thanks: a reply after closing that asks for something reopens the ticket (issue 9), this one must not.
  const lateText = 'Thanks again.';
  for (const p of prepared) {
    late.push(await postWebhook(stack.webhookUrl, stack.webhookSecret, JSON.stringify(p.payload), `r2-late-${p.key}`));
    await addComment(stack.sandboxUrl, p.key, 'sdr@cloudsaver.io', lateText);
  }
  for (const [i, r] of late.entries())
    if (r.status < 200 || r.status >= 300)
      problems.push(`${prepared[i]!.key}: the late issue_created got ${r.status} ${r.body}`);
  // The customer's late comment itself is expected; nothing else may follow it.
  const lateComment = (s: Snapshot, key: string) => {
    const issue = s.state.issues.find((i) => i.key === key);
    const c = issue?.comments.find((x) => x.body === lateText);
    return c ? `${c.public ? 'public' : 'internal'} ${c.author}: ${lateText}` : undefined;
  };
  const snap = await drive(stack, tickets, 'R2 late', lateComment);
  for (const t of tickets) {
    const runs = await runsOf(stack, t.key);
    // A customer's reply to a closed ticket gets a run of its own (issue 9, reopening); a thanks-only one ends
    // it at once without acting. The late issue_created starts nothing.
    if (runs > 2) problems.push(`${t.key}: ${runs} workflow runs after the late events (expected at most 2)`);
    if (!lateComment(snap, t.key)) problems.push(`${t.key}: the customer's late comment is not on the ticket`);
  }
  const audits = audit(snap, tickets, lateComment);
  return {
    tickets,
    audits,
    problems: [...problems, ...globalDuplicates(snap.state)],
    notes: { lateStatuses: late.map((r) => r.status) },
  };
}

async function r3(stack: Stack) {
  const problems: string[] = [];
  const until = new Date(Date.now() + counts.r3FaultSeconds * 1000).toISOString();
  await setChaos(stack.sandboxUrl, { jira: { errorRate: 0.2, share429: 0.5, retryAfterSeconds: 2, until }, seed: 3 });
  const tickets = await createAll(stack, kindsFor(counts.r3Tickets), Math.min(counts.r3FaultSeconds * 500, 30_000), 4);
  const snap = await drive(stack, tickets, 'R3 faults');
  const faults = (await chaosView(stack.sandboxUrl)).counters;
  const findings: string[] = [];
  if (faults.retryAfterIgnored)
    findings.push(`${faults.retryAfterIgnored} Jira calls came back sooner than their Retry-After`);
  if (!faults.jiraFaults) problems.push('no Jira fault was injected');
  // A bad field: Jira refuses the request type for good; the ticket is flagged once and not retried forever.
  await setChaos(stack.sandboxUrl, { jira: { rejectField: 'customfield_10010' } });
  const bad = await createAll(stack, kindsFor(counts.r3BadFieldTickets, ['simple']));
  const flagged = (s: SandboxState, key: string) =>
    s.slack.filter((m) => m.text.includes(`could not go on with ${key} `)).length;
  let state = await sandboxState(stack.sandboxUrl);
  const deadline = Date.now() + (quick ? 60_000 : 300_000);
  while (Date.now() < deadline && !bad.every((t) => flagged(state, t.key) > 0)) {
    await sleep(1_000);
    state = await sandboxState(stack.sandboxUrl);
  }
  const rejectedAtFlag = (await chaosView(stack.sandboxUrl)).counters.jiraRejectedField ?? 0;
  await sleep(quietMs);
  state = await sandboxState(stack.sandboxUrl);
  const rejected = (await chaosView(stack.sandboxUrl)).counters.jiraRejectedField ?? 0;
  await clearChaos(stack.sandboxUrl);
  for (const t of bad) {
    const n = flagged(state, t.key);
    if (n !== 1) problems.push(`${t.key}: flagged ${n} times in Slack for the refused field (expected once)`);
  }
  if (rejected > rejectedAtFlag)
    problems.push(`the refused field was still being retried after the flag (${rejectedAtFlag} → ${rejected})`);
  if (rejected > 3 * bad.length)
    problems.push(`the refused field was sent ${rejected} times for ${bad.length} tickets`);
  return {
    tickets,
    audits: audit(snap, tickets),
    problems: [...problems, ...globalDuplicates(state)],
    findings,
    notes: { chaos: faults, badField: { tickets: bad.map((t) => t.key), rejected } },
  };
}

async function r4(stack: Stack) {
  await setChaos(stack.sandboxUrl, { slack: { perChannelPerSecond: 1 } });
  const tickets = await createAll(stack, kindsFor(counts.r4Messages, ['sales']), 5_000, 16);
  const snap = await drive(stack, tickets, 'R4');
  const view = await chaosView(stack.sandboxUrl);
  await clearChaos(stack.sandboxUrl);
  const problems = globalDuplicates(snap.state);
  if (!view.counters.slackLimited) problems.push('the Slack rate limit never answered 429 (not exercised)');
  return { tickets, audits: audit(snap, tickets), problems, notes: { chaos: view.counters } };
}

async function r5(stack: Stack) {
  const problems: string[] = [];
  const creating = createAll(stack, kindsFor(counts.r5Tickets), quick ? 5_000 : 120_000, 4);
  let kills = 0;
  let killing = true;
  const killer = (async () => {
    while (killing && kills < counts.r5Kills) {
      await sleep(quick ? 2_000 : 3_000 + Math.random() * 4_000);
      await stack.worker.stop('SIGKILL');
      kills += 1;
      say(`  R5: worker SIGKILLed (${kills}/${counts.r5Kills}), restarting`);
      await stack.worker.start();
    }
  })();
  const tickets = await creating;
  await killer;
  killing = false;
  const snap = await drive(stack, tickets, 'R5');
  if (kills < counts.r5Kills) problems.push(`only ${kills} kills`);
  return {
    tickets,
    audits: audit(snap, tickets),
    problems: [...problems, ...globalDuplicates(snap.state)],
    notes: { kills },
  };
}

async function r6(stack: Stack) {
  const problems: string[] = [];
  const half = Math.ceil(counts.r6Tickets / 2);
  const first = await createAll(stack, kindsFor(half));
  await sleep(1_000);
  const probe = await createTicketSilently(stack.sandboxUrl, KINDS.simple);
  say('  R6: stopping the dev server (SIGTERM, then SIGKILL)');
  await stack.stopTemporal(quick ? 1_000 : 4_000);
  const second = await createAll(stack, kindsFor(counts.r6Tickets - half));
  const whileDown = await postWebhook(
    stack.webhookUrl,
    stack.webhookSecret,
    JSON.stringify(probe.payload),
    `r6-${probe.key}`,
  );
  if (whileDown.status !== 503)
    problems.push(`the relay answered ${whileDown.status} while Temporal was down (expected 503): ${whileDown.body}`);
  await sleep(counts.r6DownSeconds * 1000);
  say('  R6: restarting the dev server on its SQLite file');
  await stack.startTemporal();
  let after: PostResult = { status: 0, body: '' };
  for (let i = 0; i < 60; i += 1) {
    after = await postWebhook(stack.webhookUrl, stack.webhookSecret, JSON.stringify(probe.payload), `r6-${probe.key}`);
    if (after.status >= 200 && after.status < 300) break;
    await sleep(1_000);
  }
  if (after.status < 200 || after.status >= 300)
    problems.push(`the relay still answered ${after.status} after the restart`);
  for (const p of [stack.worker, stack.relay])
    if (!p.running) problems.push(`the ${p.name} exited while Temporal was down`);
  const tickets = [...first, ...second, { key: probe.key, kind: 'simple' as Kind }];
  const snap = await drive(stack, tickets, 'R6');
  return {
    tickets,
    audits: audit(snap, tickets),
    problems: [...problems, ...globalDuplicates(snap.state)],
    notes: { whileDown: whileDown.status, afterRestart: after.status },
  };
}

async function r7(stack: Stack) {
  const problems: string[] = [];
  const creating = createAll(stack, kindsFor(counts.r7Tickets), 4_000, 4);
  await sleep(1_500);
  say(`  R7: cutting the worker off Temporal for ${counts.r7CutSeconds} s`);
  stack.proxy!.cut();
  await sleep(counts.r7CutSeconds * 1000);
  stack.proxy!.restore();
  say('  R7: connection restored');
  const tickets = await creating;
  const snap = await drive(stack, tickets, 'R7');
  if (!stack.worker.running) problems.push('the worker exited during the cut');
  const log = readFileSync(join(stack.dataDir, 'worker.log'), 'utf8');
  if (/nondetermin/i.test(log)) problems.push('the worker reported non-determinism');
  let taskFailures = 0;
  await pool(tickets, 4, async (t) => {
    const h = await fetchHistory(stack.client, `ticket-${t.key}`);
    taskFailures += (h.events ?? []).filter(
      (e) => e.eventType === proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
    ).length;
  });
  if (taskFailures) problems.push(`${taskFailures} workflow task failures in the case's histories`);
  return {
    tickets,
    audits: audit(snap, tickets),
    problems: [...problems, ...globalDuplicates(snap.state)],
    notes: { taskFailures },
  };
}

/** A deterministic generator of refused payloads: wrong types, deep nesting, unknown events, not JSON. */
function fuzzed(i: number, template: Record<string, unknown>): { body: string; category: string } {
  const rnd = (n: number) => (i * 2654435761 + n * 40503) % 1000;
  const t = structuredClone(template) as { issue: { key: unknown; fields: Record<string, unknown> } } & Record<
    string,
    unknown
  >;
  switch (i % 8) {
    case 0:
      t.issue.key = rnd(1);
      return { body: JSON.stringify(t), category: 'key of the wrong type' };
    case 1:
      t.issue.fields = [] as never;
      return { body: JSON.stringify(t), category: 'fields of the wrong type' };
    case 2:
      t.webhookEvent = ['jira:issue_deleted', 'worklog_created', 'board_updated', `event_${rnd(2)}`][rnd(3) % 4];
      return { body: JSON.stringify(t), category: 'unknown event' };
    case 3: {
      let deep: unknown = 'x';
      for (let d = 0; d < 200 + rnd(4); d += 1) deep = { d: deep };
      t.issue.fields.description = deep;
      return { body: JSON.stringify(t), category: 'deep nesting' };
    }
    case 4:
      return { body: JSON.stringify(t).slice(0, 20 + rnd(5)), category: 'truncated JSON' };
    case 5:
      delete t.webhookEvent;
      return { body: JSON.stringify(t), category: 'no event name' };
    case 6:
      return { body: JSON.stringify([t]), category: 'an array' };
    default:
      t.issue.key = `SS-${'9'.repeat(40)}`;
      t.issue.fields.project = 'SS';
      return { body: JSON.stringify(t), category: 'project of the wrong type' };
  }
}

async function r9r10(stack: Stack) {
  const problems: string[] = [];
  const probe = await createTicketSilently(stack.sandboxUrl, KINDS.simple);
  const raw = JSON.stringify(probe.payload);
  await sleep(2_000);
  const runsBefore = await allRuns(stack);
  const rssBefore = stack.relay.rss();
  const refused = (what: string, r: PostResult, allowed: (s: number) => boolean) => {
    if (!allowed(r.status)) problems.push(`${what}: answered ${r.status} ${r.body.slice(0, 200)}`);
    else if (!/"[a-z]+"\s*:\s*"[^"]+"/i.test(r.body)) problems.push(`${what}: answered ${r.status} without a reason`);
  };
  const is401 = (s: number) => s === 401;
  const is4xx = (s: number) => s >= 400 && s < 500;
  const ignored = (s: number) => is4xx(s) || s === 200 || s === 202;
  // R9: forged deliveries of a real ticket's event.
  refused('no signature', await postWebhook(stack.webhookUrl, stack.webhookSecret, raw, 'r9-1', null), is401);
  refused('a wrong signature', await postWebhook(stack.webhookUrl, 'not-the-secret-at-all', raw, 'r9-2'), is401);
  const flipped = raw.replace('"issue"', '"issuf"');
  const { signBody } = await import('../src/client/relay/auth');
  refused(
    'one byte changed',
    await postWebhook(stack.webhookUrl, stack.webhookSecret, flipped, 'r9-3', signBody(stack.webhookSecret, raw)),
    is401,
  );
  const reserialised = JSON.stringify(JSON.parse(raw), null, 1);
  refused(
    'a re-serialised body',
    await postWebhook(stack.webhookUrl, stack.webhookSecret, reserialised, 'r9-4', signBody(stack.webhookSecret, raw)),
    is401,
  );
  // R10: signed but malformed payloads, and bodies of 5 MB.
  const categories: Record<string, number[]> = {};
  const tick = progress('R10 fuzzed payloads', counts.r10Fuzzed, 5_000);
  let done = 0;
  await pool(
    Array.from({ length: counts.r10Fuzzed }, (_, i) => i),
    16,
    async (i) => {
      const { body, category } = fuzzed(i, probe.payload as Record<string, unknown>);
      const r = await postWebhook(stack.webhookUrl, stack.webhookSecret, body, `r10-${i}`);
      (categories[category] ??= []).push(r.status);
      refused(`fuzzed payload ${i} (${category})`, r, category === 'unknown event' ? ignored : is4xx);
      tick(++done);
    },
  );
  for (let i = 0; i < counts.r10Huge; i += 1) {
    const huge = JSON.stringify({ ...(probe.payload as object), padding: 'x'.repeat(5 * 2 ** 20) });
    refused(
      `a 5 MB body (${i + 1})`,
      await postLargeWebhook(stack.webhookUrl, stack.webhookSecret, huge, `r10-huge-${i}`),
      is4xx,
    );
  }
  await sleep(3_000);
  const runsAfter = await allRuns(stack);
  if (runsAfter !== runsBefore)
    problems.push(`${runsAfter - runsBefore} workflow runs started by forged or malformed deliveries`);
  const rssAfter = stack.relay.rss();
  if (rssAfter > rssBefore * 1.1)
    problems.push(
      `relay RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MB (more than 10 %)`,
    );
  const statuses = Object.fromEntries(Object.entries(categories).map(([c, s]) => [c, [...new Set(s)].join('/')]));
  return { tickets: [], audits: [], problems, notes: { statuses, rssBefore, rssAfter, runsBefore, runsAfter } };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  say(`deskflow chaos${quick ? ' (quick)' : ''}: ${JSON.stringify(counts)}`);
  const stack = new Stack({ log: say, workerProxy: true, keepData: args['keep-data'] === true });
  let failed = false;
  // Ctrl-C: the stack's processes and the dev server stop too, then the run ends without a record.
  const interrupt = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the stack`);
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await stack.start();
    await baseline(stack);
    await runCase('R1', `${counts.r1Tickets} tickets, every webhook delivered 3 times, shuffled and concurrent`, () =>
      r1(stack),
    );
    await runCase('R2', `a late duplicate issue_created and a comment ${counts.r2LateSeconds} s after the close`, () =>
      r2(stack),
    );
    await runCase('R3', `Jira 20 % 5xx/429 for ${counts.r3FaultSeconds} s, then a refused field`, () => r3(stack));
    await runCase('R4', `${counts.r4Messages} Slack messages to one channel in 5 s at 1 message/s`, () => r4(stack));
    await runCase('R5', `the worker SIGKILLed ${counts.r5Kills} times during ${counts.r5Tickets} tickets`, () =>
      r5(stack),
    );
    await runCase('R6', `the dev server stopped for ${counts.r6DownSeconds} s and restarted on its SQLite file`, () =>
      r6(stack),
    );
    await runCase('R7', `worker and server cut apart for ${counts.r7CutSeconds} s`, () => r7(stack));
    await runCase('R9/R10', `forged webhooks and ${counts.r10Fuzzed} fuzzed payloads`, () => r9r10(stack));
  } catch (err) {
    failed = true;
    say(`chaos failed: ${(err as Error).stack ?? String(err)}`);
    for (const p of stack.processes()) say(`--- ${p.name} (last lines)\n${p.tail(8)}`);
  } finally {
    await stack.stop();
  }
  const rows: Row[] = results.map((r) => {
    const ok = !r.lost && !r.duplicated && !r.different && !r.problems.length;
    return {
      id: r.id,
      measure: r.title,
      value: `${r.lost} lost / ${r.duplicated} dup / ${r.different} diff`,
      floor: `${r.tickets} tickets`,
      goal: '0 lost, 0 duplicated',
      met: ok,
      note: [...r.problems, ...r.findings].join('; ').slice(0, 500) || `${r.seconds.toFixed(0)} s`,
    };
  });
  process.stdout.write(`\n${table(rows)}\n`);
  const problems = results.flatMap((r) => [
    ...r.problems.map((p) => `${r.id}: ${p}`),
    ...r.findings.map((f) => `${r.id} (finding, not a loss): ${f}`),
  ]);
  if (problems.length) process.stdout.write(`\nproblems:\n${problems.map((p) => `  ${p.slice(0, 400)}`).join('\n')}\n`);
  const file = writeResults('chaos', quick, args.out ?? resultsDir, {
    rows,
    startedAt,
    counts,
    details: { references, cases: results },
  });
  say(`results: ${file}`);
  const bad = failed || rows.some((r) => r.met === false) || (only === undefined && results.length < 8);
  process.exit(bad ? 1 : 0);
}

void main();
