/**
 * Bounded histories in the onboarding: an EverBright onboarding whose approver takes days is handed
 * from run to run (continue-as-new at the E-10 and E-11..E-13 waits) like a ticket with support, and nothing
 * anyone sees changes at a hand-over: the status query and the search attributes, the E-12 reminders every
 * 24 hours from the time the approver was asked (counted on across runs, then the Support Supervisor), and
 * the onboarding form read at E-02, which the reminders, E-14 and E-15 name. The approval (`deskflow approve`)
 * in a later run is carried out: the CS ticket goes back to To Do (E-14), and its being done closes (E-15).
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { activityDepsFromEnv, createActivities } from '../../src/activities';
import { learnSelfAccountId } from '../../src/client/relay/identity';
import { startRelay, WEBHOOK_PATH } from '../../src/client/relay/server';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { loadConfig, loadEnv } from '../../src/config';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { createDataConverter, SCENARIO_CODEC_KEYS } from '../../src/shared/data-converter';
import { TicketState, type TicketSnapshot } from '../../src/workflows/state';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { approveUpdate, statusQuery, type TicketStatus } from '../../src/workflows/messages';
import { WorkflowJanitor } from '../helpers/isolation';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../helpers/temporal';
import { testWorkflowBundle } from '../helpers/workflow-bundle';

const dataConverter = createDataConverter(SCENARIO_CODEC_KEYS);
// A small event limit, so a run holds about two reminder cycles.
const config = loadConfig({
  overrides: { calendar: { holidays: 'none' }, history: { maxEventsPerRun: 30, maxBytesPerRun: 10_000_000 } },
});
const SECRET = 'onboarding-continue-as-new';
/** Monday 4 March 2030, 09:00 in Los Angeles: a pinned start, far from any real date. */
const START = new Date('2030-03-04T17:00:00Z');
const DAY = 86_400_000;

/** The shared example's onboarding request (test/scenarios/examples). */
const EXAMPLE = JSON.parse(
  readFileSync(new URL('../scenarios/examples/everbright-onboarding.json', import.meta.url), 'utf8'),
) as { ticket: { summary: string; description: string; reporter: string } };
const INSTALLER = 'Summit Solar Co';
const ACCOUNT_MANAGER = 'Priya Nair';

const janitor = new WorkflowJanitor();
let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let worker: Worker;
const closers: (() => Promise<unknown>)[] = [];
let virtualNow = START.getTime();
let syncedAt = Date.now();

beforeAll(async () => {
  env = await createTimeSkippingEnv({ client: { dataConverter, ...janitor.clientOptions } });
  await registerSearchAttributes(env.connection);
  const taskQueue = uniqueTaskQueue('onboarding-continue-as-new');
  let self: Promise<string> | undefined;
  const whoAmI = () =>
    (self ??= learnSelfAccountId({ host: sandbox.url, email: config.jira.botEmail, apiToken: 'sandbox-token' }));
  const relay = await startRelay({
    client: env.client,
    taskQueue,
    config,
    port: 0,
    webhookSecret: SECRET,
    log: () => {},
    whoAmI,
  });
  closers.push(() => relay.close());
  sandbox = await startSandbox({
    port: 0,
    webhookUrl: `${relay.url}${WEBHOOK_PATH}`,
    webhookSecret: SECRET,
    internalDomains: config.roles.internalDomains,
    now: () => new Date(virtualNow + (Date.now() - syncedAt)),
  });
  closers.push(() => sandbox.close());
  await whoAmI();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: testWorkflowBundle(),
    dataConverter,
    activities: createActivities(activityDepsFromEnv(config, loadEnv({}), sandbox.url)),
  });
}, 120_000);

afterEach(async () => {
  await janitor.endAll(env.client);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await env?.teardown();
});

/** Until every webhook is delivered and the worker has been idle for a few polls (time is locked meanwhile). */
async function settle(): Promise<void> {
  let quiet = 0;
  for (let i = 0; quiet < 4; i++) {
    if (i > 2000) throw new Error('the system did not settle');
    await sandbox.webhooksIdle();
    const s = worker.getStatus();
    quiet = s.numInFlightWorkflowActivations > 0 || s.numInFlightActivities > 0 ? 0 : quiet + 1;
    await new Promise((r) => setTimeout(r, 25));
  }
  virtualNow = await env.currentTimeMs();
  syncedAt = Date.now();
}

