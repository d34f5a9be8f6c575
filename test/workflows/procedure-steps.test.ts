/**
 * Procedure steps checked on the time-skipping server with recording activities, where a scenario
 * cannot tell them yet: R-05's resolution of the linked DEV issue (the scenario format's transition
 * `resolution` is being added elsewhere), and the waits where a customer's message must reach someone.
 */
import type { Classification, DeskflowActivities, IssueSnapshot } from '../../src/activities/contract';
import { defaultConfig } from '../../src/config/defaults';
import {
  commentAddedSignal,
  escalateBugUpdate,
  linkedIssueChangedSignal,
  statusQuery,
} from '../../src/workflows/messages';
import {
  publicComments,
  slackMessages,
  useRecordingWorkflows,
  type RecordedCall,
} from '../helpers/recording-activities';

const t = useRecordingWorkflows();

async function startTicket(
  key: string,
  classification: Classification,
  issue: Partial<IssueSnapshot> = {},
  override: (calls: RecordedCall[]) => Partial<DeskflowActivities> = () => ({}),
) {
  // The same object: a test may add an attachment to the issue while the ticket runs.
  const ticket = await t.startTicket(key, classification, { issue, override });
  return { ...ticket, slack: () => slackMessages(ticket.calls), publicComments: () => publicComments(ticket.calls) };
}

let commentIds = 0;
function customerComment(body: string, author = 'pat@customer.example') {
  return {
    commentId: `c${++commentIds}`,
    author,
    body,
    public: true,
    byStaff: false,
    created: new Date().toISOString(),
  };
}

const agent = defaultConfig.roles.onDutyAgents[0] as string;
const techBug: Classification = {
  route: 'tech.bug',
  requestType: 'Technical Support',
  confidence: 0.9,
  reasons: ['something does not work'],
};

describe("R-05: the DEV issue's resolution decides what the customer hears", () => {
  test.each(["Won't Fix", 'Cannot Reproduce', 'Duplicate'])(
    'closed as %s: the agent hears of it on Slack, the customer is not told it was fixed, the ticket is back with support',
    async (resolution) => {
      const key = `SS-5${['W', 'C', 'D'].indexOf(resolution[0] as string)}1`;
      const { worker, handle, slack, publicComments } = await startTicket(key, techBug);
      await worker.runUntil(async () => {
        await t.env.sleep('5 minutes');
        await handle.executeUpdate(escalateBugUpdate, { args: [{ steps: '1. open 2. click', by: agent }] });
        await t.env.sleep('5 minutes');
        expect((await handle.query(statusQuery)).stage).toBe('awaiting-bug-fix');
        await handle.signal(linkedIssueChangedSignal, {
          key: 'DEV-9',
          project: 'DEV',
          status: 'Done',
          from: 'In Progress',
          by: 'dev@sighten.io',
          resolution,
        });
        await t.env.sleep('5 minutes');
        const status = await handle.query(statusQuery);
        expect(status.stage).toBe('with-support');
        expect(slack()).toContainEqual(
          expect.objectContaining({ to: agent, text: expect.stringContaining(`DEV-9 was closed as ${resolution}`) }),
        );
        expect(publicComments().some((b) => /fixed/i.test(b))).toBe(false);
        // No close without the agent: a business day later the ticket is still open.
        await t.env.sleep('1 day');
        expect((await handle.query(statusQuery)).stage).toBe('with-support');
      });
    },
    60_000,
  );

  test('closed as Done or Fixed: the customer is told it was fixed (S-15)', async () => {
    const { worker, handle, slack, publicComments } = await startTicket('SS-561', techBug);
    await worker.runUntil(async () => {
      await t.env.sleep('5 minutes');
      await handle.executeUpdate(escalateBugUpdate, { args: [{ steps: '1. open 2. click', by: agent }] });
      await t.env.sleep('5 minutes');
      await handle.signal(linkedIssueChangedSignal, {
        key: 'DEV-9',
        project: 'DEV',
        status: 'Done',
        from: 'In Progress',
        by: 'dev@sighten.io',
        resolution: 'Fixed',
      });
      await t.env.sleep('5 minutes');
      expect((await handle.query(statusQuery)).stage).toBe('awaiting-confirmation');
      expect(publicComments().at(-1)).toMatch(/development team has fixed/);
      expect(slack().filter((m) => /closed as/.test(m.text))).toEqual([]);
    });
  }, 60_000);
});

