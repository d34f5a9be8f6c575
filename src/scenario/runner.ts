/**
 * Runs one scenario through the same doors production uses: the sandbox sends Jira's webhooks to the
 * relay, which starts and signals the ticket workflow on Temporal's time-skipping test server; agent
 * steps run the `deskflow` CLI's own code; virtual time is skipped; the sandbox's state is compared
 * with the expectations.
 */
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { createActivities, activityDepsFromEnv } from '../activities';
import { isStaff } from '../client/cli/actors';
import { runCli } from '../client/cli/main';
import { ensureQueueSweep, queueSweepDone } from '../client/queue-sweep';
import { learnSelfAccountId } from '../client/relay/identity';
import { startRelay } from '../client/relay/server';
import { registerSearchAttributes } from '../client/search-attributes';
import { loadConfig, loadEnv, type DeskflowConfig } from '../config';
import { createTimeSkippingEnv } from '../local/time-skipping';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { nextLocalTime } from '../workflows/business-calendar';
import { quietReference } from './reference-time';
import { parseIsoDuration } from '../shared/durations';
import { createDataConverter, SCENARIO_CODEC_KEYS } from '../shared/data-converter';
import { bundleWorkflows } from '../workers/bundle';
import { ticketWorkflowId } from '../workflows/ids';
import { statusQuery } from '../workflows/messages';
import { checkExpectations, resolveWho, type Resolver } from './expectations';
import type { Expectation, Scenario, Step } from './format';

export interface ScenarioResult {
  name: string;
  passed: boolean;
  failures: string[];
  /** Histories of the scenario's ticket workflows, for replay tests. */
  histories: { workflowId: string; history: History }[];
}

export interface RunOptions {
  /** Also fetch the histories of the ticket workflows at the end. */
  keepHistories?: boolean;
  /** Called with a line for each step, for a person watching. */
  progress?: (line: string) => void;
  /**
   * The day the run takes as today (default: the real date). It may only lie ahead, since the
   * time-skipping server cannot go back; the any-day tests use it to run the same stories as if the
   * suite ran on another day of the year.
   */
  today?: Date;
  /**
   * Tests only: called before step `n` (1-based) runs, with the sandbox's URL, the Temporal client and the
   * REF resolver — for setting up what the format cannot say (e.g. issues linked by hand in Jira).
   */
  beforeStep?: (n: number, run: StepHookContext) => Promise<void>;
}

export interface StepHookContext {
  sandboxUrl: string;
  client: Client;
  issueKey(ref: string): string | undefined;
  settle(): Promise<void>;
}

const WEBHOOK_SECRET = 'scenario-webhook-secret';
const SETTLE_LIMIT_MS = 60_000;
/** How often (real ms) the sandbox clock re-reads virtual time while time is being skipped. */
const CLOCK_POLL_MS = 20;

/** Scenario runs seal payloads like production, with a fixed key the replay tests know. */
const dataConverter = createDataConverter(SCENARIO_CODEC_KEYS);

let bundle: Promise<WorkflowBundleOption> | undefined;
/**
 * The workflow code is bundled once per process and shared by every scenario's worker; a prebuilt bundle
 * (DESKFLOW_WORKFLOW_BUNDLE, as the production worker takes it; the jest global setup sets it) is used as is.
 */
function workflowBundle(): Promise<WorkflowBundleOption> {
  const prebuilt = process.env.DESKFLOW_WORKFLOW_BUNDLE;
  bundle ??= prebuilt ? Promise.resolve({ codePath: prebuilt }) : bundleWorkflows().then((code) => ({ code }));
  return bundle;
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const config = loadConfig({ overrides: scenario.config });
  const env = await createTimeSkippingEnv({ client: { dataConverter } });
  await registerSearchAttributes(env.connection);
  const run = new ScenarioRun(scenario, config, env, options);
  try {
    return await run.execute();
  } finally {
    await run.close();
    await env.teardown();
  }
}

