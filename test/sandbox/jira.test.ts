/**
 * The sandbox's Jira, driven by jira.js exactly as production code would drive Jira Cloud. The
 * clients throw on any response that does not match jira.js's schema of the real API.
 */
import { isApiError } from 'jira.js';
import { defaultConfig } from '../../src/config/defaults';
import { STRICT_SETTINGS } from '../../src/sandbox/server';
import { AGENT, clients, CUSTOMER, eventsOf, startHarness, type Harness } from './setup';

let h: Harness;
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  h = await startHarness({ webhookEmails: true }); // old e-mail-based webhook assertions (Jira Cloud leaves them out)
  c = clients(h.sandbox);
});
afterAll(() => h.close());

async function statusOf(err: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await err;
  } catch (e) {
    if (isApiError(e)) return { status: e.status, body: e.body };
    throw e;
  }
  throw new Error('expected the call to fail');
}

const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

test('createIssue with a plain description goes through v2, getIssue returns v3 ADF, the custom fields read back in JSM shapes', async () => {
  const [qa] = await c.jira.userSearch.findUsers({
    query: 'cherish.sharma@sighten.io',
  });
  const created = await c.jira.issues.createIssue({
    fields: {
      project: { key: 'CS' },
      issuetype: { name: 'CS Ticket' },
      summary: 'Configure Summit Solar',
      description: 'Line one\nLine two\n\nSecond paragraph',
      labels: ['onboarding'],
      priority: { name: 'High' },
      customfield_10101: { accountId: qa!.accountId },
    },
    properties: [{ key: 'deskflow', value: { opKey: 'wf-1:E-08:create' } }],
  });
  expect(created.key).toMatch(/^CS-\d+$/);
  expect(created.self).toContain(`/rest/api/2/issue/${created.id}`);

  const issue = await c.jira.issues.getIssue({
    issueIdOrKey: created.key,
    properties: ['deskflow'],
  });
  const f = issue.fields as Record<string, any>;
  expect(f.summary).toBe('Configure Summit Solar');
  expect(f.description.type).toBe('doc');
  expect(f.status.name).toBe('To Do');
  expect(f.priority.name).toBe('High');
  expect(f.labels).toEqual(['onboarding']);
  expect(f.customfield_10101.emailAddress).toBe('cherish.sharma@sighten.io');
  expect(f.reporter.emailAddress).toBe(AGENT);
  expect(issue.properties).toEqual({ deskflow: { opKey: 'wf-1:E-08:create' } });

  const v2 = await fetch(`${h.sandbox.url}/rest/api/2/issue/${created.key}?fields=description,summary`, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${AGENT}:t`).toString('base64')}`,
    },
  }).then((r) => r.json() as Promise<{ fields: Record<string, unknown> }>);
  expect(v2.fields).toEqual({
    description: 'Line one\nLine two\n\nSecond paragraph',
    summary: 'Configure Summit Solar',
  });
});

