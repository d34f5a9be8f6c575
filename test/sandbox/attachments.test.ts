/**
 * The sandbox's attachments as Jira Cloud serves them, driven by jira.js: upload (multipart, only with
 * X-Atlassian-Token: no-check, bounded in size), download of the stored bytes, and the issue's
 * `attachment` field.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isApiError } from 'jira.js';
import { startSandbox } from '../../src/sandbox/server';
import { ATTACHMENT_MAX_BYTES } from '../../src/sandbox/state';
import { AGENT, clients, CUSTOMER, startHarness, type Harness } from './setup';

let h: Harness;
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  h = await startHarness();
  c = clients(h.sandbox);
});
afterAll(() => h.close());

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (e) {
    if (isApiError(e)) return e.status;
    throw e;
  }
  throw new Error('expected the call to fail');
}

test('addAttachment stores the bytes; getAttachmentContent returns them; the issue lists the file with its size', async () => {
  const { key } = h.sandbox.createTicket({ summary: 'Sheet', description: 'x', reporter: CUSTOMER });
  const bytes = Buffer.from('%PDF-1.4 spec sheet \u0000\u00ff binary', 'latin1');
  const [added] = await c.jira.issueAttachments.addAttachment({
    issueIdOrKey: key,
    attachments: { filename: 'aPower2-spec.pdf', content: bytes },
  });
  expect(added).toMatchObject({ filename: 'aPower2-spec.pdf', size: bytes.length, mimeType: 'application/pdf' });
  expect(added!.author?.emailAddress ?? added!.author?.accountId).toBeTruthy();

  const content = await c.jira.issueAttachments.getAttachmentContent({ id: String(added!.id) });
  expect(Buffer.from(content as ArrayBuffer).equals(bytes)).toBe(true);
  // The default answer is Jira's redirect to the file; redirect=false gives the bytes at once.
  const direct = await c.jira.issueAttachments.getAttachmentContent({ id: String(added!.id), redirect: false });
  expect(Buffer.from(direct as ArrayBuffer).equals(bytes)).toBe(true);

  const issue = await c.jira.issues.getIssue({ issueIdOrKey: key, fields: ['attachment'] });
  expect((issue.fields as { attachment: unknown[] }).attachment).toEqual([
    expect.objectContaining({ id: added!.id, filename: 'aPower2-spec.pdf', size: bytes.length }),
  ]);
  expect(h.sandbox.attachmentFiles(key)[0]!.content.equals(bytes)).toBe(true);
  const meta = await c.jira.issueAttachments.getAttachmentMeta();
  expect(meta).toMatchObject({ enabled: true, uploadLimit: ATTACHMENT_MAX_BYTES });
});

test('a file named at creation holds placeholder bytes that download like any other', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'Named',
    description: 'x',
    reporter: CUSTOMER,
    attachments: ['contract.pdf'],
  });
  const issue = await c.jira.issues.getIssue({ issueIdOrKey: key, fields: ['attachment'] });
  const [a] = (issue.fields as { attachment: { id: string; size: number }[] }).attachment;
  expect(a!.size).toBeGreaterThan(0);
  const content = await c.jira.issueAttachments.getAttachmentContent({ id: a!.id });
  expect(Buffer.from(content as ArrayBuffer).length).toBe(a!.size);
});

test('as Jira Cloud: no X-Atlassian-Token: no-check is 403, a file over the limit 413, an unknown issue 404', async () => {
  const { key } = h.sandbox.createTicket({ summary: 'Strict', description: 'x', reporter: CUSTOMER });
  const auth = `Basic ${Buffer.from(`${AGENT}:token`).toString('base64')}`;
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('hello')]), 'hello.txt');
  const noToken = await fetch(`${h.sandbox.url}/rest/api/3/issue/${key}/attachments`, {
    method: 'POST',
    headers: { Authorization: auth },
    body: form,
  });
  expect(noToken.status).toBe(403);
  expect(await noToken.text()).toContain('XSRF check failed');

  const big = Buffer.alloc(ATTACHMENT_MAX_BYTES + 1, 1);
  expect(
    await statusOf(
      c.jira.issueAttachments.addAttachment({ issueIdOrKey: key, attachments: { filename: 'big.bin', content: big } }),
    ),
  ).toBe(413);
  expect(
    await statusOf(
      c.jira.issueAttachments.addAttachment({
        issueIdOrKey: 'SS-99999',
        attachments: { filename: 'a.txt', content: 'a' },
      }),
    ),
  ).toBe(404);
  expect(h.sandbox.issue(key)!.attachments).toEqual([]);
});

test('an upload sends jira:issue_updated with an Attachment changelog item', async () => {
  const { key } = h.sandbox.createTicket({ summary: 'Webhook', description: 'x', reporter: CUSTOMER });
  h.sandbox.attach({ key, filename: 'later.csv', content: 'a,b\n1,2\n' });
  await h.sandbox.webhooksIdle();
  const updates = h.receiver.deliveries
    .map((d) => d.body as { webhookEvent: string; issue: { key: string }; changelog?: unknown })
    .filter((b) => b.webhookEvent === 'jira:issue_updated' && b.issue.key === key);
  expect(updates.at(-1)?.changelog).toMatchObject({
    items: [expect.objectContaining({ field: 'Attachment', fieldId: 'attachment', toString: 'later.csv' })],
  });
});

test('data saved before file contents were kept (bare file names) loads as placeholder files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-attachments-'));
  try {
    const dataFile = join(dir, 'sandbox.json');
    const first = await startSandbox({ port: 0, dataFile });
    const { key } = first.createTicket({
      summary: 'Old',
      description: 'x',
      reporter: CUSTOMER,
      attachments: ['a.pdf'],
    });
    await first.close();
    const saved = JSON.parse(await readFile(dataFile, 'utf8')) as { issues: { key: string; attachments: unknown[] }[] };
    saved.issues.find((i) => i.key === key)!.attachments = ['old-sheet.pdf'];
    await writeFile(dataFile, JSON.stringify(saved));
    const second = await startSandbox({ port: 0, dataFile });
    try {
      expect(second.attachmentFiles(key)).toEqual([
        expect.objectContaining({ filename: 'old-sheet.pdf', size: expect.any(Number) }),
      ]);
      expect(second.attachmentFiles(key)[0]!.size).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
