/**
 * The deskflow CLI through runCli (the code `npx deskflow` runs): argument errors never reach a
 * server, refused updates change nothing, and status/--json print what the workflow reports.
 */
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listQuery } from '../../src/client/cli/commands/list';
import { describeStatus } from '../../src/client/cli/commands/status';
import { runCli } from '../../src/client/cli/main';
import { defaultConfig } from '../../src/config/defaults';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { statusQuery, type TicketStatus } from '../../src/workflows/messages';
import { fillTemplate, firstLine } from '../../src/workflows/templates';
import { REFUSAL } from './fixtures/ticket-double';
import { createClientTestEnv, janitor } from './helpers';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

async function cli(argv: string[], client: Client, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    client,
    config: defaultConfig,
    env,
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
  });
  return { code, out, err };
}

describe('command-line mistakes (exit 2, no server contacted)', () => {
  const touched: string[] = [];
  /** Any use of this client fails the test: usage errors must be caught before connecting. */
  const untouchable = new Proxy(
    {},
    {
      get(_target, property) {
        touched.push(String(property));
        throw new Error(`the client was used (${String(property)})`);
      },
    },
  ) as Client;

  afterEach(() => expect(touched).toEqual([]));

  test.each([
    [['resolve'], /missing <ticket>/, 'deskflow resolve SS-12 --note'],
    [['resolve', 'SS-1'], /missing --note TEXT/, 'deskflow resolve SS-12 --note'],
    [['resolve', 'ss1', '--note', 'x'], /"SS1" is not a ticket key/, 'deskflow resolve SS-12'],
    [['resolve', 'SS-1', '--note'], /--note needs a value/, 'deskflow resolve SS-12'],
    [['resolve', 'SS-1', '--note', 'x', '--frob'], /unknown option --frob/, 'deskflow resolve SS-12'],
    [['resolve', 'SS-1', 'SS-2', '--note', 'x'], /unexpected argument "SS-2"/, 'deskflow resolve SS-12'],
    [
      ['classify', 'SS-1', '--route', 'tech.bugs'],
      /unknown route "tech.bugs"; one of: .*tech\.bug/,
      'deskflow classify SS-12',
    ],
    [['approve', 'SS-1', '--by', 'david'], /"david" is not an e-mail address/, 'deskflow approve SS-12'],
    [
      ['list', '--stage', 'waiting'],
      /unknown stage "waiting"; one of: starting, awaiting-triage/,
      'deskflow list --stage',
    ],
    // list shows running tickets only: a stage that is never running is refused, not answered with nothing.
    [['list', '--stage', 'closed'], /closed tickets are not listed/, 'deskflow list --stage'],
    [['needs-input', 'SS-1', '--json=yes', '--question', 'q'], /--json takes no value/, 'deskflow needs-input SS-12'],
  ])('deskflow %j', async (argv, reason, example) => {
    const run = await cli(argv, untouchable);
    expect(run.code).toBe(2);
    expect(run.out).toEqual([]);
    expect(run.err[0]).toMatch(reason);
    expect(run.err).toContainEqual(expect.stringMatching(/^usage: deskflow /));
    expect(run.err).toContainEqual(expect.stringContaining(`example: ${example}`));
  });

  test('an unknown command lists the commands; no command at all prints the usage', async () => {
    const unknown = await cli(['resolv', 'SS-1'], untouchable);
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/unknown command "resolv"; one of: resolve, needs-input/);
    const none = await cli([], untouchable);
    expect(none.code).toBe(2);
    expect(none.err[0]).toMatch(/^usage: deskflow <command>/);
  });

  test("ROUTING.md's decision words run their command: user-error and fixed are resolve (R-05), confirmed is confirm (S-14)", async () => {
    for (const word of ['user-error', 'fixed']) {
      const run = await cli([word, 'SS-1'], untouchable);
      expect(run.code).toBe(2);
      expect(run.err).toContainEqual(expect.stringMatching(/^usage: deskflow resolve <ticket> --note TEXT/));
    }
    const confirmed = await cli(['confirmed', 'SS-1', '--nope'], untouchable);
    expect(confirmed.code).toBe(2);
    expect(confirmed.err).toContainEqual(expect.stringMatching(/^usage: deskflow confirm <ticket>/));
    const help = await cli(['help'], untouchable);
    expect(help.out).toContainEqual(expect.stringMatching(/^\s+resolve, user-error, fixed\s+/));
  });

  test('help and --help print usage with the example and exit 0', async () => {
    const help = await cli(['help'], untouchable);
    expect(help.code).toBe(0);
    expect(help.out).toContainEqual(expect.stringMatching(/^\s+config-complete\s+/));
    const one = await cli(['escalate-bug', '--help'], untouchable);
    expect(one.code).toBe(0);
    expect(one.out[0]).toBe('usage: deskflow escalate-bug <ticket> --steps TEXT [--by EMAIL] [--json]');
    expect(one.out).toContainEqual(expect.stringMatching(/^example: deskflow escalate-bug SS-12 --steps/));
  });

  test('help examples name the configured people', async () => {
    const approve = await cli(['help', 'approve'], untouchable);
    expect(approve.out).toContain(
      `example: deskflow approve SS-12 --by ${defaultConfig.roles.onboardingApprover} --note "Approved for go-live"`,
    );
    const mistake = await cli(['approve', 'SS-1', '--by', 'nobody'], untouchable);
    expect(mistake.err).toContainEqual(expect.stringContaining(`--by ${defaultConfig.roles.onboardingApprover}`));
  });

  test('a command that changes a ticket without --by or $DESKFLOW_AGENT is refused before any server', async () => {
    const run = await cli(['resolve', 'SS-1', '--note', 'done'], untouchable);
    expect(run.code).toBe(2);
    expect(run.err[0]).toBe(
      'deskflow resolve: who is acting? give --by EMAIL or set DESKFLOW_AGENT (a configured staff member)',
    );
  });

  test.each([
    [
      ['classify', 'SS-1', '--route', 'tech.bug', '--by', 'hacker@evilcorp.com'],
      /hacker@evilcorp\.com is not a configured staff member/,
    ],
    // An address at the internal domain is not enough: only the configured people act.
    [
      ['resolve', 'SS-1', '--note', 'x', '--by', 'someone@sighten.io'],
      /someone@sighten\.io is not a configured staff member/,
    ],
    [
      ['approve', 'SS-1', '--by', 'mallory@goeverbright.com'],
      /neither the configured approver \(david\.ellis@goeverbright\.com\)/,
    ],
    [
      ['approve', 'SS-1', '--by', 'alex.morgan@sighten.io', '--for', 'someone@goeverbright.com', '--note', 'ok'],
      /--for must name the configured approver/,
    ],
    [
      ['approve', 'SS-1', '--by', 'alex.morgan@sighten.io', '--for', 'david.ellis@goeverbright.com'],
      /--note is required with --for/,
    ],
  ])('deskflow %j: refused actor, exit 1, nothing sent', async (argv, reason) => {
    const run = await cli(argv, untouchable);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(reason);
    expect(run.err[0]).toMatch(/nothing changed$/);
  });

  test('$DESKFLOW_AGENT naming someone who is not staff is refused like --by', async () => {
    const run = await cli(['confirm', 'SS-1'], untouchable, { DESKFLOW_AGENT: 'kim@evilcorp.com' });
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(/kim@evilcorp\.com is not a configured staff member/);
  });
});