/**
 * The status of a run (default: the latest). Only once the run's first workflow task is done: the Java test
 * server leaves a query that reaches a run before it unanswered, and holds virtual time from then on.
 */
async function queryStatus(workflowId: string, runId?: string): Promise<TicketStatus> {
  const run = runId ?? (await env.client.workflow.getHandle(workflowId).describe()).runId;
  const handle = env.client.workflow.getHandle(workflowId, run);
  for (let i = 0; ; i++) {
    const { events } = await handle.fetchHistory();
    if (events?.some((e) => e.workflowTaskCompletedEventAttributes)) break;
    if (i > 200) throw new Error(`${workflowId} run ${run}: its first workflow task never completed`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return handle.query(statusQuery);
}

/**
 * Lets a minute of virtual time pass at a time (a step's retry or backoff needs it: time is locked between
 * sleeps) until the status query shows that `done` holds; a clear failure after an hour of virtual time.
 */
async function statusWhen(
  query: () => Promise<TicketStatus>,
  done: (s: TicketStatus) => boolean,
  what: string,
): Promise<TicketStatus> {
  let s: TicketStatus | null = null;
  for (let i = 0; i < 60; i++) {
    await sleepUntil(new Date((await env.currentTimeMs()) + 60_000));
    s = await query();
    if (done(s)) return s;
  }
  throw new Error(`${what} did not happen within an hour; last status: ${JSON.stringify(s)}`);
}

async function sleepUntil(at: Date): Promise<void> {
  await settle();
  const now = await env.currentTimeMs();
  if (at.getTime() > now) await env.sleep(at.getTime() - now);
  await settle();
}

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

/** deskflow's search attributes of one run (Temporal's own, such as TemporalChangeVersion, left out). */
async function attributes(client: Client, workflowId: string, runId: string): Promise<Record<string, unknown>> {
  const { typedSearchAttributes } = await client.workflow.getHandle(workflowId, runId).describe();
  return Object.fromEntries(
    typedSearchAttributes
      .getAll()
      .filter((p) => !p.key.name.startsWith('Temporal'))
      .map((p) => [p.key.name, p.value instanceof Date ? p.value.toISOString() : p.value]),
  );
}

test('an onboarding waiting days for the approver runs as several runs: reminders every 24 h, the form, the query and the approval are unchanged by the hand-overs', async () => {
  const approver = config.roles.onboardingApprover;
  await sleepUntil(START);
  await worker.runUntil(async () => {
    const { key } = sandbox.createTicket(EXAMPLE.ticket);
    const workflowId = ticketWorkflowId(key);
    const handle = env.client.workflow.getHandle(workflowId);
    const status = (runId?: string) => queryStatus(workflowId, runId);
    let s = await statusWhen(status, (x) => x.stage === 'onboarding-awaiting-config', 'E-09');
    const cs = s.linkedIssues.find((k) => k.startsWith('CS-'))!;
    expect(cs).toBeDefined();

    // E-10 a day later: configured (CS On Hold); E-11 asks the approver, and the first reminder is due 24 h later.
    await sleepUntil(new Date(START.getTime() + DAY));
    sandbox.transition({ key: cs, to: 'On Hold', by: config.roles.configTeam[0] });
    s = await statusWhen(status, (x) => x.stage === 'onboarding-awaiting-approval', 'E-11');
    expect(s.waitingFor).toContain(INSTALLER);
    const asked = s.timeline.findLast((e) => e.step === 'E-11')!;
    expect(new Date(s.until!).getTime() - new Date(asked.at).getTime()).toBeLessThan(DAY + 60_000);
    expect(new Date(s.until!).getTime() - new Date(asked.at).getTime()).toBeGreaterThanOrEqual(DAY);

    // Four days without an answer: three reminders 24 h apart, then the Support Supervisor (E-12).
    const handOvers: { before: TicketStatus; after: TicketStatus }[] = [];
    await settle();
    let runId = (await handle.describe()).runId;
    s = await status(runId);
    const firstAnchor = new Date(s.until!).getTime();
    for (let day = 0; day < 4; day++) {
      const until = new Date(s.until!);
      expect(until.getTime()).toBeGreaterThanOrEqual(firstAnchor + day * DAY);
      expect(until.getTime()).toBeLessThan(firstAnchor + day * DAY + 60_000);
      const previous = runId;
      await sleepUntil(new Date(until.getTime() + 60_000));
      await statusWhen(status, (x) => x.until !== until.toISOString(), `reminder ${day + 1}`);
      await settle();
      runId = (await handle.describe()).runId;
      s = await status(runId);
      expect(s.stage).toBe('onboarding-awaiting-approval');
      if (runId !== previous) {
        // The old run's last answer and the new run's, at the same wait: identical, attributes too.
        handOvers.push({ before: await status(previous), after: s });
        expect(await attributes(env.client, workflowId, runId)).toEqual(
          await attributes(env.client, workflowId, previous),
        );
      }
    }
    expect(s.until).toBeNull(); // after the supervisor was told, no more reminders
    const runs = await runIds(env.client, workflowId);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(handOvers.length).toBeGreaterThanOrEqual(1);
    for (const h of handOvers) expect(h.after).toEqual(h.before);

    // Exactly one reminder per 24 h across the runs, numbered on, each naming the installer from the form.
    const slack = sandbox.state().slack;
    const reminders = slack.filter((m) => m.to === approver && m.text.startsWith('Reminder'));
    expect(reminders.map((m) => m.text.match(/^Reminder (\d+)/)?.[1])).toEqual(['1', '2', '3']);
    for (const m of reminders) expect(m.text).toContain(`${INSTALLER} (${key})`);
    const at = reminders.map((m) => Number(m.ts) * 1000);
    for (let i = 1; i < at.length; i++) expect(Math.abs(at[i]! - at[i - 1]! - DAY)).toBeLessThan(2 * 60_000);
    const supervisor = slack.filter((m) => m.to === config.roles.supportSupervisor && m.text.includes(key));
    expect(supervisor).toHaveLength(1);
    expect(supervisor[0]!.text).toContain(`${approver} has not approved pushing ${INSTALLER} live after 3 reminders`);

    // The approval in the latest run (as `deskflow approve` sends it): E-14 on the CS ticket, named from the form.
    await handle.executeUpdate(approveUpdate, { args: [{ by: approver }] });
    s = await statusWhen(status, (x) => x.stage === 'onboarding-awaiting-go-live' && !x.busy, 'E-14');
    const csIssue = sandbox.issue(cs)!;
    expect(csIssue.status).toBe('To Do');
    expect(csIssue.comments.map((c) => c.body).join('\n')).toContain(
      `please push the products live for ${INSTALLER} (${key})`,
    );

    // E-15: the products are live; the closing reply names the account manager from the form.
    sandbox.transition({ key: cs, to: 'Done', by: config.roles.configTeam[0] });
    await statusWhen(status, (x) => x.stage === 'closed', 'E-15');
    await handle.result();
    const ticket = sandbox.issue(key)!;
    expect(ticket.status).toBe('Closed');
    const closing = ticket.comments.filter((c) => c.public).at(-1)!;
    expect(closing.body).toContain(ACCOUNT_MANAGER);
  });
}, 120_000);

test('a snapshot written before the form was kept in the state is still read (no form: null)', () => {
  const t = new TicketState('SS-1');
  t.onboardingForm = {
    installerName: INSTALLER,
    installerContactEmail: 'owner@summitsolar.co',
    accountManagerName: ACCOUNT_MANAGER,
    accountManagerEmail: 'priya.nair@goeverbright.com',
  };
  const snap = t.snapshot({ at: 'with-support', until: null });
  expect(TicketState.restore('SS-1', JSON.parse(JSON.stringify(snap)) as TicketSnapshot).onboardingForm).toEqual(
    t.onboardingForm,
  );
  const { onboardingForm: _, ...older } = snap.fields;
  const restored = TicketState.restore('SS-1', { ...snap, fields: older });
  expect(restored.onboardingForm).toBeNull();
  expect(restored.timeline).toEqual(t.timeline);
});
