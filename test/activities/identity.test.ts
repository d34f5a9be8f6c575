/**
 * Issue 9: e-mails by account id. Webhooks name people by account id only; lookupAccount asks Jira's user
 * API (cached), and readIssue falls back to it where Jira leaves an address out (an app account has none).
 */
import { createJiraActivities, type JiraActivities } from '../../src/activities/jira';
import { AUTOMATION_ACCOUNT_ID, AUTOMATION_EMAIL, accountIdFor } from '../../src/sandbox/state';
import { startHarness, type Harness } from './setup';

let h: Harness;
let jira: JiraActivities;

beforeAll(async () => {
  h = await startHarness();
  jira = createJiraActivities(h.deps);
});
afterAll(async () => {
  await h?.close();
});

test('lookupAccount: a customer by account id has an e-mail and type; the automation is an app with none', async () => {
  const { key } = h.sandbox.createTicket({ summary: 'Help', description: 'x', reporter: 'pat@acme-solar.com' });
  h.sandbox.addComment({ key, by: AUTOMATION_EMAIL, body: 'Thank you for your request.' });
  expect(await h.run(jira.lookupAccount, { accountId: accountIdFor('pat@acme-solar.com') })).toEqual({
    accountId: accountIdFor('pat@acme-solar.com'),
    email: 'pat@acme-solar.com',
    displayName: 'Pat',
    accountType: 'customer',
  });
  expect(await h.run(jira.lookupAccount, { accountId: AUTOMATION_ACCOUNT_ID })).toEqual({
    accountId: AUTOMATION_ACCOUNT_ID,
    email: null,
    displayName: 'Automation for Jira',
    accountType: 'app',
  });
});

test('readIssue: a reporter Jira shows without an e-mail is looked up by account id and named by it', async () => {
  const { key } = h.sandbox.createTicket({ summary: 'From automation', description: 'x', reporter: AUTOMATION_EMAIL });
  const issue = await h.run(jira.readIssue, { key });
  expect(issue.reporter).toBe(AUTOMATION_ACCOUNT_ID);
});