test('editIssue sets request type, organization, needs-configuration option, reporter null and epic parent; bad values are 400 naming the field', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'Fields please',
    description: 'x',
    reporter: CUSTOMER,
  });
  const types = await c.desk.servicedesk.getRequestTypes({
    serviceDeskId: '1',
  });
  const tech = types.values!.find((t) => t.name === 'Technical Support')!;
  const org = await c.desk.organization.createOrganization({
    name: 'Acme Solar',
  });
  await c.jira.issues.editIssue({
    issueIdOrKey: key,
    fields: {
      customfield_10010: tech.id,
      customfield_10002: [Number(org.id)],
      customfield_10100: { value: 'None' },
      reporter: null,
    },
  });
  const issue = await c.jira.issues.getIssue({
    issueIdOrKey: key,
    fields: ['customfield_10010', 'customfield_10002', 'customfield_10100', 'reporter'],
  });
  const f = issue.fields as Record<string, any>;
  expect(f.customfield_10010.requestType).toMatchObject({
    id: tech.id,
    name: 'Technical Support',
  });
  expect(f.customfield_10002).toEqual([expect.objectContaining({ id: org.id, name: 'Acme Solar' })]);
  expect(f.customfield_10100).toMatchObject({ value: 'None' });
  expect(f.reporter).toBeNull();
  expect(h.sandbox.issue(key)).toMatchObject({
    requestType: 'Technical Support',
    organization: 'Acme Solar',
    reporter: null,
    needsConfiguration: 'None',
  });

  const epicSearch = await c.jira.issueSearch.searchAndReconsileIssuesUsingJql({
    jql: 'project = CS AND issuetype = Epic AND summary ~ "EverBright Configurations"',
    fields: ['summary'],
  });
  const epic = epicSearch.issues![0]!;
  const task = await c.jira.issues.createIssue({
    fields: {
      project: { key: 'CS' },
      issuetype: { name: 'Task' },
      summary: 'Child',
      parent: { key: epic.key! },
    },
  });
  expect(h.sandbox.issue(task.key)!.epic).toBe('EverBright Configurations CS Onboarding');

  const unknown = await statusOf(
    c.jira.issues.editIssue({
      issueIdOrKey: key,
      fields: { customfield_99999: 'x' },
    }),
  );
  expect(unknown.status).toBe(400);
  expect(unknown.body).toMatchObject({
    errors: { customfield_99999: expect.stringContaining('cannot be set') },
  });
  const badOption = await statusOf(
    c.jira.issues.editIssue({
      issueIdOrKey: key,
      fields: { customfield_10100: { value: 'Maybe' } },
    }),
  );
  expect(badOption).toMatchObject({
    status: 400,
    body: { errors: { customfield_10100: expect.stringContaining("'Maybe'") } },
  });
  const badComponent = await statusOf(
    c.jira.issues.editIssue({
      issueIdOrKey: task.key,
      fields: { components: [{ name: 'Nope Co' }] },
    }),
  );
  expect(badComponent).toMatchObject({
    status: 400,
    body: { errors: { components: expect.stringContaining('Nope Co') } },
  });
  await c.jira.projectComponents.createComponent({
    project: 'CS',
    name: 'Nope Co',
  });
  await c.jira.issues.editIssue({
    issueIdOrKey: task.key,
    update: {
      components: [{ add: { name: 'Nope Co' } }],
      labels: [{ add: 'x1' }],
    },
  });
  expect(h.sandbox.issue(task.key)).toMatchObject({
    components: ['Nope Co'],
    labels: ['x1'],
  });
  const missing = await statusOf(c.jira.issues.getIssue({ issueIdOrKey: 'SS-9999' }));
  expect(missing.status).toBe(404);
});

