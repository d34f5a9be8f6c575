/**
 * The Jira activities against the sandbox over real HTTP, each run in an activity context. Every write is
 * checked in the sandbox's state; the idempotent writes are called twice and counted.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { activityDepsFromEnv } from '../../src/activities/clients';
import { loadEnv } from '../../src/config/env';
import { defaultConfig } from '../../src/config/defaults';
import { createJiraActivities, type JiraActivities } from '../../src/activities/jira';
import { ActivityErrorType } from '../../src/activities/errors';
import type { NormalizedIssue } from '../../src/sandbox/types';
import { STRICT_SETTINGS } from '../../src/sandbox/server';
import { createJiraClients } from '../../src/activities/clients';
import { jiraPermissionWarnings } from '../../src/activities/jira-permissions';
import { delayMs, ensureJiraUsers, failureOf, runAttempt, startHarness, type Harness } from './setup';

const cfg = defaultConfig.jira;
const roles = defaultConfig.roles;
const AGENT = roles.onDutyAgents[0]!;
const CUSTOMER = 'pat.customer@acme-solar.example';

let h: Harness;
let jira: JiraActivities;

beforeAll(async () => {
  h = await startHarness();
  jira = createJiraActivities(h.deps);
  await ensureJiraUsers(h.sandbox, [AGENT, roles.supportSupervisor, roles.csQaAssignee, ...roles.configTeam]);
});

afterAll(async () => {
  await h?.close();
});

async function issue(key: string): Promise<NormalizedIssue> {
  const found = (await h.sandbox.state()).issues.find((i) => i.key === key);
  if (!found) throw new Error(`no issue ${key} in the sandbox`);
  return found;
}

async function newTicket(
  summary: string,
  extra: { participants?: string[]; attachments?: string[] } = {},
): Promise<string> {
  const { key } = await h.sandbox.createTicket({
    summary,
    description: `Body of ${summary}\n\nSecond paragraph.`,
    reporter: CUSTOMER,
    ...extra,
  });
  return key;
}

describe('readIssue', () => {
  test('returns fields, status, reporter, participants, attachments and comments with their public flag', async () => {
    const key = await newTicket('Cannot log in', {
      participants: ['sam.colleague@acme-solar.example'],
      attachments: ['screenshot.png'],
    });
    await h.sandbox.addComment({
      key,
      by: AGENT,
      body: 'Internal: checking logs',
      internal: true,
    });
    await h.sandbox.addComment({ key, by: CUSTOMER, body: 'Any news?' });

    const snap = await h.run(jira.readIssue, { key, comments: true });
    expect((await h.run(jira.readIssue, { key })).comments).toEqual([]);

    expect(snap).toMatchObject({
      key,
      project: 'SS',
      summary: 'Cannot log in',
      status: cfg.statuses.waitingForSupport,
      resolution: null,
      reporter: CUSTOMER,
      assignee: null,
      participants: ['sam.colleague@acme-solar.example'],
      attachments: ['screenshot.png'],
    });
    expect(snap.description).toContain('Second paragraph.');
    expect(Date.parse(snap.created)).not.toBeNaN();
    expect(snap.comments.map((c) => [c.authorEmail, c.body, c.public])).toEqual([
      [AGENT, 'Internal: checking logs', false],
      [CUSTOMER, 'Any news?', true],
    ]);
  });

  test('an unknown issue fails non-retryable with ERR_NOT_FOUND naming the key', async () => {
    const failure = await failureOf(h.run(jira.readIssue, { key: 'SS-99999' }));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe(ActivityErrorType.NotFound);
    expect(failure.message).toContain('SS-99999');
  });
});

describe('findUserByEmail', () => {
  test('finds a known user and returns a typed not-found for an unknown e-mail', async () => {
    const found = await h.run(jira.findUserByEmail, { email: AGENT });
    expect(found).toMatchObject({ found: true, email: AGENT });
    // The sandbox creates a user on first sight of an e-mail, except at .invalid (RFC 2606) addresses.
    const missing = await h.run(jira.findUserByEmail, {
      email: 'nobody.here@unknown-company.invalid',
    });
    expect(missing).toEqual({
      found: false,
      email: 'nobody.here@unknown-company.invalid',
    });
  });
});

describe('writes', () => {
  test('assignIssue sets and clears the assignee', async () => {
    const key = await newTicket('Assign me');
    await h.run(jira.assignIssue, { key, assignee: AGENT });
    expect((await issue(key)).assignee).toBe(AGENT);
    await h.run(jira.assignIssue, { key, assignee: null });
    expect((await issue(key)).assignee).toBeNull();
  });

  test('updateIssueFields sets request type, organization (created when missing), priority, labels and reporter', async () => {
    const key = await newTicket('Please change our incentive');
    await h.run(jira.updateIssueFields, {
      key,
      requestType: 'Company-specific Data Change',
      organization: 'Acme Solar',
      priority: 'High',
      addLabels: ['sales-lead'],
    });
    await h.run(jira.updateIssueFields, { key, addLabels: ['second'] });
    let state = await issue(key);
    expect(state).toMatchObject({
      requestType: 'Company-specific Data Change',
      organization: 'Acme Solar',
      priority: 'High',
      labels: ['sales-lead', 'second'],
    });
    // anonymous reporter.
    await h.run(jira.updateIssueFields, { key, reporter: null });
    state = await issue(key);
    expect(state.reporter).toBeNull();
    // Reading it back through the activity gives the same names.
    const snap = await h.run(jira.readIssue, { key });
    expect(snap).toMatchObject({
      requestType: 'Company-specific Data Change',
      organization: 'Acme Solar',
      priority: 'High',
      reporter: null,
    });
  });

  test('a new sender becomes reporter and participant: created as a customer (bot is Jira admin) and added to the restricted desk (S-05, E-07)', async () => {
    const key = await newTicket('Forwarded request');
    await h.run(jira.updateIssueFields, { key, reporter: 'original.sender@brand-new-installer.com' });
    await h.run(jira.addRequestParticipants, { key, emails: ['their.colleague@brand-new-installer.com'] });
    expect(await issue(key)).toMatchObject({
      reporter: 'original.sender@brand-new-installer.com',
      participants: ['their.colleague@brand-new-installer.com'],
    });
  });

  test('with a bot that is not a Jira admin, a new customer is refused for good with a message naming the permission', async () => {
    const key = await newTicket('Needs a new customer');
    h.sandbox.configure({ permissions: { jiraAdmins: [] } });
    try {
      const failure = await failureOf(
        h.run(jira.updateIssueFields, { key, reporter: 'someone.new@unknown-installer.com' }),
      );
      expect([failure.nonRetryable, failure.type]).toEqual([true, ActivityErrorType.PermissionDenied]);
      expect(failure.message).toContain('Jira Administrator global permission');
      expect(failure.message).toContain('someone.new@unknown-installer.com');
      // Existing customers still work without the permission.
      await h.run(jira.updateIssueFields, { key, reporter: CUSTOMER });
    } finally {
      h.sandbox.configure({ permissions: STRICT_SETTINGS.permissions });
    }
  });

  test('the start-up check names each missing Jira permission and what it affects', async () => {
    const clients = createJiraClients(h.deps.jira);
    expect(await jiraPermissionWarnings(clients, h.deps.config)).toEqual([]);
    h.sandbox.configure({ permissions: { jiraAdmins: [] } });
    try {
      const warnings = await jiraPermissionWarnings(clients, h.deps.config);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toContain('Jira Administrator global permission');
      expect(warnings[1]).toContain('does not administer SS');
    } finally {
      h.sandbox.configure({ permissions: STRICT_SETTINGS.permissions });
    }
  });

  test('updateIssueFields on a CS ticket sets components (created), epic, needsConfiguration and QA assignee (E-09)', async () => {
    const ss = await newTicket('EverBright - New Partner Onboarding');
    const { key } = await h.run(jira.createLinkedIssue, {
      opKey: `${ss}:E-08:cs`,
      project: cfg.csProject,
      issueType: cfg.issueTypes.csTicket,
      summary: 'Configure Sunny Installers',
      description: 'Onboarding configuration',
      linkTo: ss,
      linkType: cfg.linkTypes.relates,
    });
    await h.run(jira.updateIssueFields, {
      key,
      components: ['Sunny Installers'],
      epic: cfg.onboardingEpic,
      qaAssignee: roles.csQaAssignee,
    });
    expect(await issue(key)).toMatchObject({
      components: ['Sunny Installers'],
      epic: cfg.onboardingEpic,
      qaAssignee: roles.csQaAssignee,
    });
    await h.run(jira.updateIssueFields, {
      key: ss,
      needsConfiguration: 'None',
    });
    expect((await issue(ss)).needsConfiguration).toBe('None');
  });

  test('a value Jira rejects fails non-retryable, naming ticket, field and value', async () => {
    const key = await newTicket('Bad priority');
    const failure = await failureOf(h.run(jira.updateIssueFields, { key, priority: 'Extremely Urgent' }));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe(ActivityErrorType.JiraRejected);
    expect(failure.message).toContain(key);
    expect(failure.message).toContain('priority');
    expect(failure.message).toContain('"Extremely Urgent"');

    const select = await failureOf(h.run(jira.updateIssueFields, { key, needsConfiguration: 'Maybe' }));
    expect(select.nonRetryable).toBe(true);
    expect(select.message).toMatch(new RegExp(`^${key}: .*needsConfiguration="Maybe"`));
  });

  test('an unknown request type or epic fails non-retryable with ERR_NOT_FOUND', async () => {
    const key = await newTicket('Unknown request type');
    const rt = await failureOf(h.run(jira.updateIssueFields, { key, requestType: 'No Such Type' }));
    expect([rt.nonRetryable, rt.type]).toEqual([true, ActivityErrorType.NotFound]);
    expect(rt.message).toContain(`${key}: Jira rejected requestType="No Such Type"`);
    const epic = await failureOf(h.run(jira.updateIssueFields, { key, epic: 'No Such Epic' }));
    expect([epic.nonRetryable, epic.type]).toEqual([true, ActivityErrorType.NotFound]);
  });

  test('participants are added and removed, watchers added (S-06, E-07)', async () => {
    const key = await newTicket('People');
    await h.run(jira.addRequestParticipants, {
      key,
      emails: ['allsales@goeverbright.com', 'alice.reeve@goeverbright.com'],
    });
    await h.run(jira.addWatchers, {
      key,
      emails: [AGENT, roles.supportSupervisor],
    });
    await h.run(jira.addWatchers, { key, emails: [AGENT] });
    let state = await issue(key);
    expect([...state.participants].sort()).toEqual(['alice.reeve@goeverbright.com', 'allsales@goeverbright.com']);
    expect(state.watchers.filter((w) => w === AGENT)).toHaveLength(1);
    expect(state.watchers).toContain(roles.supportSupervisor);

    await h.run(jira.removeRequestParticipants, {
      key,
      emails: ['allsales@goeverbright.com', 'never.seen@nowhere.example'],
    });
    state = await issue(key);
    expect(state.participants).toEqual(['alice.reeve@goeverbright.com']);
  });

  test('a JSM customer is never made a watcher (S-08): left out, or made a request participant where asked (E-04)', async () => {
    const key = await newTicket('Customers do not watch');
    const known = 'sam.colleague@acme-solar.example'; // a customer with an account, not on this ticket
    await h.run(jira.addRequestParticipants, { key: await newTicket('Sam writes in'), emails: [known] });
    const unknown = 'new.person@acme-solar.example'; // no account yet
    await h.run(jira.addWatchers, { key, emails: [AGENT, known, unknown, CUSTOMER] });
    let state = await issue(key);
    expect(state.watchers).toEqual([AGENT]);
    expect(state.participants).toEqual([]);
    // No account was made for someone who was only left out.
    expect(await h.run(jira.findUserByEmail, { email: unknown })).toEqual({ found: false, email: unknown });

    // E-04: who cannot watch is kept informed as a request participant; staff still watch.
    await h.run(jira.addWatchers, {
      key,
      emails: [roles.supportSupervisor, known, unknown],
      customersAsParticipants: true,
    });
    state = await issue(key);
    expect([...state.watchers].sort()).toEqual([AGENT, roles.supportSupervisor].sort());
    expect([...state.participants].sort()).toEqual([known, unknown].sort());
  });

  test('EverBright people may watch (partners working in Jira); without that grant they become participants (E-04)', async () => {
    const key = await newTicket('Onboarding people');
    const am = 'quinn.ames@goeverbright.com';
    await h.run(jira.addWatchers, { key, emails: [am], customersAsParticipants: true });
    expect(await issue(key)).toMatchObject({ watchers: [am], participants: [] });

    h.sandbox.configure({ permissions: { partnerDomains: [] } });
    try {
      const other = await newTicket('Onboarding people, no partner grant');
      await h.run(jira.addWatchers, { key: other, emails: [am], customersAsParticipants: true });
      expect(await issue(other)).toMatchObject({ watchers: [], participants: [am] });
    } finally {
      h.sandbox.configure({ permissions: STRICT_SETTINGS.permissions });
    }
  });

  test('addComment writes a public and an internal comment once per opKey, even when called twice', async () => {
    const key = await newTicket('Comments');
    const first = await h.run(jira.addComment, {
      key,
      body: 'Hello, we are on it.',
      public: true,
      opKey: `${key}:S-10`,
    });
    const again = await h.run(jira.addComment, {
      key,
      body: 'Hello, we are on it.',
      public: true,
      opKey: `${key}:S-10`,
    });
    const note = await h.run(jira.addComment, {
      key,
      body: 'Needs triage',
      public: false,
      opKey: `${key}:S-03`,
    });
    await h.run(jira.addComment, {
      key,
      body: 'Needs triage',
      public: false,
      opKey: `${key}:S-03`,
    });

    expect(first.created_now).toBe(true);
    expect(again).toEqual({
      id: first.id,
      created: first.created,
      created_now: false,
    });
    expect(note.created_now).toBe(true);
    const comments = (await issue(key)).comments;
    expect(comments.map((c) => [c.body, c.public])).toEqual([
      ['Hello, we are on it.', true],
      ['Needs triage', false],
    ]);
    expect(comments[0]!.author).toBe(cfg.botEmail);
  });

  test('transitionIssue moves by status name with a resolution, and is a no-op when already there', async () => {
    const key = await newTicket('Close me');
    await h.run(jira.transitionIssue, { key, to: cfg.statuses.inProgress });
    expect((await issue(key)).status).toBe(cfg.statuses.inProgress);
    await h.run(jira.transitionIssue, {
      key,
      to: cfg.statuses.closed,
      resolution: cfg.resolutions.wontDo,
    });
    await h.run(jira.transitionIssue, {
      key,
      to: cfg.statuses.closed,
      resolution: cfg.resolutions.wontDo,
    });
    expect(await issue(key)).toMatchObject({
      status: cfg.statuses.closed,
      resolution: cfg.resolutions.wontDo,
    });

    const failure = await failureOf(h.run(jira.transitionIssue, { key, to: 'Teleported' }));
    expect([failure.nonRetryable, failure.type]).toEqual([true, ActivityErrorType.InvalidTransition]);
    expect(failure.message).toContain(key);
  });

  test('transitionIssue with an opKey moves once: a repeat after the issue moved on changes nothing (chaos R7)', async () => {
    const key = await newTicket('Move me once');
    const start = (await issue(key)).status;
    // A local attempt whose workflow task is lost runs again as attempt 1, after an agent moved the issue.
    const move = { key, to: cfg.statuses.inProgress, opKey: `${key}/run/S-11:transition:${key}/1` };
    await runAttempt({ isLocal: true, attempt: 1 }, jira.transitionIssue, move);
    expect((await issue(key)).status).toBe(cfg.statuses.inProgress);
    h.sandbox.transition({ key, to: start });
    await runAttempt({ isLocal: true, attempt: 1 }, jira.transitionIssue, move);
    expect((await issue(key)).status).toBe(start);

    // Already there at the first call: the key is recorded all the same, so a repeat does not move it back.
    const stay = { key, to: start, opKey: `${key}/run/S-11:transition:${key}/2` };
    await runAttempt({ isLocal: true, attempt: 1 }, jira.transitionIssue, stay);
    h.sandbox.transition({ key, to: cfg.statuses.inProgress });
    await runAttempt({ isLocal: true, attempt: 1 }, jira.transitionIssue, stay);
    expect((await issue(key)).status).toBe(cfg.statuses.inProgress);

    // Without a key (calls recorded before it existed) only "already there" is a no-op, as before.
    await h.run(jira.transitionIssue, { key, to: start });
    expect((await issue(key)).status).toBe(start);
  });

  test('transitionIssue succeeds when someone else moves the issue to the same status between its read and its write', async () => {
    const key = await newTicket('Race me');
    await h.run(jira.transitionIssue, { key, to: cfg.statuses.inProgress });
    // A proxy in front of the sandbox lets an agent close the issue just before deskflow's own transition
    // reaches Jira, which then refuses the transition id (400) as Jira Cloud does.
    const proxy = createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        if (req.method === 'POST' && req.url?.includes(`/issue/${key}/transitions`))
          h.sandbox.transition({ key, to: cfg.statuses.closed, resolution: cfg.resolutions.done });
        const upstream = await fetch(`${h.sandbox.url}${req.url ?? '/'}`, {
          method: req.method,
          headers: Object.fromEntries(
            Object.entries(req.headers).filter(
              ([k, v]) => typeof v === 'string' && !['host', 'content-length'].includes(k),
            ),
          ) as Record<string, string>,
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      })();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const racing = createJiraActivities(activityDepsFromEnv(defaultConfig, loadEnv({}), `http://127.0.0.1:${port}`));
      await h.run(racing.transitionIssue, { key, to: cfg.statuses.closed, resolution: cfg.resolutions.done });
      expect((await issue(key)).status).toBe(cfg.statuses.closed);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  test('transitionIssue sends a resolution only where the transition screen has it (CS Done has none: its post-function resolves)', async () => {
    const ss = await newTicket('Screens');
    const { key } = await h.run(jira.createLinkedIssue, {
      opKey: `${ss}:screens`,
      project: cfg.csProject,
      issueType: cfg.issueTypes.csTicket,
      summary: 'Screenless done',
      description: '',
      linkTo: ss,
      linkType: cfg.linkTypes.relates,
    });
    await h.run(jira.transitionIssue, { key, to: cfg.statuses.done, resolution: cfg.resolutions.done });
    expect(await issue(key)).toMatchObject({ status: cfg.statuses.done, resolution: 'Done' });
  });

  test('createLinkedIssue creates and links one issue per opKey, even when called twice', async () => {
    const ss = await newTicket('Bug: totals wrong');
    const input = {
      opKey: `${ss}:R-05:dev`,
      project: cfg.devProject,
      issueType: cfg.issueTypes.devBug,
      summary: `Totals wrong (${ss})`,
      description: 'Steps to reproduce: …',
      linkTo: ss,
      linkType: cfg.linkTypes.relates,
    };
    const first = await h.run(jira.createLinkedIssue, input);
    const second = await h.run(jira.createLinkedIssue, input);

    expect(second.key).toBe(first.key);
    const state = await h.sandbox.state();
    expect(state.issues.filter((i) => i.summary === input.summary)).toHaveLength(1);
    expect(state.issues.find((i) => i.key === first.key)).toMatchObject({
      project: 'DEV',
      issueType: 'Bug',
      status: cfg.statuses.toDo,
    });
    expect((await issue(ss)).links.filter((l) => l.key === first.key)).toEqual([
      { type: 'Relates', direction: 'outward', key: first.key },
    ]);

    const snap = await h.run(jira.readIssue, { key: ss });
    expect(snap.links).toContainEqual({
      type: 'Relates',
      direction: 'outward',
      key: first.key,
      project: 'DEV',
      status: cfg.statuses.toDo,
    });
  });

  test('an issue the earlier release created and recorded on the SS ticket, but never linked, is reused and linked', async () => {
    const ss = await newTicket('Interrupted attempt');
    const input = {
      opKey: `${ss}:R-07:cs`,
      project: 'CS',
      issueType: 'Task',
      summary: 'Interrupted task',
      description: 'made once',
      linkTo: ss,
      linkType: 'Relates',
    };
    // What the earlier release left when the link request failed: the issue, and its record on the SS ticket.
    const { cloud } = createJiraClients(h.deps.jira);
    const created = await cloud.issues.createIssue({
      fields: { project: { key: 'CS' }, issuetype: { name: 'Task' }, summary: input.summary },
      properties: [{ key: 'deskflow', value: { opKey: input.opKey } }],
    });
    await cloud.issueProperties.setIssueProperty({
      issueIdOrKey: ss,
      propertyKey: `deskflow.created.${createHash('sha256').update(input.opKey).digest('hex').slice(0, 32)}`,
      body: { opKey: input.opKey, key: created.key, id: created.id },
    });
    expect((await issue(ss)).links).toEqual([]);

    const result = await h.run(jira.createLinkedIssue, input);
    expect(result.key).toBe(created.key);
    expect(h.sandbox.state().issues.filter((i) => i.summary === input.summary)).toHaveLength(1);
    expect((await issue(ss)).links.map((l) => l.key)).toEqual([created.key]);
  });

  test('a retry after the create went through but its answer was lost yields exactly one CS issue, linked', async () => {
    const ss = await newTicket('Lost answer');
    const input = {
      opKey: `${ss}:R-07:cs-lost`,
      project: 'CS',
      issueType: 'Task',
      summary: 'Created, answer lost',
      description: 'made once',
      linkTo: ss,
      linkType: 'Relates',
    };
    // Jira creates the issue, then the answer is lost (a gateway timeout): the attempt knows no key.
    h.sandbox.setFault({
      service: 'jira',
      status: 503,
      method: 'POST',
      pathEnd: '/issue',
      afterApplying: true,
      count: 1,
    });
    const failure = await failureOf(h.run(jira.createLinkedIssue, input));
    expect(failure.nonRetryable).toBe(false);
    const made = () => h.sandbox.state().issues.filter((i) => i.summary === input.summary);
    expect(made()).toHaveLength(1);
    // Made with its link: the SS ticket shows the issue though the attempt failed.
    expect((await issue(ss)).links).toEqual([{ type: 'Relates', direction: 'outward', key: made()[0]!.key }]);

    // The retry runs at once, before search could see the issue (nor could it see the property).
    const result = await h.run(jira.createLinkedIssue, input);
    expect(made().map((i) => i.key)).toEqual([result.key]);
    expect((await issue(ss)).links.map((l) => l.key)).toEqual([result.key]);
  });

  test('linkIssues links "from duplicates to" once, even when called twice', async () => {
    const a = await newTicket('Duplicate one');
    const b = await newTicket('Original');
    await h.run(jira.linkIssues, {
      from: a,
      to: b,
      type: cfg.linkTypes.duplicate,
    });
    await h.run(jira.linkIssues, {
      from: a,
      to: b,
      type: cfg.linkTypes.duplicate,
    });
    expect((await issue(a)).links).toEqual([{ type: 'Duplicate', direction: 'outward', key: b }]);
    expect((await issue(b)).links).toEqual([{ type: 'Duplicate', direction: 'inward', key: a }]);
  });
});

describe('searches', () => {
  test('countOpenIssuesByAssignee counts open CS issues per config-team member (E-09)', async () => {
    const [riley, sasha, taylor] = roles.configTeam as [string, string, string];
    const ss = await newTicket('Workload');
    const keys: string[] = [];
    for (const [i, who] of [riley, riley, sasha, riley].entries()) {
      const { key } = await h.run(jira.createLinkedIssue, {
        opKey: `${ss}:workload:${i}`,
        project: 'CS',
        issueType: 'Task',
        summary: `Workload ${i}`,
        description: '',
        linkTo: ss,
        linkType: 'Relates',
      });
      await h.run(jira.assignIssue, { key, assignee: who });
      keys.push(key);
    }
    await h.run(jira.transitionIssue, { key: keys[3]!, to: cfg.statuses.done });

    const counts = await h.run(jira.countOpenIssuesByAssignee, {
      project: 'CS',
      assignees: [riley, sasha, taylor],
    });
    expect(counts).toEqual({ [riley]: 2, [sasha]: 1, [taylor]: 0 });
  });

  test('searchIssues returns key, summary, status, organization and reporter for a JQL query', async () => {
    const key = await newTicket('Searchable onboarding ticket');
    await h.run(jira.updateIssueFields, { key, organization: 'Search Org' });
    // As if the search lag had passed: this test is about the result's shape.
    h.sandbox.reindex();
    const hits = await h.run(jira.searchIssues, {
      jql: `project = SS AND summary ~ "Searchable onboarding"`,
    });
    expect(hits).toEqual([
      {
        key,
        summary: 'Searchable onboarding ticket',
        status: cfg.statuses.waitingForSupport,
        organization: 'Search Org',
        reporter: CUSTOMER,
      },
    ]);
  });
});

describe('faults', () => {
  test('a 429 with Retry-After fails retryable with nextRetryDelay of that many seconds', async () => {
    const key = await newTicket('Rate limited');
    await h.sandbox.setFault({
      service: 'jira',
      status: 429,
      retryAfterSeconds: 7,
      count: 1,
    });
    const failure = await failureOf(h.run(jira.readIssue, { key }));
    expect(failure.type).toBe(ActivityErrorType.RateLimited);
    expect(failure.nonRetryable).toBe(false);
    expect(delayMs(failure)).toBe(7000);
    // The fault was for one request: the retry succeeds.
    await expect(h.run(jira.readIssue, { key })).resolves.toMatchObject({
      key,
    });
  });

  test('a 503 fails retryable without a fixed delay (the retry policy backs off)', async () => {
    const key = await newTicket('Unavailable');
    await h.sandbox.setFault({ service: 'jira', status: 503 });
    try {
      const failure = await failureOf(
        h.run(jira.addComment, {
          key,
          body: 'x',
          public: false,
          opKey: `${key}:503`,
        }),
      );
      expect(failure.type).toBe(ActivityErrorType.Unavailable);
      expect(failure.nonRetryable).toBe(false);
      expect(failure.nextRetryDelay ?? undefined).toBeUndefined();
    } finally {
      await h.sandbox.clearFault('jira');
    }
    expect((await issue(key)).comments).toHaveLength(0);
  });
});
