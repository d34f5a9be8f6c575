/**
 * Issue 9, switching deskflow on for a desk that already has open tickets: a sandbox holding 50 tickets in
 * mixed states from before deskflow; `deskflow adopt --jql 'project = SS AND statusCategory != Done'` posts
 * no acknowledgement, no reassignment and no SLA alert on any ticket that already had them; only the
 * untouched tickets run intake; a ticket with an open CS issue waits for it; closed tickets are not touched.
 */
import { parseScenario } from '../../src/scenario/format';
import { runScenario } from '../../src/scenario/runner';
import { statusQuery, type TicketStatus } from '../../src/workflows/messages';
import { ticketWorkflowId } from '../../src/workflows/ids';

const AGENTS = ['alex.morgan@sighten.io', 'jamie.chen@sighten.io', 'robin.diaz@sighten.io'];

interface Group {
  name: string;
  count: number;
  existing: (i: number) => Record<string, unknown>;
  expect: (i: number) => Record<string, unknown>;
}

const agent = (i: number) => AGENTS[i % AGENTS.length] as string;
const reply = (i: number, ago = 'P1D') => ({ by: agent(i), body: `Thanks, we are looking into it (${i}).`, ago });

const GROUPS: Group[] = [
  {
    name: 'assigned and answered, waiting for the customer',
    count: 12,
    existing: (i) => ({ createdAgo: 'P3D', status: 'Waiting for customer', assignee: agent(i), comments: [reply(i)] }),
    expect: (i) => ({ assignee: agent(i), commentCount: { public: 1 }, status: 'Waiting for customer' }),
  },
  {
    name: 'assigned, in progress, not answered yet (first response overdue before deskflow)',
    count: 10,
    existing: (i) => ({ createdAgo: 'P2D', status: 'In Progress', assignee: agent(i) }),
    expect: (i) => ({ assignee: agent(i), commentCount: { public: 0 } }),
  },
  {
    name: 'answered, then the customer replied',
    count: 8,
    existing: (i) => ({
      createdAgo: 'P4D',
      assignee: agent(i),
      comments: [reply(i, 'P3D'), { by: 'reporter', body: 'It still happens on the second proposal.', ago: 'P2D' }],
    }),
    expect: (i) => ({ assignee: agent(i), commentCount: { public: 2 } }),
  },
  {
    name: 'closed or resolved',
    count: 6,
    existing: (i) => ({
      createdAgo: 'P10D',
      status: i % 2 ? 'Closed' : 'Resolved',
      resolution: 'Done',
      assignee: agent(i),
      comments: [reply(i, 'P9D')],
    }),
    expect: (i) => ({ status: i % 2 ? 'Closed' : 'Resolved', commentCount: { public: 1 }, assignee: agent(i) }),
  },
  {
    name: 'untouched: arrived half an hour ago, before the switch-on',
    count: 6,
    existing: () => ({ createdAgo: 'PT30M' }),
    expect: () => ({
      assignee: 'role:onDutyAgents',
      comments: [{ public: true, contains: 'we have received your request' }],
    }),
  },
  {
    name: 'answered, with an open CS issue',
    count: 4,
    existing: (i) => ({ createdAgo: 'P5D', status: 'Waiting for customer', assignee: agent(i), comments: [reply(i)] }),
    expect: (i) => ({ assignee: agent(i), commentCount: { public: 1 } }),
  },
  {
    name: 'answered by someone, nobody assigned',
    count: 4,
    existing: (i) => ({ createdAgo: 'P2D', status: 'Waiting for customer', comments: [reply(i)] }),
    expect: () => ({ assignee: null, commentCount: { public: 1 } }),
  },
];

