/**
 * Issue 9 item 5: where the procedures tag someone (`[~e-mail]`, E-11, E-15, E-16), addComment posts an
 * ADF mention of their Jira account (found by e-mail, cached), so Jira notifies them; the sandbox keeps
 * the mention, reads it back as a mention node and sends it in its webhooks as Jira's wiki markup.
 */
import { createJiraActivities, type JiraActivities } from '../../src/activities/jira';
import { ensureJiraUsers, startHarness, type Harness } from './setup';

let h: Harness;
let jira: JiraActivities;

beforeAll(async () => {
  h = await startHarness();
  jira = createJiraActivities(h.deps);
});
afterAll(async () => {
  await h?.close();
});

test('a tagged person becomes a mention of their account; someone Jira does not know stays text', async () => {
  const { key } = h.sandbox.createTicket({
    summary: 'Onboarding',
    description: 'x',
    reporter: 'onboarding@goeverbright.com',
  });
  // The approver has a Jira account (E-04 made him a watcher); the strict sandbox invents none (issue 14).
  await ensureJiraUsers(h.sandbox, ['david.ellis@goeverbright.com']);
  await jira.addComment({
    key,
    body: '[~david.ellis@goeverbright.com] [~ghost@nowhere.example] Are we approved to push live?',
    public: false,
    opKey: 'ticket-test/E-11/1',
  });
  const comment = h.sandbox.issue(key)!.comments.at(-1)!;
  expect(comment.mentions).toEqual(['david.ellis@goeverbright.com']);
  expect(comment.body).toBe('[~david.ellis@goeverbright.com] [~ghost@nowhere.example] Are we approved to push live?');

  // Read back through the v3 API: a mention node carrying the account id and "@Display Name".
  const res = await fetch(`${h.sandbox.url}/rest/api/3/issue/${key}/comment`, {
    headers: { Authorization: `Basic ${Buffer.from('deskflow@sighten.io:t').toString('base64')}` },
  });
  const page = (await res.json()) as { comments: { body: { content: { content: Record<string, unknown>[] }[] } }[] };
  const nodes = page.comments.at(-1)!.body.content[0]!.content;
  expect(nodes[0]).toMatchObject({
    type: 'mention',
    attrs: { id: expect.stringMatching(/^712020:/), text: '@David Ellis' },
  });
  expect(nodes.filter((n) => n.type === 'mention')).toHaveLength(1);
  expect(nodes.map((n) => n.text ?? '').join('')).toContain('[~ghost@nowhere.example] Are we approved');
});
