/** Issue 9: changes made by hand in Jira, read from jira:issue_updated changelogs. */
import { defaultConfig } from '../../src/config/defaults';
import { mapWebhook } from '../../src/client/relay/mapping';
import { parseWebhook } from '../../src/client/relay/payload';

const map = (body: unknown) => mapWebhook(parseWebhook(body), defaultConfig);

function updated(
  items: Record<string, unknown>[],
  status: { name: string; category: string },
  assignee?: Record<string, unknown> | null,
) {
  return {
    webhookEvent: 'jira:issue_updated',
    timestamp: 1764000000000,
    user: { accountId: '5b10a2844c20165700ede21g', accountType: 'atlassian', displayName: 'Sam Lead' },
    issue: {
      key: 'SS-9',
      fields: {
        project: { key: 'SS' },
        summary: 'Proposal PDF',
        status: { name: status.name, statusCategory: { key: status.category } },
        assignee,
      },
    },
    changelog: { id: '1', items },
  };
}

test('an assignee changed in Jira is delivered with the new assignee (account id when Jira hides the e-mail)', () => {
  const result = map(
    updated(
      [{ field: 'assignee', fieldtype: 'jira', fromString: 'Alex Morgan', toString: 'Robin Diaz' }],
      { name: 'Waiting for support', category: 'new' },
      { accountId: '712020:robin', accountType: 'atlassian', displayName: 'Robin Diaz' },
    ),
  );
  expect(result).toMatchObject({
    action: 'deliver',
    deliveries: [{ ticket: 'SS-9', kind: 'edited', event: { fields: ['assignee'], assignee: '712020:robin' } }],
  });
  const unassigned = map(
    updated(
      [{ field: 'assignee', fromString: 'Robin Diaz', toString: null }],
      { name: 'In Progress', category: 'indeterminate' },
      null,
    ),
  );
  expect(unassigned).toMatchObject({ deliveries: [{ event: { fields: ['assignee'], assignee: null } }] });
});

test('any done-category status closes the ticket (Resolved included); a status in progress does not', () => {
  const resolved = map(
    updated([{ field: 'status', fromString: 'Waiting for support', toString: 'Resolved' }], {
      name: 'Resolved',
      category: 'done',
    }),
  );
  expect(resolved).toMatchObject({
    deliveries: [{ kind: 'edited', event: { fields: ['status'], status: 'Resolved' } }],
  });
  const moving = map(
    updated([{ field: 'status', fromString: 'Waiting for support', toString: 'In Progress' }], {
      name: 'In Progress',
      category: 'indeterminate',
    }),
  );
  expect(moving).toMatchObject({ action: 'ignore', status: 202 });
});