test('adopt --jql on a desk with 50 open tickets in mixed states: nothing said or done twice', async () => {
  const tickets: { ref: string; group: Group; i: number }[] = [];
  const inputs: Record<string, unknown>[] = [];
  for (const group of GROUPS) {
    for (let i = 0; i < group.count; i++) {
      const n = tickets.length + 1;
      tickets.push({ ref: n === 1 ? 'ticket' : `ticket#${n}`, group, i });
      inputs.push({
        summary: 'How do I add a second user to our account?',
        description: 'We hired a new designer. How can I give her a login to Sighten?',
        reporter: `customer${n}@sunpeaksolar.com`,
        existing: group.existing(i),
      });
    }
  }
  expect(tickets).toHaveLength(50);
  const withCs = tickets.filter((t) => t.group.name.includes('CS issue'));
  const expectations: Record<string, unknown> = {
    noSlack: [{ contains: 'SLA' }, { to: 'role:supportSupervisor' }],
    slackCount: 0,
  };
  for (const t of tickets) expectations[t.ref] = t.group.expect(t.i);
  const untouchedNow = Object.fromEntries(
    tickets.filter((t) => t.group.name.startsWith('untouched')).map((t) => [t.ref, t.group.expect(t.i)]),
  );

  const scenario = parseScenario(
    {
      name: 'go-live with 50 open tickets',
      start: { weekday: 'Tuesday', time: '10:00' },
      config: { calendar: { holidays: 'none' } },
      ticket: inputs[0],
      steps: [
        ...inputs.slice(1).map((ticket) => ({ ticket })),
        // Jira's search index lags writes by a few seconds; these tickets were there long before go-live.
        { wait: 'PT1M' },
        { cli: ['adopt', '--jql', 'project = SS AND statusCategory != Done'] },
        // At once, not at the next queue sweep (20 minutes later): the untouched tickets are assigned and acknowledged.
        { expect: untouchedNow },
        { wait: 'PT1H' },
        { expect: expectations },
        { wait: 'PT1M' },
      ],
    },
    'adopt-go-live',
  );
  const cliStep = inputs.length + 1; // after the 49 ticket steps and the wait
  const stages: Record<string, TicketStatus['stage']> = {};
  const closedRuns: string[] = [];
  const auth = `Basic ${Buffer.from('sandbox.agent@sighten.io:token').toString('base64')}`;
  const result = await runScenario(scenario, {
    beforeStep: async (n, run) => {
      if (n === cliStep) {
        // CS issues opened by hand in Jira before go-live, linked to their SS tickets.
        for (const t of withCs) {
          const post = async (path: string, body: unknown) => {
            const res = await fetch(`${run.sandboxUrl}${path}`, {
              method: 'POST',
              headers: { authorization: auth, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
            expect(res.status).toBeLessThan(300);
            return res.status === 201 ? ((await res.json().catch(() => ({}))) as { key?: string }) : {};
          };
          const cs = await post('/rest/api/2/issue', {
            fields: { project: { key: 'CS' }, issuetype: { name: 'CS Ticket' }, summary: 'Template change' },
          });
          await post('/rest/api/2/issueLink', {
            type: { name: 'Relates' },
            inwardIssue: { key: run.issueKey(t.ref) },
            outwardIssue: { key: cs.key },
          });
        }
      }
      if (n === cliStep + 4) {
        for (const t of tickets) {
          const key = run.issueKey(t.ref) as string;
          const handle = run.client.workflow.getHandle(ticketWorkflowId(key));
          const d = await handle.describe().catch(() => null);
          if (!d) continue;
          if (d.status.name !== 'RUNNING') closedRuns.push(key);
          else stages[key] = (await handle.query(statusQuery)).stage;
        }
      }
    },
  });
  expect(result.failures).toEqual([]);
  // A ticket with an open CS issue waits for it; closed ones started nothing (their runs were never started).
  for (const t of withCs) expect(stages[`SS-${tickets.indexOf(t) + 1}`]).toBe('awaiting-cs');
  const closed = tickets.filter((t) => t.group.name.startsWith('closed')).map((t) => `SS-${tickets.indexOf(t) + 1}`);
  for (const key of closed) expect(stages[key]).toBeUndefined();
  expect(closedRuns).toEqual([]);
}, 300_000);