describe('no reply reaches nobody', () => {
  test('S-03: a customer message while the ticket waits for triage reaches the assignee on Slack', async () => {
    const unsure: Classification = {
      route: 'general.other',
      requestType: 'General Inquiry',
      confidence: 0.1,
      reasons: [],
    };
    const { worker, handle, slack } = await startTicket('SS-571', unsure);
    await worker.runUntil(async () => {
      await t.env.sleep('5 minutes');
      expect((await handle.query(statusQuery)).stage).toBe('awaiting-triage');
      await handle.signal(commentAddedSignal, customerComment('Any news? We need this before Friday.'));
      await t.env.sleep('1 minute');
      expect(slack()).toContainEqual(
        expect.objectContaining({ to: agent, text: expect.stringMatching(/waiting for triage.*Any news\?/s) }),
      );
      expect((await handle.query(statusQuery)).stage).toBe('awaiting-triage');
    });
  }, 60_000);

  test('R-04: a message from the lead while the sales lead has not made contact reaches the assignee; the reminder keeps its time', async () => {
    const lead: Classification = { route: 'sales.lead', requestType: 'Sales Inquiry', confidence: 0.9, reasons: [] };
    const { worker, handle, slack } = await startTicket('SS-572', lead);
    await worker.runUntil(async () => {
      await t.env.sleep('5 minutes');
      expect((await handle.query(statusQuery)).stage).toBe('awaiting-sales-contact');
      const until = (await handle.query(statusQuery)).until;
      await handle.signal(commentAddedSignal, customerComment('Also, we have 40 reps, is there volume pricing?'));
      await t.env.sleep('1 minute');
      expect(slack()).toContainEqual(
        expect.objectContaining({ to: agent, text: expect.stringMatching(/the lead wrote again.*volume pricing/s) }),
      );
      const status = await handle.query(statusQuery);
      expect(status.stage).toBe('awaiting-sales-contact');
      expect(status.until).toBe(until);
    });
  }, 60_000);
});

describe('no reply reaches nobody, between waits too', () => {
  test('a message the customer sends while the ticket is being set up reaches the assignee once it is assigned', async () => {
    const howTo: Classification = {
      route: 'general.how_to',
      requestType: 'General Inquiry',
      confidence: 0.9,
      reasons: [],
    };
    const { worker, handle, slack } = await startTicket('SS-575', howTo);
    await handle.signal(commentAddedSignal, customerComment('Forgot to say: it is urgent, our launch is on Monday.'));
    await worker.runUntil(async () => {
      await t.env.sleep('5 minutes');
      expect(slack()).toEqual([
        expect.objectContaining({ to: agent, text: expect.stringContaining('our launch is on Monday') }),
      ]);
      expect((await handle.query(statusQuery)).stage).toBe('with-support');
    });
  }, 60_000);
});

