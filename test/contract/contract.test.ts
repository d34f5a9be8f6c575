/**
 * Contract tests: webhook and REST bodies shaped as Jira Cloud sends them (test/contract/fixtures, written
 * from Atlassian's public documentation and the shape of payloads from live sites), run through the
 * relay's parser and mapping and through the activities' response handling — without the sandbox. Where
 * the sandbox and a fixture disagree, the fixture wins (the last test holds the sandbox to it).
 */
import { readFileSync } from 'node:fs';
import { mapWebhook } from '../../src/client/relay/mapping';
import { parseWebhook } from '../../src/client/relay/payload';
import { defaultConfig } from '../../src/config/defaults';
import type { JiraClients } from '../../src/activities/clients';
import { createJiraActivities } from '../../src/activities/jira';
import { startSandbox } from '../../src/sandbox/server';

type Json = Record<string, any>;

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Json;
}

const map = (body: unknown) => mapWebhook(parseWebhook(body), defaultConfig);

describe('webhooks through the relay parser and mapping', () => {
  test('jira:issue_created for an SS request becomes the ticket-created signal (people by account id: no emailAddress)', () => {
    expect(map(fixture('webhook-issue-created'))).toMatchObject({
      action: 'deliver',
      deliveries: [
        {
          ticket: 'SS-12',
          kind: 'created',
          event: {
            key: 'SS-12',
            summary: 'How do I add a second roof plane?',
            description: 'I cannot find the button for a second roof plane.',
            reporter: null,
            reporterAccountId: 'qm:8f3e2c1a-5b7d-4e9f-a1c3-6d2b8e4f0a97:1c2d3e4f',
            // The request participant (customfield_10001), named by account only: the workflow looks it up.
            participants: [],
            participantAccountIds: ['qm:8f3e2c1a-5b7d-4e9f-a1c3-6d2b8e4f0a97:9a8b7c6d'],
            created: '2026-11-18T09:10:00.000Z',
          },
        },
      ],
    });
  });

  test('comment_created with a trimmed issue.fields and no top-level user becomes a comment signal', () => {
    const body = fixture('webhook-comment-created');
    expect(body.user).toBeUndefined();
    expect(map(body)).toEqual({
      action: 'deliver',
      deliveries: [
        {
          ticket: 'SS-12',
          kind: 'comment',
          event: {
            commentId: '10873',
            author: null,
            authorAccountId: 'qm:8f3e2c1a-5b7d-4e9f-a1c3-6d2b8e4f0a97:1c2d3e4f',
            authorKind: 'customer',
            body: 'Any news on this? We still cannot see the second roof plane.',
            public: true,
            byStaff: false,
            created: '2026-11-18T11:20:00.000Z',
          },
        },
      ],
    });
  });

  test('jira:issue_updated of a linked CS issue with a status changelog reaches the owning SS ticket, with its time', () => {
    // Identity fields (by, byAccountId, byKind) are the relay's account-id rules; here the status and time count.
    expect(map(fixture('webhook-issue-updated-status'))).toMatchObject({
      action: 'deliver',
      deliveries: [
        {
          ticket: 'SS-12',
          kind: 'linked',
          event: {
            key: 'CS-7',
            project: 'CS',
            status: 'Done',
            from: 'In Progress',
            byAccountId: '712020:3b9c1d2e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
            at: new Date(1795004400000).toISOString(),
          },
        },
      ],
    });
  });
});

/** jira.js clients answering from fixtures and recording what was sent. */
function stubClients(answers: {
  users?: Record<string, string>;
  search?: Json[];
  transitions?: Json;
  status?: string;
}) {
  const sent: { method: string; input: Json }[] = [];
  let page = 0;
  const record = (method: string, answer: (input: Json) => unknown) => (input: Json) => {
    sent.push({ method, input });
    return Promise.resolve(answer(input));
  };
  const clients = {
    cloud: {
      userSearch: {
        findUsers: record('findUsers', ({ query }) => {
          const id = answers.users?.[String(query).toLowerCase()];
          return id ? [{ accountId: id, displayName: String(query), accountType: 'atlassian', active: true }] : [];
        }),
      },
      issueSearch: {
        searchAndReconsileIssuesUsingJqlPost: record(
          'search',
          () => answers.search?.[page++] ?? { issues: [], isLast: true },
        ),
      },
      issues: {
        getIssue: record('getIssue', () => ({
          id: '10421',
          key: 'SS-12',
          fields: { status: { name: answers.status } },
        })),
        getTransitions: record('getTransitions', () => answers.transitions),
        doTransition: record('doTransition', () => undefined),
      },
    },
    serviceDesk: {},
    agile: {},
  } as unknown as JiraClients;
  return { clients, sent };
}