test('list builds its visibility query from the filters', () => {
  expect(listQuery({})).toBe("WorkflowType = 'ticketWorkflow' AND ExecutionStatus = 'Running'");
  expect(
    listQuery({ route: 'tech.bug', stage: 'awaiting-customer', slaBefore: new Date('2026-11-25T18:30:00Z') }),
  ).toBe(
    "WorkflowType = 'ticketWorkflow' AND ExecutionStatus = 'Running' AND TicketRoute = 'tech.bug'" +
      " AND TicketStage = 'awaiting-customer' AND SlaDeadline < '2026-11-25T18:30:00.000Z'",
  );
});

describe('against a ticket workflow', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let queue = 0;

  beforeAll(async () => {
    env = await createClientTestEnv();
    bundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./fixtures/ticket-double.ts', import.meta.url)),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
  }, 120_000);

  afterEach(async () => {
    await janitor.endAll(env.client);
  });

  afterAll(async () => {
    await env?.teardown();
  });

  /** Starts the test double for `key` and runs `fn` while a worker serves it. */
  async function withTicket(key: string, fn: () => Promise<void>): Promise<void> {
    const taskQueue = `cli-test-${++queue}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
    });
    await worker.runUntil(async () => {
      await env.client.workflow.start('cliTicketDouble', {
        workflowId: ticketWorkflowId(key),
        taskQueue,
        args: [{ key }],
      });
      await fn();
    });
  }

  test('a command at the wrong stage is refused with the reason, exit 1, and nothing changes', async () => {
    await withTicket('SS-201', async () => {
      const run = await cli(['resolve', 'SS-201', '--note', 'should work now'], env.client, {
        DESKFLOW_AGENT: 'alex.morgan@sighten.io',
      });
      expect(run.code).toBe(1);
      expect(run.out).toEqual([]);
      expect(run.err).toEqual([`deskflow resolve: SS-201: refused: ${REFUSAL}`]);
      const status = await env.client.workflow.getHandle(ticketWorkflowId('SS-201')).query(statusQuery);
      expect(status.stage).toBe('awaiting-customer');
      expect(status.timeline).toHaveLength(1);
    });
  });

  test('an accepted command prints the result; --by defaults to $DESKFLOW_AGENT; keys are case-insensitive; --json prints JSON', async () => {
    await withTicket('SS-202', async () => {
      const run = await cli(['confirm', 'ss-202', '--note', 'customer called', '--json'], env.client, {
        DESKFLOW_AGENT: 'jamie.chen@sighten.io',
      });
      expect(run).toEqual({
        code: 0,
        out: [
          JSON.stringify({ key: 'SS-202', message: 'closing as confirmed by the customer (S-14)', stage: 'closed' }),
        ],
        err: [],
      });
      const status = await env.client.workflow.getHandle(ticketWorkflowId('SS-202')).query(statusQuery);
      expect(status.timeline[1]?.text).toBe('confirmed by jamie.chen@sighten.io: customer called');

      // The run has ended: a further command says so instead of pretending to act.
      const late = await cli(['confirm', 'SS-202', '--by', 'alex.morgan@sighten.io'], env.client);
      expect(late.code).toBe(1);
      expect(late.err[0]).toMatch(/SS-202 is no longer active in deskflow \(its workflow is completed\)/);
    });
  });

  test('one line per success: the key once, and the stage the command led to (not the one it was accepted in)', async () => {
    await withTicket('SS-204', async () => {
      const run = await cli(['confirm', 'SS-204', '--by', 'alex.morgan@sighten.io'], env.client);
      expect(run).toEqual({
        code: 0,
        out: ['SS-204: closing as confirmed by the customer (S-14) (stage: closed)'],
        err: [],
      });
    });
  });

  test('status prints route, reasons, stage, wait, assignee, links and timeline; --json the TicketStatus', async () => {
    await withTicket('SS-203', async () => {
      const human = await cli(['status', 'SS-203'], env.client);
      expect(human.code).toBe(0);
      expect(human.out).toEqual([
        'SS-203  stage: awaiting-customer',
        'route:       tech.bug (Technical Support), confidence 0.82',
        '  - mentions an error in the product ("blank totals")',
        "waiting for: the customer's answer, until 2026-11-26 17:00 PST",
        'first reply: 2026-11-25 09:30 PST',
        'assignee:    kim@sighten.io',
        'linked:      DEV-4',
        'timeline:',
        '  2026-11-25 09:30 PST  S-10  asked the customer for the proposal id',
      ]);
      const json = await cli(['status', 'SS-203', '--json'], env.client);
      const parsed = JSON.parse(json.out[0] ?? '') as TicketStatus;
      expect(parsed).toMatchObject({ key: 'SS-203', stage: 'awaiting-customer', linkedIssues: ['DEV-4'] });
    });
  });

  test('the compiled CLI (bin/deskflow.js, a separate process) prints the same status from the server', async () => {
    expect(spawnSync(process.execPath, ['scripts/build-cli.mjs', '--quiet'], { cwd: repoRoot }).status).toBe(0);
    await withTicket('SS-205', async () => {
      // Not spawnSync: the worker serving the query runs in this process.
      const run = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/deskflow.js', 'status', 'SS-205'], {
          cwd: repoRoot,
          env: {
            PATH: process.env.PATH,
            TEMPORAL_ADDRESS: env.address,
            TEMPORAL_NAMESPACE: env.namespace ?? 'default',
            DESKFLOW_CODEC_KEYS: `cli-test:${Buffer.alloc(32, 1).toString('base64')}`,
          },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.once('exit', (code) => resolve({ code, out, err }));
      });
      expect(run).toMatchObject({ code: 0, err: '' });
      expect(run.out.split('\n').slice(0, 3)).toEqual([
        'SS-205  stage: awaiting-customer',
        'route:       tech.bug (Technical Support), confidence 0.82',
        '  - mentions an error in the product ("blank totals")',
      ]);
    });
  }, 60_000);

  test('a ticket deskflow never saw: "not tracked", exit 1', async () => {
    const status = await cli(['status', 'SS-9'], env.client);
    expect(status).toEqual({ code: 1, out: [], err: ['deskflow status: SS-9 is not tracked by deskflow'] });
    const resolve = await cli(['resolve', 'SS-9', '--note', 'done', '--by', 'alex.morgan@sighten.io'], env.client);
    expect(resolve).toEqual({ code: 1, out: [], err: ['deskflow resolve: SS-9 is not tracked by deskflow'] });
  });
});

test('status without a route says so', () => {
  const lines = describeStatus(
    {
      key: 'SS-5',
      route: null,
      requestType: null,
      confidence: null,
      reasons: [],
      stage: 'awaiting-triage',
      waitingFor: "an agent's classify decision",
      until: null,
      slaDeadline: '2026-11-25T19:00:00.000Z',
      firstResponseAt: null,
      assignee: null,
      linkedIssues: [],
      timeline: [],
    },
    'America/Los_Angeles',
  );
  expect(lines).toEqual([
    'SS-5  stage: awaiting-triage',
    'route:       not classified yet',
    "waiting for: an agent's classify decision",
    'SLA:         first response due 2026-11-25 11:00 PST',
    'assignee:    unassigned',
    'linked:      -',
  ]);
});

test('the timeline shows what a needs-input reply asked, not only its lead-in (S-16)', () => {
  const body = fillTemplate(defaultConfig.templates.needsInput ?? '{question}', {
    question: 'Which proposal shows the wrong total?',
  });
  expect(firstLine(body)).toBe(
    'To continue with your request we need some information from you: Which proposal shows the wrong total?',
  );
  expect(firstLine('Hello,\n\nThe export works again.\n\nRegards')).toBe('The export works again.');
});

describe('the compiled CLI (bin/deskflow.js runs dist/cli)', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });

  test('the build is cached by source hash, and the bundle answers help without loading Temporal', () => {
    node(['scripts/build-cli.mjs']);
    expect(node(['scripts/build-cli.mjs']).stdout).toBe('build: deskflow CLI is up to date\n');
    // The SDK require()s the failure converter by a path relative to the code that names it.
    expect(existsSync(`${root}/dist/cli/failure-converter.cjs`)).toBe(true);
    const run = node(['bin/deskflow.js', 'help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: deskflow <command>/);
    // The bundle holds its dependencies: help reads nothing from node_modules and starts no gRPC (http2).
    const probe = node([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       import { loadWithCodeCache } from './bin/code-cache.js';
       const cli = loadWithCodeCache(process.cwd() + '/dist/cli/deskflow.cjs');
       const out = [];
       const code = await cli.exports.runCli(['help', 'list'], { stdout: (l) => out.push(l) });
       const fromNodeModules = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('node_modules'));
       const http2 = process.moduleLoadList.some((m) => m.endsWith(' http2'));
       console.log(JSON.stringify({ code, first: out[0], fromNodeModules, http2, temporal: cli.exports.temporalClientLoaded() }));`,
    ]);
    expect(JSON.parse(probe.stdout)).toEqual({
      code: 0,
      first: 'usage: deskflow list [--route ROUTE] [--stage STAGE] [--sla-at-risk] [--json]',
      fromNodeModules: [],
      http2: false,
      temporal: false,
    });
  }, 60_000);

  test('the failure converter the SDK loads by path takes the SDK from the bundle, not a second copy', () => {
    node(['scripts/build-cli.mjs']);
    const probe = node([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       import { loadWithCodeCache } from './bin/code-cache.js';
       loadWithCodeCache(process.cwd() + '/dist/cli/deskflow.cjs');
       const require = createRequire(import.meta.url);
       const { failureConverter } = require('./dist/cli/failure-converter.cjs');
       const bundled = globalThis[Symbol.for('deskflow.cli.temporalCommon')];
       const fromNodeModules = Object.keys(require.cache).filter((f) => f.includes('node_modules'));
       console.log(JSON.stringify({ same: failureConverter instanceof bundled.DefaultFailureConverter, fromNodeModules }));`,
    ]);
    expect(JSON.parse(probe.stdout)).toEqual({ same: true, fromNodeModules: [] });
  }, 60_000);

  test('V8 code cache: kept beside the bundle, ignored when it belongs to another build', () => {
    node(['scripts/build-cli.mjs']);
    const cacheFile = `${root}/dist/cli/deskflow.cjs.v8-cache`;
    rmSync(cacheFile, { force: true });
    expect(node(['bin/deskflow.js', 'help']).status).toBe(0);
    const header = (file: string) =>
      (readFileSync(file).subarray(0, 200).toString('latin1').split('\n')[0] ?? '').split('\t');
    const [format, version, stamp, parts] = header(cacheFile);
    expect([format, version, parts]).toEqual(['deskflow-code-cache 1', process.version, 'base']);
    // A cache written by a process of an older bundle (same length, other content) is not used: V8 only
    // compares lengths, so the header names the bundle it was made from.
    writeFileSync(
      cacheFile,
      Buffer.concat([Buffer.from(`deskflow-code-cache 1\t${process.version}\t1:2\tbase\n`), Buffer.alloc(64, 7)]),
    );
    const run = node(['bin/deskflow.js', 'help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: deskflow <command>/);
    expect(header(cacheFile)[2]).toBe(stamp);
  }, 60_000);
});
