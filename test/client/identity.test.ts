/** Issue 9: who acted, from Jira Cloud's accountId and accountType (src/client/relay/identity.ts). */
import { actorKind } from '../../src/client/relay/identity';
import { mapWebhook } from '../../src/client/relay/mapping';
import { parseWebhook } from '../../src/client/relay/payload';
import { defaultConfig } from '../../src/config/defaults';
import type { DeskflowConfig } from '../../src/config';
import { cloudCommentCreated, cloudIssueCreated } from './fixtures/cloud-webhooks';

const SELF = '712020:self';
const identity = { selfAccountId: SELF };
const config: DeskflowConfig = {
  ...defaultConfig,
  jira: {
    ...defaultConfig.jira,
    identity: { appAccountIds: ['712020:zapier-bot'], staffAccountIds: ['qm:contractor'] },
  },
};

test('deskflow, apps, staff and customers are told apart by account id and type, never by e-mail', () => {
  const kind = (u: Record<string, unknown>) => actorKind(u, config, identity);
  expect(kind({ accountId: SELF, accountType: 'atlassian' })).toBe('self');
  expect(kind({ accountId: '557058:automation', accountType: 'app' })).toBe('app');
  expect(kind({ accountId: '712020:zapier-bot', accountType: 'atlassian' })).toBe('app');
  expect(kind({ accountId: '712020:agent', accountType: 'atlassian' })).toBe('staff');
  expect(kind({ accountId: 'qm:contractor', accountType: 'customer' })).toBe('staff');
  expect(kind({ accountId: 'qm:pat', accountType: 'customer' })).toBe('customer');
  // An internal-looking e-mail on a Cloud-shaped customer account does not make it staff.
  expect(kind({ accountId: 'qm:x', accountType: 'customer', emailAddress: 'x@sighten.io' })).toBe('customer');
  expect(kind({ accountId: '712020:odd', accountType: 'unknown-type' })).toBe('customer');
  expect(kind({})).toBe('customer');
});

test("a Cloud-shaped comment carries the author's account and kind, no e-mail; created carries the reporter's account", () => {
  const created = mapWebhook(
    parseWebhook(
      cloudIssueCreated(
        'SS-7',
        { accountId: 'qm:pat', displayName: 'Pat', accountType: 'customer' },
        '2026-11-25T17:00:00.000Z',
      ),
    ),
    config,
    identity,
  );
  expect(created).toMatchObject({
    deliveries: [{ kind: 'created', event: { reporter: null, reporterAccountId: 'qm:pat' } }],
  });
  const reply = mapWebhook(
    parseWebhook(
      cloudCommentCreated('SS-7', {
        id: '1',
        author: { accountId: '712020:agent', displayName: 'Alex', accountType: 'atlassian' },
        body: 'Try this',
        jsdPublic: true,
        created: '2026-11-25T18:00:00.000Z',
      }),
    ),
    config,
    identity,
  );
  expect(reply).toMatchObject({
    deliveries: [
      {
        kind: 'comment',
        event: { author: null, authorAccountId: '712020:agent', authorKind: 'staff', byStaff: true, public: true },
      },
    ],
  });
});

test('a change made in Jira carries who made it: account id and kind (a linked CS issue, the SS ticket itself)', () => {
  const automation = {
    accountId: '557058:automation',
    displayName: 'Automation for Jira',
    accountType: 'app' as const,
  };
  const cs = cloudIssueCreated('SS-8', automation, '2026-11-25T17:00:00.000Z') as {
    issue: { key: string; fields: Record<string, unknown> };
  } & Record<string, unknown>;
  cs.issue.key = 'CS-4';
  cs.issue.fields.project = { key: 'CS' };
  cs.issue.fields.issuelinks = [{ type: { name: 'Relates' }, outwardIssue: { key: 'SS-8' } }];
  const linked = mapWebhook(
    parseWebhook({
      ...cs,
      webhookEvent: 'jira:issue_updated',
      changelog: { items: [{ field: 'status', fromString: 'To Do', toString: 'On Hold' }] },
    }),
    config,
    identity,
  );
  expect(linked).toMatchObject({
    deliveries: [
      { ticket: 'SS-8', kind: 'linked', event: { by: null, byAccountId: '557058:automation', byKind: 'app' } },
    ],
  });
  const ss = cloudIssueCreated(
    'SS-9',
    { accountId: '712020:agent', displayName: 'Alex', accountType: 'atlassian' },
    '2026-11-25T17:00:00.000Z',
  );
  const edited = mapWebhook(
    parseWebhook({
      ...ss,
      webhookEvent: 'jira:issue_updated',
      changelog: { items: [{ field: 'summary', fromString: 'a', toString: 'b' }] },
    }),
    config,
    identity,
  );
  expect(edited).toMatchObject({
    deliveries: [{ kind: 'edited', event: { by: null, byAccountId: '712020:agent', byKind: 'staff' } }],
  });
});