const deps = { config: defaultConfig, jira: { host: 'https://example-desk.atlassian.net', email: 'x', apiToken: 'y' } };

describe('REST responses through the activities', () => {
  test('countOpenIssuesByAssignee reads the enhanced search pages (nextPageToken, isLast, no total); users without e-mail count by account id', async () => {
    const [riley, sasha, taylor] = defaultConfig.roles.configTeam as [string, string, string];
    const { clients, sent } = stubClients({
      users: {
        [riley]: '712020:3b9c1d2e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
        [sasha]: '712020:7d6c5b4a-3f2e-1d0c-9b8a-7f6e5d4c3b2a',
      },
      search: [fixture('rest-search-jql'), fixture('rest-search-jql-last')],
    });
    const jira = createJiraActivities(deps, clients);
    expect(await jira.countOpenIssuesByAssignee({ project: 'CS', assignees: [riley, sasha, taylor] })).toEqual({
      [riley]: 2,
      [sasha]: 2,
      [taylor]: 0,
    });
    const searches = sent.filter((s) => s.method === 'search').map((s) => s.input);
    expect(searches).toHaveLength(2);
    expect(searches[1]!.nextPageToken).toBe('CAEaAggD');
  });

  test('transitionIssue sends the resolution by id where the screen has it (SS Resolve) and not where it has none (CS Done)', async () => {
    const ss = stubClients({ transitions: fixture('rest-transitions-ss-fields'), status: 'Waiting for support' });
    await createJiraActivities(deps, ss.clients).transitionIssue({
      key: 'SS-12',
      to: 'Closed',
      resolution: "Won't Do",
    });
    expect(ss.sent.find((s) => s.method === 'getTransitions')!.input.expand).toBe('transitions.fields');
    expect(ss.sent.find((s) => s.method === 'doTransition')!.input).toEqual({
      issueIdOrKey: 'SS-12',
      transition: { id: '781' },
      fields: { resolution: { id: '10001' } },
    });

    const cs = stubClients({ transitions: fixture('rest-transitions-cs-fields'), status: 'In Progress' });
    await createJiraActivities(deps, cs.clients).transitionIssue({ key: 'CS-7', to: 'Done', resolution: 'Done' });
    expect(cs.sent.find((s) => s.method === 'doTransition')!.input).toEqual({
      issueIdOrKey: 'CS-7',
      transition: { id: '31' },
    });
  });
});

describe('the sandbox against the fixtures', () => {
  test("comment_created: the sandbox sends Jira's trimmed issue.fields and no top-level user", async () => {
    const bodies: Json[] = [];
    const { createServer } = await import('node:http');
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    const sandbox = await startSandbox({ port: 0, webhookUrl: `http://127.0.0.1:${port}/webhooks/jira` });
    try {
      const { key } = sandbox.createTicket({
        summary: 'Trimmed',
        description: 'x',
        reporter: 'pat.customer@acme-solar.com',
      });
      sandbox.addComment({ key, by: 'pat.customer@acme-solar.com', body: 'hello' });
      await sandbox.webhooksIdle();
      const fromSandbox = bodies.find((b) => b.webhookEvent === 'comment_created')!;
      const real = fixture('webhook-comment-created');
      expect(Object.keys(fromSandbox).sort()).toEqual(Object.keys(real).sort());
      expect(Object.keys(fromSandbox.issue.fields).sort()).toEqual(Object.keys(real.issue.fields).sort());
      expect(Object.keys(fromSandbox.comment).sort()).toEqual(expect.arrayContaining(Object.keys(real.comment).sort()));
    } finally {
      await sandbox.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  test('transitions with expand=transitions.fields: the sandbox answers in the fixture shape', async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      const { key } = sandbox.createTicket({
        summary: 'Shape',
        description: 'x',
        reporter: 'pat.customer@acme-solar.com',
      });
      const res = await fetch(`${sandbox.url}/rest/api/3/issue/${key}/transitions?expand=transitions.fields`, {
        headers: { Authorization: `Basic ${Buffer.from('alex.morgan@sighten.io:t').toString('base64')}` },
      });
      const body = (await res.json()) as Json;
      const real = fixture('rest-transitions-ss-fields');
      const resolve = body.transitions.find((t: Json) => t.to.name === 'Closed');
      const realResolve = real.transitions.find((t: Json) => t.to.name === 'Closed');
      expect(Object.keys(resolve).sort()).toEqual(Object.keys(realResolve).sort());
      expect(Object.keys(resolve.fields.resolution).sort()).toEqual(Object.keys(realResolve.fields.resolution).sort());
      const screenless = body.transitions.find((t: Json) => t.to.name === 'Waiting for customer');
      expect(screenless.fields).toEqual({});
    } finally {
      await sandbox.close();
    }
  });
});
