/**
 * copyAttachments against the sandbox over real HTTP (R-07/R-08): the files' bytes reach the target
 * issue, and a retried or repeated copy attaches nothing twice.
 */
import { defaultConfig } from '../../src/config/defaults';
import { createJiraActivities, type JiraActivities } from '../../src/activities/jira';
import { startHarness, type Harness } from './setup';

const CUSTOMER = 'pat.customer@acme-solar.example';

let h: Harness;
let jira: JiraActivities;

beforeAll(async () => {
  h = await startHarness();
  jira = createJiraActivities(h.deps);
});
afterAll(async () => {
  await h?.close();
});

/** An SS ticket carrying two files (one binary) and an empty CS issue. */
async function ticketAndCs(): Promise<{ ss: string; cs: string; sheet: Buffer; manual: Buffer }> {
  const { key: ss } = h.sandbox.createTicket({ summary: 'New battery', description: 'x', reporter: CUSTOMER });
  const sheet = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80, 0x7f]);
  const manual = Buffer.from('Install manual, page 1\n', 'utf8');
  h.sandbox.attach({ key: ss, filename: 'aPower2-spec.pdf', content: sheet });
  h.sandbox.attach({ key: ss, filename: 'aPower2-manual.txt', content: manual });
  const { key: cs } = await h.run(jira.createLinkedIssue, {
    opKey: `${ss}:R-07:cs`,
    project: defaultConfig.jira.csProject,
    issueType: defaultConfig.jira.issueTypes.csTicket,
    summary: `[${ss}] New battery`,
    description: 'x',
    linkTo: ss,
    linkType: defaultConfig.jira.linkTypes.relates,
  });
  return { ss, cs, sheet, manual };
}

test('the files are downloaded and uploaded: the CS issue holds the same bytes under the same names', async () => {
  const { ss, cs, sheet, manual } = await ticketAndCs();
  const result = await h.run(jira.copyAttachments, { from: ss, to: cs });
  expect(result).toEqual({ copied: ['aPower2-spec.pdf', 'aPower2-manual.txt'], already: [], failed: [] });
  const files = h.sandbox.attachmentFiles(cs);
  expect(files.map((f) => f.filename)).toEqual(['aPower2-spec.pdf', 'aPower2-manual.txt']);
  expect(files[0]!.content.equals(sheet)).toBe(true);
  expect(files[1]!.content.equals(manual)).toBe(true);
  // The source keeps its files.
  expect(h.sandbox.attachmentFiles(ss)).toHaveLength(2);
});

test('a retried copy (the first one went through, its answer was lost) attaches nothing twice', async () => {
  const { ss, cs } = await ticketAndCs();
  await h.run(jira.copyAttachments, { from: ss, to: cs });
  const again = await h.run(jira.copyAttachments, { from: ss, to: cs });
  expect(again).toEqual({ copied: [], already: ['aPower2-spec.pdf', 'aPower2-manual.txt'], failed: [] });
  expect(h.sandbox.attachmentFiles(cs)).toHaveLength(2);
});

test('only the named files; a copy cut short half-way goes on with the rest; a same-named file of another size is a new file', async () => {
  const { ss, cs } = await ticketAndCs();
  expect(await h.run(jira.copyAttachments, { from: ss, to: cs, filenames: ['aPower2-spec.pdf'] })).toMatchObject({
    copied: ['aPower2-spec.pdf'],
  });
  expect(h.sandbox.attachmentFiles(cs).map((f) => f.filename)).toEqual(['aPower2-spec.pdf']);
  expect(await h.run(jira.copyAttachments, { from: ss, to: cs })).toEqual({
    copied: ['aPower2-manual.txt'],
    already: ['aPower2-spec.pdf'],
    failed: [],
  });
  // The customer sends a corrected sheet under the same name: it is another file and goes too.
  h.sandbox.attach({ key: ss, filename: 'aPower2-spec.pdf', content: 'corrected sheet, longer than the first one' });
  expect(await h.run(jira.copyAttachments, { from: ss, to: cs })).toMatchObject({ copied: ['aPower2-spec.pdf'] });
  expect(h.sandbox.attachmentFiles(cs)).toHaveLength(3);
});

test('an issue without files copies nothing and uploads nothing', async () => {
  const { key: ss } = h.sandbox.createTicket({ summary: 'No files', description: 'x', reporter: CUSTOMER });
  const { cs } = await ticketAndCs();
  expect(await h.run(jira.copyAttachments, { from: ss, to: cs })).toEqual({ copied: [], already: [], failed: [] });
  expect(h.sandbox.attachmentFiles(cs)).toEqual([]);
});
