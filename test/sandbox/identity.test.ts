/**
 * Issue 9: the sandbox names people as Jira Cloud does. Users carry account types (atlassian staff, JSM
 * customer, the automation an app account with no e-mail); webhooks leave emailAddress out unless the
 * old-test option puts it back; /myself answers deskflow's bot account.
 */
import { defaultConfig } from '../../src/config/defaults';
import { clients, startHarness, type Harness } from './setup';

const open: Harness[] = [];
afterAll(async () => {
  for (const h of open) await h.close();
});

async function harness(webhookEmails?: boolean): Promise<Harness> {
  const h = await startHarness({ internalDomains: ['sighten.io'], ...(webhookEmails ? { webhookEmails } : {}) });
  open.push(h);
  return h;
}

function usersIn(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) value.forEach((v) => usersIn(v, out));
  else if (value && typeof value === 'object') {
    if ('accountId' in value) out.push(value as Record<string, unknown>);
    Object.values(value).forEach((v) => usersIn(v, out));
  }
  return out;
}

test('webhooks carry accountId, displayName and accountType, and no emailAddress', async () => {
  const h = await harness();
  const { key } = h.sandbox.createTicket({ summary: 'Help', description: 'x', reporter: 'pat@acme-solar.com' });
  h.sandbox.addComment({ key, by: 'alex.morgan@sighten.io', body: 'On it', internal: false });
  h.sandbox.addComment({ key, by: 'pat@acme-solar.com', body: 'Thanks' });
  await h.sandbox.webhooksIdle();
  const users = h.receiver.deliveries.flatMap((d) => usersIn(d.body));
  expect(users.length).toBeGreaterThan(3);
  for (const u of users) {
    expect(u).not.toHaveProperty('emailAddress');
    expect(u).toMatchObject({ accountId: expect.any(String), displayName: expect.any(String) });
    expect(['atlassian', 'customer', 'app']).toContain(u.accountType);
  }
  const comments = h.receiver.deliveries
    .map((d) => d.body as { webhookEvent: string; comment?: { author: { accountType: string } } })
    .filter((b) => b.webhookEvent === 'comment_created')
    .map((b) => b.comment!.author.accountType);
  expect(comments).toEqual(['atlassian', 'customer']);
});

test('the old-test option puts emailAddress back', async () => {
  const h = await harness(true);
  h.sandbox.createTicket({ summary: 'Help', description: 'x', reporter: 'pat@acme-solar.com' });
  await h.sandbox.webhooksIdle();
  const body = h.receiver.deliveries[0]!.body as { issue: { fields: { reporter: { emailAddress: string } } } };
  expect(body.issue.fields.reporter.emailAddress).toBe('pat@acme-solar.com');
});

test("/myself is deskflow's bot account; users are found by account id", async () => {
  const h = await harness();
  const { jira } = clients(h.sandbox, defaultConfig.jira.botEmail);
  const me = await jira.myself.getCurrentUser();
  expect(me).toMatchObject({ emailAddress: defaultConfig.jira.botEmail, accountType: 'atlassian' });
  const byId = await jira.users.getUser({ accountId: me.accountId! });
  expect(byId.emailAddress).toBe(defaultConfig.jira.botEmail);
  // The automation's app account (no e-mail): see the E-08 test in jira.test.ts.
});

test('a comment with a mention node keeps it: webhooks carry it as Jira wiki markup, the page shows it', async () => {
  const h = await harness();
  const { key } = h.sandbox.createTicket({ summary: 'Help', description: 'x', reporter: 'pat@acme-solar.com' });
  const { jira } = clients(h.sandbox, 'alex.morgan@sighten.io');
  const alex = await jira.users.getUser({ accountId: (await jira.myself.getCurrentUser()).accountId! });
  await jira.issueComments.addComment({
    issueIdOrKey: key,
    body: {
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { id: alex.accountId, text: '@Alex Morgan' } },
            { type: 'text', text: ' please look' },
          ],
        },
      ],
    },
  });
  await h.sandbox.webhooksIdle();
  const webhook = h.receiver.deliveries
    .map((d) => d.body as { webhookEvent: string; comment?: { body: string } })
    .find((b) => b.webhookEvent === 'comment_created')!;
  expect(webhook.comment!.body).toBe(`[~accountid:${alex.accountId}] please look`);
  expect(h.sandbox.issue(key)!.comments[0]).toMatchObject({
    mentions: ['alex.morgan@sighten.io'],
    body: '[~alex.morgan@sighten.io] please look',
  });
  const page = await (await fetch(`${h.sandbox.url}/browse/${key}`)).text();
  expect(page).toContain('mentions @alex.morgan@sighten.io');
});