class ScenarioRun implements Resolver {
  private sandbox!: Sandbox;
  private worker: Worker | undefined;
  private closers: (() => Promise<void>)[] = [];
  private readonly tickets: string[] = [];
  private readonly failures: string[] = [];
  private readonly outages: { service: 'jira' | 'slack' | 'aha'; endsAt: number }[] = [];
  private virtualNow = Date.now();
  private syncedAt = Date.now();
  private readonly taskQueue = 'deskflow-scenario';

  constructor(
    private readonly scenario: Scenario,
    readonly config: DeskflowConfig,
    private readonly env: TestWorkflowEnvironment,
    private readonly options: RunOptions,
  ) {}

  private get client(): Client {
    return this.env.client;
  }

  async execute(): Promise<ScenarioResult> {
    await this.syncClock();
    // deskflow's own account, from the sandbox's "myself": learned once the sandbox is up, before any
    // outage or webhook.
    let selfAccountId: Promise<string> | undefined;
    const learnSelf = () =>
      (selfAccountId ??= learnSelfAccountId({
        host: this.sandbox.url,
        email: this.config.jira.botEmail,
        apiToken: 'sandbox-token',
      }));
    const relay = await startRelay({
      client: this.client,
      taskQueue: this.taskQueue,
      config: this.config,
      port: 0,
      webhookSecret: WEBHOOK_SECRET,
      log: this.options.progress ?? (() => {}),
      whoAmI: learnSelf,
    });
    this.closers.push(() => relay.close());
    this.sandbox = await startSandbox({
      port: 0,
      webhookUrl: `${relay.url}/webhooks/jira`,
      webhookSecret: WEBHOOK_SECRET,
      internalDomains: this.config.roles.internalDomains,
      now: () => new Date(this.virtualNow + (Date.now() - this.syncedAt)),
      requestTypes: [...new Set(Object.values(this.config.routes).map((r) => r.requestType))],
      slackUsers: rolePeople(this.config),
      slack: { channels: [{ name: this.config.roles.supportChannel }] },
    });
    this.closers.push(() => this.sandbox.close());
    await learnSelf();
    const worker = (this.worker = await Worker.create({
      connection: this.env.nativeConnection,
      taskQueue: this.taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities(activityDepsFromEnv(this.config, loadEnv({}), this.sandbox.url)),
      maxCachedWorkflows: 50,
      dataConverter,
    }));
    await worker.runUntil(() => this.story());
    return {
      name: this.scenario.name,
      passed: this.failures.length === 0,
      failures: this.failures,
      histories: this.options.keepHistories ? await this.histories() : [],
    };
  }

  async close(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
  }

  private async story(): Promise<void> {
    const { scenario } = this;
    if (!(await this.moveToStart())) return;
    if (needsQueueSweep(scenario)) {
      // S-01's queue sweep runs with the stack; started here, at the story's start, so its timers do not
      // tick through the time skipped to get there. Only stories with tickets deskflow did not see arrive need it.
      await ensureQueueSweep(this.client, this.taskQueue);
      await queueSweepDone(this.client);
      await this.settle();
    }
    this.arrive(scenario.ticket);
    const steps = scenario.steps ?? [];
    for (const [i, step] of steps.entries()) {
      this.options.progress?.(`  step ${i + 1}/${steps.length}: ${JSON.stringify(step).slice(0, 100)}`);
      if (this.options.beforeStep) {
        await this.settle();
        await this.options.beforeStep(i + 1, {
          sandboxUrl: this.sandbox.url,
          client: this.client,
          issueKey: (ref) => this.issueKey(ref),
          settle: () => this.settle(),
        });
      }
      await this.runStep(step, i + 1);
    }
    if (scenario.expect) await this.check(scenario.expect, 'final');
    await this.settle();
  }