test('v2 and v3 comments, comment properties, and sd.public.comment internal notes', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'Comments',
    description: 'x',
    reporter: CUSTOMER,
  });
  const v2 = await c.jira.issueComments.addComment({
    issueIdOrKey: key,
    body: 'plain v2 body',
  });
  expect(v2.body).toEqual(expect.objectContaining({ type: 'doc' }));
  const internal = await c.jira.issueComments.addComment({
    issueIdOrKey: key,
    body: adf('internal note via v3') as never,
    properties: [
      { key: 'sd.public.comment', value: { internal: true } },
      { key: 'deskflow', value: { opKey: 'k-1' } },
    ],
  });
  expect(internal.jsdPublic).toBe(false);
  const page = await c.jira.issueComments.getComments({
    issueIdOrKey: key,
    expand: 'properties',
  });
  expect(page.total).toBe(2);
  const props = page.comments![1]!.properties!;
  expect(props).toEqual(expect.arrayContaining([{ key: 'deskflow', value: { opKey: 'k-1' } }]));
  const comments = h.sandbox.issue(key)!.comments;
  expect(comments.map((x) => [x.body, x.public, x.author])).toEqual([
    ['plain v2 body', true, AGENT],
    ['internal note via v3', false, AGENT],
  ]);
  const badV3 = await fetch(`${h.sandbox.url}/rest/api/3/issue/${key}/comment`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${AGENT}:t`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ body: 'a string is not ADF' }),
  });
  expect(badV3.status).toBe(400);
});

test('JSM request comments: public and internal, filtered by the public/internal flags, paged', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'JSM comments',
    description: 'x',
    reporter: CUSTOMER,
  });
  const pub = await c.desk.request.createRequestComment({
    issueIdOrKey: key,
    body: 'Hello customer',
    public: true,
  });
  const priv = await c.desk.request.createRequestComment({
    issueIdOrKey: key,
    body: 'Note to team',
    public: false,
  });
  expect(pub).toMatchObject({
    body: 'Hello customer',
    public: true,
    author: { emailAddress: AGENT },
  });
  expect(priv.public).toBe(false);
  const all = await c.desk.request.getRequestComments({ issueIdOrKey: key });
  expect(all.values!.map((x) => x.body)).toEqual(['Hello customer', 'Note to team']);
  expect(all).toMatchObject({ size: 2, start: 0, isLastPage: true });
  const onlyPublic = await c.desk.request.getRequestComments({
    issueIdOrKey: key,
    internal: false,
  });
  expect(onlyPublic.values!.map((x) => x.body)).toEqual(['Hello customer']);
  const onlyInternal = await c.desk.request.getRequestComments({
    issueIdOrKey: key,
    public: false,
  });
  expect(onlyInternal.values!.map((x) => x.body)).toEqual(['Note to team']);
  const firstPage = await c.desk.request.getRequestComments({
    issueIdOrKey: key,
    limit: 1,
  });
  expect(firstPage).toMatchObject({ size: 1, isLastPage: false });
});

test('permissions: user search finds only existing accounts; creating a customer needs Jira admin; a restricted desk takes only its customers as participants; watchers', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'People',
    description: 'x',
    reporter: CUSTOMER,
    participants: ['cc.person@acme-solar.com'],
  });
  expect(await c.jira.userSearch.findUsers({ query: 'priya.nair@goeverbright.com' })).toEqual([]);
  const denied = await statusOf(
    c.desk.customer.createCustomer({ email: 'priya.nair@goeverbright.com', displayName: 'Priya Nair' }),
  );
  expect(denied).toMatchObject({ status: 403, body: { errorMessage: expect.stringContaining('Jira Administrator') } });
  const bot = clients(h.sandbox, defaultConfig.jira.botEmail);
  await bot.desk.customer.createCustomer({ email: 'priya.nair@goeverbright.com', displayName: 'Priya Nair' });
  const [priya] = await c.jira.userSearch.findUsers({
    query: 'priya.nair@goeverbright.com',
  });
  expect(priya).toMatchObject({
    emailAddress: 'priya.nair@goeverbright.com',
    accountType: 'customer',
    displayName: 'Priya Nair',
  });
  // Restricted desk: a new customer is not one of the desk's customers until added (desk admin only).
  const notYet = await statusOf(
    c.desk.request.addRequestParticipants({ issueIdOrKey: key, accountIds: [priya!.accountId!] }),
  );
  expect(notYet).toMatchObject({ status: 400, body: { errorMessage: expect.stringContaining('not a customer') } });
  expect(
    await statusOf(c.desk.servicedesk.addCustomers({ serviceDeskId: '1', accountIds: [priya!.accountId!] })),
  ).toMatchObject({ status: 403 });
  await bot.desk.servicedesk.addCustomers({ serviceDeskId: '1', accountIds: [priya!.accountId!] });
  const [again] = await c.jira.userSearch.findUsers({
    query: 'PRIYA.NAIR@goeverbright.com',
  });
  expect(again!.accountId).toBe(priya!.accountId);
  expect(await c.jira.userSearch.findUsers({ query: 'nobody@example.invalid' })).toEqual([]);
  expect(await c.jira.userSearch.findUsers({ query: 'nobody.here@unknown-company.example' })).toEqual([]);
  const [agent] = await c.jira.userSearch.findUsers({ query: AGENT });
  expect(agent!.accountType).toBe('atlassian');

  const added = await c.desk.request.addRequestParticipants({
    issueIdOrKey: key,
    accountIds: [priya!.accountId!],
  });
  expect(added.values!.map((u) => u.emailAddress)).toEqual(['cc.person@acme-solar.com', 'priya.nair@goeverbright.com']);
  await c.desk.request.removeRequestParticipants({
    issueIdOrKey: key,
    accountIds: [priya!.accountId!],
  });
  await c.jira.issueWatchers.addWatcher({
    issueIdOrKey: key,
    body: agent!.accountId!,
  } as never);
  // A JSM customer may not browse issues in Jira, so cannot watch: not even the reporter is one.
  const [cc] = await c.jira.userSearch.findUsers({ query: 'cc.person@acme-solar.com' });
  const refused = await statusOf(c.jira.issueWatchers.addWatcher({ issueIdOrKey: key, body: cc!.accountId! } as never));
  expect(refused).toMatchObject({
    status: 400,
    body: { errorMessages: [expect.stringContaining('will not be added to the watch list')] },
  });
  const watchers = await c.jira.issueWatchers.getIssueWatchers({
    issueIdOrKey: key,
  });
  expect(watchers.watchers!.map((w) => w.emailAddress)).toEqual([AGENT]);
  expect(h.sandbox.issue(key)).toMatchObject({
    participants: ['cc.person@acme-solar.com'],
    watchers: [AGENT],
  });
  // Jira's browse-permission search tells who may watch: staff and partners working in Jira (EverBright's
  // people by default, though priya's account was made as a customer's), never a plain customer.
  const browsers = async (accountId: string) =>
    (await c.jira.userSearch.findUsersWithBrowsePermission({ accountId, issueKey: key })).map((u) => u.accountId);
  expect(await browsers(agent!.accountId!)).toEqual([agent!.accountId]);
  expect(await browsers(cc!.accountId!)).toEqual([]);
  expect(await browsers(priya!.accountId!)).toEqual([priya!.accountId]);
  h.sandbox.configure({ permissions: { partnerDomains: [] } });
  try {
    expect(await browsers(priya!.accountId!)).toEqual([]);
    expect(
      await statusOf(c.jira.issueWatchers.addWatcher({ issueIdOrKey: key, body: priya!.accountId! } as never)),
    ).toMatchObject({ status: 400 });
  } finally {
    h.sandbox.configure({ permissions: STRICT_SETTINGS.permissions });
  }
});

test('getTransitions lists every other status of the project; doTransition with a resolution; an unknown transition is 400', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'Transitions',
    description: 'x',
    reporter: CUSTOMER,
  });
  const { transitions } = await c.jira.issues.getTransitions({
    issueIdOrKey: key,
  });
  expect(transitions!.map((t) => t.to!.name).sort()).toEqual([
    'Closed',
    'In Progress',
    'On Hold',
    // "Mark resolved" (done category), from any open status (issue 9: a ticket resolved by hand in Jira).
    'Resolved',
    'Waiting for customer',
  ]);
  const close = transitions!.find((t) => t.to!.name === 'Closed')!;
  await c.jira.issues.doTransition({
    issueIdOrKey: key,
    transition: { id: close.id! },
    fields: { resolution: { name: "Won't Do" } },
  });
  expect(h.sandbox.issue(key)).toMatchObject({
    status: 'Closed',
    resolution: "Won't Do",
  });
  const bad = await statusOf(
    c.jira.issues.doTransition({
      issueIdOrKey: key,
      transition: { id: '999' },
    }),
  );
  expect(bad.status).toBe(400);
});

test('workflows: only transitions leaving the current status exist; a field only on its screen; no resolution unless the screen or a post-function sets it', async () => {
  const { key } = h.sandbox.createTicket({ summary: 'Workflow rules', description: 'x', reporter: CUSTOMER });
  const withFields = await c.jira.issues.getTransitions({ issueIdOrKey: key, expand: 'transitions.fields' });
  const resolve = withFields.transitions!.find((t) => t.to!.name === 'Closed')!;
  const pause = withFields.transitions!.find((t) => t.to!.name === 'On Hold')!;
  expect(resolve.hasScreen).toBe(true);
  expect((resolve.fields as any).resolution).toMatchObject({ required: true, operations: ['set'] });
  expect((resolve.fields as any).resolution.allowedValues.map((v: any) => v.name)).toContain('Done');
  expect(pause.fields).toEqual({});

  // A resolution on a screenless transition is refused, as is a screen transition without its required one.
  const screenless = await statusOf(
    c.jira.issues.doTransition({
      issueIdOrKey: key,
      transition: { id: pause.id! },
      fields: { resolution: { name: 'Done' } },
    }),
  );
  expect(screenless).toMatchObject({
    status: 400,
    body: { errors: { resolution: expect.stringContaining('screen') } },
  });
  const missing = await statusOf(c.jira.issues.doTransition({ issueIdOrKey: key, transition: { id: resolve.id! } }));
  expect(missing).toMatchObject({ status: 400, body: { errors: { resolution: expect.any(String) } } });
  expect(h.sandbox.issue(key)!.status).toBe('Waiting for support');

  // CS: Done's post-function sets the resolution; a transition the workflow lacks is 400; reopening clears it.
  const cs = await c.jira.issues.createIssue({
    fields: { project: { key: 'CS' }, issuetype: { name: 'Task' }, summary: 'Workflow CS', description: 'x' },
  });
  const csTransitions = async () => (await c.jira.issues.getTransitions({ issueIdOrKey: cs.key })).transitions!;
  const done = (await csTransitions()).find((t) => t.to!.name === 'Done')!;
  await c.jira.issues.doTransition({ issueIdOrKey: cs.key, transition: { id: done.id! } });
  expect(h.sandbox.issue(cs.key)).toMatchObject({ status: 'Done', resolution: 'Done' });
  expect((await csTransitions()).map((t) => t.to!.name)).toEqual(['To Do']);
  const start = await statusOf(c.jira.issues.doTransition({ issueIdOrKey: cs.key, transition: { id: '81' } }));
  expect(start.status).toBe(400);
  expect(() => h.sandbox.transition({ key: cs.key, to: 'In Progress' })).toThrow(/No transition from 'Done'/);
  h.sandbox.transition({ key: cs.key, to: 'To Do' });
  expect(h.sandbox.issue(cs.key)).toMatchObject({ status: 'To Do', resolution: null });
  // R-05: someone picking Won't Fix in the UI takes the transition whose screen asks for the resolution.
  h.sandbox.transition({ key: cs.key, to: 'Done', resolution: "Won't Fix" });
  expect(h.sandbox.issue(cs.key)).toMatchObject({ status: 'Done', resolution: "Won't Fix" });
  h.sandbox.transition({ key: cs.key, to: 'To Do' });

  // A workflow without a post-function leaves Done unresolved.
  h.sandbox.configure({
    workflows: { DEV: [{ id: '5', name: 'Finish', to: 'Done', from: ['To Do'], screen: [] }] },
  });
  try {
    const dev = await c.jira.issues.createIssue({
      fields: { project: { key: 'DEV' }, issuetype: { name: 'Bug' }, summary: 'No post-function', description: 'x' },
    });
    await c.jira.issues.doTransition({ issueIdOrKey: dev.key, transition: { id: '5' } });
    expect(h.sandbox.issue(dev.key)).toMatchObject({ status: 'Done', resolution: null });
  } finally {
    h.sandbox.configure({ workflows: { DEV: STRICT_SETTINGS.workflows.DEV! } });
  }
});

test('linkIssues: the request inwardIssue is the source ("SS duplicates SS"), shown on both sides; link types list', async () => {
  const a = h.sandbox.createTicket({
    summary: 'Approval dup',
    description: 'x',
    reporter: CUSTOMER,
  }).key;
  const b = h.sandbox.createTicket({
    summary: 'Original',
    description: 'x',
    reporter: CUSTOMER,
  }).key;
  const { issueLinkTypes } = await c.jira.issueLinkTypes.getIssueLinkTypes();
  expect(issueLinkTypes!.map((t) => t.name)).toEqual(expect.arrayContaining(['Duplicate', 'Relates']));
  await c.jira.issueLinks.linkIssues({
    type: { name: 'Duplicate' },
    inwardIssue: { key: a },
    outwardIssue: { key: b },
  });
  expect(h.sandbox.issue(a)!.links).toEqual([{ type: 'Duplicate', direction: 'outward', key: b }]);
  expect(h.sandbox.issue(b)!.links).toEqual([{ type: 'Duplicate', direction: 'inward', key: a }]);
  const got = await c.jira.issues.getIssue({
    issueIdOrKey: a,
    fields: ['issuelinks'],
  });
  expect((got.fields as any).issuelinks[0].outwardIssue).toMatchObject({
    key: b,
    fields: { status: { name: 'Waiting for support' } },
  });
});

test('enhanced JQL search: clauses, nextPageToken paging without total, ids only by default, unknown field is 400', async () => {
  const me = await c.jira.myself.getCurrentUser();
  const keys = ['Search one', 'Search two', 'Search three'].map(
    (s) =>
      h.sandbox.createTicket({
        summary: s,
        description: 'findme',
        reporter: CUSTOMER,
      }).key,
  );
  await c.jira.issues.assignIssue({
    issueIdOrKey: keys[0]!,
    accountId: me.accountId!,
  });
  await c.jira.issueProperties.setIssueProperty({
    issueIdOrKey: keys[1]!,
    propertyKey: 'deskflow',
    body: { opKey: 'wf:S-10:ack' },
  });

  // The index has caught up with these writes (as if the search lag had passed).
  h.sandbox.reindex();

  const idsOnly = await c.jira.issueSearch.searchAndReconsileIssuesUsingJql({
    jql: `key = ${keys[0]}`,
  });
  expect(idsOnly.issues).toEqual([{ id: expect.any(String) }]);
  expect(idsOnly).not.toHaveProperty('total');

  const q = async (jql: string) =>
    (
      await c.jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
        jql,
        fields: ['summary'],
      })
    )
      .issues!.map((i) => i.key)
      .sort();
  expect(await q(`assignee = "${me.accountId}" AND project = SS`)).toContain(keys[0]);
  // An entity property is searchable only when an app registered it for indexing.
  expect(await statusOf(q(`issue.property[deskflow].opKey = "wf:S-10:ack"`))).toMatchObject({ status: 400 });
  h.sandbox.configure({ searchableProperties: ['deskflow'] });
  expect(await q(`issue.property[deskflow].opKey = "wf:S-10:ack"`)).toEqual([keys[1]]);
  h.sandbox.configure({ searchableProperties: [] });
  expect(await q(`key in (${keys.join(', ')}) AND summary ~ "three"`)).toEqual([keys[2]]);
  expect(
    await q(
      `project = SS AND statusCategory != Done AND status = "Waiting for support" AND summary ~ "Search" ORDER BY created DESC`,
    ),
  ).toEqual([...keys].sort());
  expect(await q(`issuetype = Epic`)).toHaveLength(1);

  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await c.jira.issueSearch.searchAndReconsileIssuesUsingJql({
      jql: 'summary ~ "Search"',
      maxResults: 2,
      nextPageToken: token,
      fields: ['summary'],
    });
    seen.push(...page.issues!.map((i) => i.key!));
    token = page.nextPageToken ?? undefined;
    pages += 1;
    if (!token) expect(page.isLast).toBe(true);
  } while (token);
  expect(pages).toBe(2);
  expect(seen.sort()).toEqual([...keys].sort());

  const bad = await statusOf(
    c.jira.issueSearch.searchAndReconsileIssuesUsingJql({
      jql: 'nosuchfield = 1',
    }),
  );
  expect(bad).toMatchObject({
    status: 400,
    body: { errorMessages: [expect.stringContaining("'nosuchfield'")] },
  });
});

test('enhanced search lags writes by the configured time unless the issue ids are reconciled', async () => {
  let clock = new Date('2027-05-03T10:00:00.000Z');
  const lagging = await startHarness({ now: () => clock, settings: { searchLagMs: 2000 } });
  try {
    const lc = clients(lagging.sandbox);
    const { key } = lagging.sandbox.createTicket({ summary: 'Fresh lag ticket', description: 'x', reporter: CUSTOMER });
    const search = async (reconcileIssues?: number[]) =>
      (
        await lc.jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
          jql: 'summary ~ "Fresh lag"',
          fields: ['summary', 'assignee'],
          ...(reconcileIssues ? { reconcileIssues } : {}),
        })
      ).issues!.map((i) => i.key);
    expect(await search()).toEqual([]);
    const id = Number(lagging.sandbox.issue(key)!.id);
    expect(await search([id])).toEqual([key]);
    clock = new Date(clock.getTime() + 1999);
    expect(await search()).toEqual([]);
    clock = new Date(clock.getTime() + 1);
    expect(await search()).toEqual([key]);

    // A later write is matched as it was until it too is indexed; GET is always current.
    const me = await lc.jira.myself.getCurrentUser();
    await lc.jira.issues.assignIssue({ issueIdOrKey: key, accountId: me.accountId! });
    const mine = `summary ~ "Fresh lag" AND assignee = "${me.accountId}"`;
    const hits = async (reconcileIssues?: number[]) =>
      (
        await lc.jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
          jql: mine,
          fields: ['summary'],
          ...(reconcileIssues ? { reconcileIssues } : {}),
        })
      ).issues!.length;
    expect(await hits()).toBe(0);
    expect(await hits([id])).toBe(1);
    expect(
      ((await lc.jira.issues.getIssue({ issueIdOrKey: key, fields: ['assignee'] })).fields as any).assignee.accountId,
    ).toBe(me.accountId);
    clock = new Date(clock.getTime() + 2000);
    expect(await hits()).toBe(1);
  } finally {
    await lagging.close();
  }
});

test('JSM status rules: a public staff reply waits for the customer, a customer reply waits for support, internal notes change nothing', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'Status rules',
    description: 'x',
    reporter: CUSTOMER,
  });
  await c.desk.request.createRequestComment({
    issueIdOrKey: key,
    body: 'internal',
    public: false,
  });
  expect(h.sandbox.issue(key)!.status).toBe('Waiting for support');
  await c.desk.request.createRequestComment({
    issueIdOrKey: key,
    body: 'We are on it',
    public: true,
  });
  expect(h.sandbox.issue(key)!.status).toBe('Waiting for customer');
  h.sandbox.addComment({ key, by: CUSTOMER, body: 'Thanks, any news?' });
  expect(h.sandbox.issue(key)!.status).toBe('Waiting for support');
  h.sandbox.transition({ key, to: 'Closed', resolution: 'Done' });
  h.sandbox.addComment({ key, by: CUSTOMER, body: 'One more thing' });
  expect(h.sandbox.issue(key)).toMatchObject({
    status: 'Closed',
    resolution: 'Done',
  });
});

test('E-08: Needs Configuration = Integrated Finance creates the linked CS ticket and a public initial response, each with its webhook', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'EverBright - New Partner Onboarding',
    description: 'Installer name: Summit Solar Co',
    reporter: 'onboarding@goeverbright.com',
  });
  await h.sandbox.webhooksIdle();
  const before = h.receiver.deliveries.length;
  await c.jira.issues.editIssue({
    issueIdOrKey: key,
    fields: { customfield_10100: { value: 'Integrated Finance' } },
  });
  const ss = h.sandbox.issue(key)!;
  expect(ss.links).toHaveLength(1);
  expect(ss.links[0]!).toMatchObject({ type: 'Relates', direction: 'outward' });
  const cs = h.sandbox.issue(ss.links[0]!.key)!;
  expect(cs).toMatchObject({
    project: 'CS',
    issueType: 'CS Ticket',
    summary: 'EverBright - New Partner Onboarding',
    status: 'To Do',
  });
  expect(ss.comments).toEqual([expect.objectContaining({ author: 'automation@sighten.io', public: true })]);
  await h.sandbox.webhooksIdle();
  const events = eventsOf(h.receiver).slice(before);
  expect(events).toEqual([
    `jira:issue_updated ${key}`,
    'issuelink_created',
    `jira:issue_created ${cs.key}`,
    `comment_created ${key}`,
    `jira:issue_updated ${key}`,
  ]);
  const updated = h.receiver.deliveries[before]!.body as any;
  expect(updated.changelog.items).toEqual([
    expect.objectContaining({
      field: 'Needs Configuration?',
      fieldtype: 'custom',
      fieldId: 'customfield_10100',
      toString: 'Integrated Finance',
    }),
  ]);
  expect(updated.user.emailAddress).toBe(AGENT);
  const link = h.receiver.deliveries[before + 1]!.body as any;
  expect(link.issueLink).toMatchObject({
    sourceIssueId: Number(ss.id),
    destinationIssueId: Number(cs.id),
    issueLinkType: { name: 'Relates' },
  });
  const csCreated = h.receiver.deliveries[before + 2]!.body as any;
  expect(csCreated.issue.fields.project.key).toBe('CS');
  // Created already linked (as Jira's create with update.issuelinks): the relay can name the owning SS ticket.
  expect(JSON.stringify(csCreated.issue.fields.issuelinks)).toContain(key);
  const comment = h.receiver.deliveries[before + 3]!.body as any;
  // The desk's automation is an app account with no e-mail address, as in Jira Cloud (issue 9).
  expect(comment.comment).toMatchObject({
    jsdPublic: true,
    author: { accountType: 'app', displayName: 'Automation for Jira' },
  });
  expect(comment.comment.author).not.toHaveProperty('emailAddress');
  // Jira Cloud trims a comment event's issue to a few fields (no links).
  expect(Object.keys(comment.issue.fields).sort()).toEqual([
    'assignee',
    'issuetype',
    'priority',
    'project',
    'status',
    'summary',
  ]);
  expect(h.sandbox.issue(key)!.links).toEqual([{ type: 'Relates', direction: 'outward', key: cs.key }]);
});

test('Basic auth is required: no or malformed credentials are 401', async () => {
  const none = await fetch(`${h.sandbox.url}/rest/api/3/myself`);
  expect(none.status).toBe(401);
  const bearer = await fetch(`${h.sandbox.url}/rest/api/3/myself`, {
    headers: { Authorization: 'Bearer abc' },
  });
  expect(bearer.status).toBe(401);
  const me = await clients(h.sandbox, 'someone.new@sighten.io').jira.myself.getCurrentUser();
  expect(me).toMatchObject({
    emailAddress: 'someone.new@sighten.io',
    accountType: 'atlassian',
  });
});
