/**
 * through the whole stack (relay, worker, real activities, sandbox): the spec sheet the customer
 * attaches reaches the CS ticket as the same file (same bytes), and a manual sent after the CS ticket was
 * created follows it there, each attached once. The files are uploaded and read back through Jira's own
 * attachment endpoints (jira.js), as the customer and as the config team would.
 */
import { createCloudClient } from 'jira.js';
import { parseScenario } from '../../src/scenario/format';
import { runScenario, type StepHookContext } from '../../src/scenario/runner';

const CUSTOMER = 'design@northstarsolar.com';
const SHEET = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x00, 0xff, 0xfe, 0x80, 0x0a]);
const MANUAL = Buffer.from('Franklin aPower 2 installation manual\nPage 1 of 1\n', 'utf8');

function jiraAs(run: StepHookContext, email: string) {
  return createCloudClient({ host: run.sandboxUrl, auth: { type: 'basic', email, apiToken: 'token' } });
}

async function filesOf(run: StepHookContext, ref: string): Promise<{ filename: string; content: Buffer }[]> {
  const jira = jiraAs(run, 'cherish.sharma@sighten.io');
  const issue = await jira.issues.getIssue({ issueIdOrKey: run.issueKey(ref)!, fields: ['attachment'] });
  const list = (issue.fields as { attachment?: { id: string; filename: string }[] }).attachment ?? [];
  const out: { filename: string; content: Buffer }[] = [];
  for (const a of list) {
    const content = await jira.issueAttachments.getAttachmentContent({ id: String(a.id) });
    out.push({ filename: a.filename, content: Buffer.from(content as ArrayBuffer) });
  }
  return out;
}

test('R-07: the documents reach the CS ticket as the same files, once each', async () => {
  const scenario = parseScenario(
    {
      name: 'R-07 documents as files on the CS ticket',
      start: { weekday: 'Monday', time: '10:00' },
      config: { calendar: { holidays: 'none' } },
      ticket: {
        summary: 'New battery to add to our equipment list',
        description:
          "We just started installing the Franklin aPower 2 battery. Can you add it to our company's equipment so the designers can pick it?",
        reporter: CUSTOMER,
      },
      steps: [
        { wait: 'PT5M' },
        { comment: { by: 'reporter', body: 'Spec sheet is attached now.' } },
        { wait: 'PT5M' },
        { expect: { cs: { status: 'To Do', links: [{ to: 'ticket' }] } } },
        { comment: { by: 'reporter', body: 'Here is the installation manual as well.' } },
        { wait: 'PT5M' },
        {
          expect: {
            cs: { comments: [{ public: false, contains: 'attached here: aPower2-manual.txt' }] },
          },
        },
        { wait: 'PT1M' },
      ],
    },
    'attachments-to-cs',
  );
  const seen: Record<number, { filename: string; content: Buffer }[]> = {};
  const result = await runScenario(scenario, {
    beforeStep: async (n, run) => {
      // The customer attaches the files in Jira, then comments (steps 2 and 5).
      if (n === 2 || n === 5) {
        const [filename, content] = n === 2 ? ['aPower2-spec.pdf', SHEET] : ['aPower2-manual.txt', MANUAL];
        await jiraAs(run, CUSTOMER).issueAttachments.addAttachment({
          issueIdOrKey: run.issueKey('ticket')!,
          attachments: { filename, content },
        });
      }
      if (n === 5 || n === 8) seen[n] = await filesOf(run, 'cs');
    },
  });
  expect(result.failures).toEqual([]);
  expect(seen[5]!.map((f) => f.filename)).toEqual(['aPower2-spec.pdf']);
  expect(seen[5]![0]!.content.equals(SHEET)).toBe(true);
  expect(seen[8]!.map((f) => f.filename)).toEqual(['aPower2-spec.pdf', 'aPower2-manual.txt']);
  expect(seen[8]![1]!.content.equals(MANUAL)).toBe(true);
}, 180_000);