  /**
   * Moves virtual time to the story's start: a `date` as given; otherwise the quiet reference (the
   * first Monday after today that starts three weeks without holidays or DST changes), or the given
   * weekday and time counted from it. So `{ weekday: "Friday" }` means the same Friday-to-Monday
   * story whatever day the suite runs. False when the start cannot be reached (recorded as a failure).
   */
  private async moveToStart(): Promise<boolean> {
    const { start } = this.scenario;
    const { timeZone } = this.config.calendar;
    const today = this.options.today?.getTime() ?? this.virtualNow;
    if (today > this.virtualNow) await this.advance(today - this.virtualNow);
    let target: Date;
    if (start && 'date' in start) {
      target = nextLocalTime({ date: start.date }, start.time, timeZone, new Date(this.virtualNow));
      if (target.getTime() < this.virtualNow) {
        this.failures.push(`start ${start.date} ${start.time} has passed: a scenario's date must lie in the future`);
        return false;
      }
    } else {
      const reference = quietReference(new Date(this.virtualNow), this.config.calendar);
      target = start ? nextLocalTime({ weekday: start.weekday }, start.time, timeZone, reference) : reference;
    }
    await this.advance(target.getTime() - this.virtualNow);
    return true;
  }

  /**
   * A ticket arrives: by e-mail (its webhook follows, or is lost with `webhook: false`), or it was already
   * in Jira before deskflow (`existing`: created with its history in the past, no webhook at all).
   */
  private arrive(ticket: Scenario['ticket']): void {
    const { existing, webhook, ...fields } = ticket;
    if (!existing) {
      this.tickets.push(this.sandbox.createTicket({ ...fields, webhook }).key);
      return;
    }
    const ago = (duration: string, extraMs = 0) =>
      new Date(this.virtualNow - parseIsoDuration(duration) + extraMs).toISOString();
    const who = (w: string) => this.person(w, fields.reporter);
    const { key } = this.sandbox.importTicket({
      ...fields,
      created: ago(existing.createdAgo),
      status: existing.status,
      resolution: existing.resolution,
      requestType: existing.requestType,
      assignee: existing.assignee ? who(existing.assignee) : undefined,
      // A comment without `ago` follows the one before it by a minute.
      comments: (existing.comments ?? []).map((c, i) => ({
        by: who(c.by),
        body: c.body,
        internal: c.internal,
        created: c.ago ? ago(c.ago) : ago(existing.createdAgo, (i + 1) * 60_000),
      })),
    });
    this.tickets.push(key);
  }