describe('R-07/R-08: the documents reach the CS ticket', () => {
  test('a sheet the customer sends after the CS ticket was created is noted on the CS ticket', async () => {
    const equipment: Classification = {
      route: 'data.equipment',
      requestType: 'Company-specific Data Change',
      confidence: 0.9,
      reasons: [],
    };
    const issue: Partial<IssueSnapshot> = { attachments: ['aPower2-spec.pdf'] };
    const { worker, handle, calls, publicComments } = await startTicket('SS-581', equipment, issue);
    await worker.runUntil(async () => {
      await t.env.sleep('5 minutes');
      expect((await handle.query(statusQuery)).stage).toBe('awaiting-cs');
      const created = calls.find((c) => c.name === 'createLinkedIssue')?.input;
      expect(String(created?.description)).toContain('aPower2-spec.pdf');
      // S-10: one reply, from the route's template, naming the CS request.
      expect(publicComments()).toEqual([
        expect.stringContaining('opened a request with our configuration team (CS-9)'),
      ]);
      issue.attachments = ['aPower2-spec.pdf', 'aPower2-install-manual.pdf'];
      await handle.signal(commentAddedSignal, customerComment('Here is the install manual as well.'));
      await t.env.sleep('1 minute');
      const onCs = calls.filter((c) => c.name === 'addComment' && c.input.key === 'CS-9').map((c) => c.input);
      expect(onCs).toEqual([
        expect.objectContaining({ public: false, body: expect.stringContaining('aPower2-install-manual.pdf') }),
      ]);
      expect(String(onCs[0]?.body)).not.toContain('aPower2-spec.pdf,');
    });
  }, 60_000);
});

describe('steps that were only partly done', () => {
  test("S-07: without a mapped domain, the organization comes from the customer's earlier tickets before any note", async () => {
    const howTo: Classification = {
      route: 'general.how_to',
      requestType: 'General Inquiry',
      confidence: 0.9,
      reasons: [],
    };
    const { worker, calls } = await startTicket('SS-591', howTo, { organization: null }, (rec) => ({
      searchIssues: async (input) => {
        rec.push({ name: 'searchIssues', input: input as unknown as Record<string, unknown> });
        return [
          { key: 'SS-12', summary: 'older', status: 'Closed', organization: null, reporter: 'pat@customer.example' },
          {
            key: 'SS-7',
            summary: 'oldest',
            status: 'Closed',
            organization: 'Copperleaf Solar',
            reporter: 'pat@customer.example',
          },
        ];
      },
    }));
    await worker.runUntil(async () => {
      await t.env.sleep('5 minutes');
    });
    const search = calls.find((c) => c.name === 'searchIssues')?.input;
    expect(String(search?.jql)).toMatch(/reporter = "pat@customer.example"/);
    expect(calls).toContainEqual({
      name: 'updateIssueFields',
      input: { key: 'SS-591', organization: 'Copperleaf Solar' },
    });
    const notes = calls.filter((c) => c.name === 'addComment').map((c) => String(c.input.body));
    expect(notes.some((b) => /Organization unknown/.test(b))).toBe(false);
  }, 60_000);

  test('E-02: when nobody of the onboarding team is on Slack, the missing fields reach the assignee', async () => {
    const onboarding: Classification = {
      route: 'onboarding.everbright',
      requestType: 'Company-specific Data Change Onboarding',
      confidence: 0.95,
      reasons: [],
    };
    const team = defaultConfig.roles.onboardingTeam;
    const issue: Partial<IssueSnapshot> = {
      summary: 'EverBright - New Partner Onboarding',
      description: 'Installer name: Granite State Solar\nInstaller contact email: admin@granitestatesolar.com',
      reporter: team[0] as string,
    };
    const { worker, handle, slack } = await startTicket('SS-592', onboarding, issue, (rec) => ({
      postSlackMessage: async (input) => {
        rec.push({ name: 'postSlackMessage', input: input as unknown as Record<string, unknown> });
        return team.includes(input.to)
          ? { sent: false as const, reason: 'user_not_found' as const, to: input.to }
          : { sent: true as const, channel: 'C1', ts: '1', duplicate: false };
      },
    }));
    await worker.runUntil(async () => {
      await t.env.sleep('5 minutes');
      expect((await handle.query(statusQuery)).stage).toBe('onboarding-awaiting-form');
    });
    expect(slack().filter((m) => m.to === agent)).toEqual([
      expect.objectContaining({
        text: expect.stringMatching(/missing: EverBright account manager.*could be reached on Slack/s),
      }),
    ]);
  }, 60_000);
});