  /**
   * Steps that happen at one virtual instant (a ticket, a comment, a transition, an outage) are all
   * applied before the system reacts; `wait`, `cli` and `expect` first let it react (settle).
   */
  private async runStep(step: Step, n: number): Promise<void> {
    if ('wait' in step) {
      await this.advance(parseIsoDuration(step.wait));
    } else if ('comment' in step) {
      const c = step.comment;
      const key = this.requireKey(c.on ?? 'ticket', n);
      if (!key) return;
      this.sandbox.addComment({ key, by: this.person(c.by), body: c.body, internal: c.internal ?? false });
    } else if ('cli' in step) {
      await this.settle();
      // A REF becomes its issue's key; a WHO naming a role (`--by role:onboardingApprover`) its address.
      const args = step.cli.map((a) =>
        /^(ticket(#\d+)?|cs|dev)$/.test(a)
          ? (this.issueKey(a) ?? a)
          : /^role:\w+$/.test(a) && Object.hasOwn(this.config.roles, a.slice(5))
            ? this.person(a)
            : a,
      );
      const output: string[] = [];
      const code = await runCli(args, {
        client: this.client,
        config: this.config,
        stdout: (l) => output.push(l),
        stderr: (l) => output.push(l),
        // An agent acts as someone: without --by, as the ticket's assignee (else the first on-duty agent).
        env: { DESKFLOW_AGENT: this.actingAgent(args[1]), TEMPORAL_TASK_QUEUE: this.taskQueue },
        now: () => new Date(this.virtualNow),
        knownTickets: () => this.ssKeys(),
      });
      if (step.fails ? code === 0 : code !== 0) {
        this.failures.push(
          `step ${n} (deskflow ${args.join(' ')}): expected ${step.fails ? 'to fail' : 'to succeed'}, exit code ${code}: ${output.join(' | ')}`,
        );
      }
    } else if ('transition' in step) {
      const key = this.requireKey(step.transition.issue, n);
      if (!key) return;
      const project = key.split('-')[0];
      const by = step.transition.by
        ? this.person(step.transition.by)
        : project === this.config.jira.supportProject
          ? this.config.roles.onDutyAgents[0]
          : this.config.roles.configTeam[0];
      this.sandbox.transition({ key, to: step.transition.to, by, resolution: step.transition.resolution });
    } else if ('edit' in step) {
      const e = step.edit;
      const key = this.requireKey(e.issue, n);
      if (!key) return;
      this.sandbox.editIssue({
        key,
        by: e.by ? this.person(e.by) : this.config.roles.onDutyAgents[0],
        ...(e.assignee !== undefined ? { assignee: e.assignee === null ? null : this.person(e.assignee) } : {}),
        ...(e.summary !== undefined ? { summary: e.summary } : {}),
        ...(e.description !== undefined ? { description: e.description } : {}),
      });
    } else if ('ticket' in step) {
      this.arrive(step.ticket);
    } else if ('outage' in step) {
      this.sandbox.setFault({ service: step.outage.service, status: 503 });
      this.outages.push({ service: step.outage.service, endsAt: this.virtualNow + parseIsoDuration(step.outage.for) });
    } else if ('expect' in step) {
      await this.check(step.expect, `step ${n}`);
    }
  }

  /** Skips virtual time, ending outages on the way at their virtual end. */
  private async advance(ms: number): Promise<void> {
    await this.settle();
    let target = this.virtualNow + Math.max(0, ms);
    for (;;) {
      const next = this.outages.filter((o) => o.endsAt <= target).sort((a, b) => a.endsAt - b.endsAt)[0];
      const until = next ? next.endsAt : target;
      if (until > this.virtualNow) await this.sleepFollowingClock(until - this.virtualNow);
      await this.syncClock();
      if (!next) break;
      this.sandbox.clearFault(next.service);
      this.outages.splice(this.outages.indexOf(next), 1);
      await this.settle();
      target = Math.max(target, this.virtualNow);
    }
    await this.settle();
  }

  /**
   * `env.sleep`, with the sandbox's clock following virtual time while it runs: timers that fire during
   * the skip start activities whose Jira writes and searches must see the time of that moment, not the
   * wait's start (e.g. S-01's queue sweep finds a ticket only once the sandbox's search lag has passed).
   */
  private async sleepFollowingClock(ms: number): Promise<void> {
    let polling = true;
    const follow = async () => {
      while (polling) {
        await this.syncClock().catch(() => undefined);
        await new Promise((r) => setTimeout(r, CLOCK_POLL_MS));
      }
    };
    const follower = follow();
    try {
      await this.env.sleep(ms);
    } finally {
      polling = false;
      await follower;
    }
  }

  private async syncClock(): Promise<void> {
    this.virtualNow = await this.env.currentTimeMs();
    this.syncedAt = Date.now();
  }

  /**
   * Waits (bounded, in real time) until nothing is in flight: every webhook acknowledged and the
   * worker idle (no workflow activation, no running activity) for several polls in a row. While
   * virtual time is locked, nothing else can start work; an activity waiting out a retry backoff
   * (an outage) needs virtual time, so it counts as settled.
   */
  private async settle(): Promise<void> {
    const deadline = Date.now() + SETTLE_LIMIT_MS;
    let quietPolls = 0;
    while (quietPolls < 4) {
      if (Date.now() > deadline) {
        this.failures.push('the system did not settle within 60 s (a webhook or activity kept running)');
        return;
      }
      await this.sandbox.webhooksIdle();
      const s = this.worker?.getStatus();
      const busy = !!s && (s.numInFlightWorkflowActivations > 0 || s.numInFlightActivities > 0);
      quietPolls = busy ? 0 : quietPolls + 1;
      await new Promise((r) => setTimeout(r, 25));
    }
    await this.syncClock();
  }

  private ssKeys(): string[] {
    return this.sandbox
      .state()
      .issues.filter((i) => i.project === this.config.jira.supportProject)
      .map((i) => i.key);
  }

  private async check(expectation: Expectation, where: string): Promise<void> {
    await this.settle();
    let status: string | null = null;
    try {
      status = (await this.client.workflow.getHandle(ticketWorkflowId(this.tickets[0] as string)).describe()).status
        .name;
    } catch {
      status = null;
    }
    const failed = checkExpectations(expectation, this.sandbox.state(), status, this);
    for (const f of failed) this.failures.push(`${where}: ${f}`);
    if (failed.length && status === 'RUNNING') {
      // Say what deskflow itself was doing: the fastest way to see why an expectation failed.
      try {
        const s = await this.client.workflow.getHandle(ticketWorkflowId(this.tickets[0] as string)).query(statusQuery);
        const recent = s.timeline.slice(-6).map((e) => `${e.step} ${e.text}`);
        this.failures.push(
          `${where}: deskflow says ${s.key} is ${s.stage}, waiting for ${s.waitingFor}; recent: ${recent.join(' | ')}`,
        );
      } catch {
        // the query is a diagnostic only
      }
    }
  }

  private async histories(): Promise<{ workflowId: string; history: History }[]> {
    const out: { workflowId: string; history: History }[] = [];
    for (const key of this.ssKeys()) {
      const workflowId = ticketWorkflowId(key);
      try {
        out.push({ workflowId, history: await this.client.workflow.getHandle(workflowId).fetchHistory() });
      } catch {
        // no workflow for this issue
      }
    }
    return out;
  }

  private requireKey(ref: string, n: number): string | undefined {
    const key = this.issueKey(ref);
    if (!key) this.failures.push(`step ${n}: no issue for ${ref}`);
    return key;
  }

  /** Who a `cli` step acts as when it gives no --by: the ticket's assignee, else the first on-duty agent. */
  private actingAgent(key: string | undefined): string {
    const assignee = key ? this.sandbox.issue(key.toUpperCase())?.assignee : undefined;
    return assignee && isStaff(assignee, this.config) ? assignee : (this.config.roles.onDutyAgents[0] as string);
  }

  /** WHO as one e-mail; `reporter` may be given for a ticket that is not the main one yet. */
  private person(who: string, reporter?: string): string {
    if (who === 'reporter' && reporter) return reporter;
    const all = resolveWho(who, this);
    const original = who.startsWith('role:') ? (this.config.roles as Record<string, unknown>)[who.slice(5)] : undefined;
    const first = Array.isArray(original) ? original[0] : original;
    return typeof first === 'string' ? first : (all[0] ?? who);
  }

  issueKey(ref: string): string | undefined {
    if (ref === 'ticket') return this.tickets[0];
    const numbered = /^ticket#(\d+)$/.exec(ref);
    if (numbered) return this.tickets[Number(numbered[1]) - 1];
    if (ref === 'cs' || ref === 'dev') {
      const project = ref === 'cs' ? this.config.jira.csProject : this.config.jira.devProject;
      const main = this.sandbox.issue(this.tickets[0] as string);
      return main?.links.find((l) => l.key.startsWith(`${project}-`))?.key;
    }
    return ref;
  }

  reporter(): string | null {
    return this.sandbox.issue(this.tickets[0] as string)?.reporter ?? null;
  }
}

/** A story with a ticket whose webhook is lost, or that was in Jira before deskflow, or a sweep interval of its own. */
function needsQueueSweep(scenario: Scenario): boolean {
  const tickets = [scenario.ticket, ...(scenario.steps ?? []).flatMap((s) => ('ticket' in s ? [s.ticket] : []))];
  const sla = (scenario.config?.sla ?? {}) as Record<string, unknown>;
  return tickets.some((t) => t.webhook === false || t.existing !== undefined) || sla.queueSweepEvery !== undefined;
}

function rolePeople(config: DeskflowConfig): string[] {
  return Object.values(config.roles)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is string => typeof v === 'string' && v.includes('@'));
}
