/** The relay's webhook → signal mapping and payload validation, without a server. */
import { defaultConfig } from '../../src/config/defaults';
import { mapWebhook } from '../../src/client/relay/mapping';
import { normaliseJiraTimestamp, parseWebhook, PayloadError } from '../../src/client/relay/payload';
import { bodyToText } from '../../src/shared/adf';
import { commentCreated, issueCreated, linkedIssueEvent } from './fixtures/webhooks';

const map = (body: unknown) => mapWebhook(parseWebhook(body), defaultConfig);

test('Jira timestamps with a colon-less offset become UTC ISO instants', () => {
  expect(normaliseJiraTimestamp('2026-11-25T09:00:00.000-0800')).toBe('2026-11-25T17:00:00.000Z');
  expect(normaliseJiraTimestamp('2026-11-25T09:00:00.000+05:30')).toBe('2026-11-25T03:30:00.000Z');
  expect(normaliseJiraTimestamp('yesterday')).toBeNull();
});

test('issue_created in SS becomes a TicketCreatedEvent with reporter, participants and ISO created', () => {
  const result = map(issueCreated('SS-1', { participants: ['Ann@Sunpeaksolar.com', 'pat@sunpeaksolar.com'] }));
  expect(result).toEqual({
    action: 'deliver',
    deliveries: [
      {
        ticket: 'SS-1',
        kind: 'created',
        event: {
          key: 'SS-1',
          summary: 'Proposal PDF export shows blank totals',
          description: 'When I export the proposal to PDF the totals are empty.',
          reporter: 'pat@sunpeaksolar.com',
          participants: ['ann@sunpeaksolar.com'],
          created: '2026-11-25T17:00:00.000Z',
        },
      },
    ],
  });
});

test('a customer comment is public customer input; an internal note by staff is not public', () => {
  const customer = map(commentCreated('SS-1', { id: '5', by: 'pat@sunpeaksolar.com', body: 'Still broken' }));
  expect(customer).toMatchObject({
    action: 'deliver',
    deliveries: [{ ticket: 'SS-1', kind: 'comment', event: { commentId: '5', public: true, byStaff: false } }],
  });
  const note = map(commentCreated('SS-1', { id: '6', by: 'kim@sighten.io', body: 'checking', jsdPublic: false }));
  expect(note).toMatchObject({
    deliveries: [{ event: { commentId: '6', author: 'kim@sighten.io', public: false, byStaff: true } }],
  });
});

test("deskflow's own comment and comments on CS issues are ignored", () => {
  expect(map(commentCreated('SS-1', { id: '7', by: defaultConfig.jira.botEmail, body: 'hello' }))).toMatchObject({
    action: 'ignore',
    status: 200,
  });
  expect(map(commentCreated('CS-3', { id: '8', by: 'kim@sighten.io', body: 'done' }))).toMatchObject({
    action: 'ignore',
    status: 202,
  });
});

test('a CS status change goes to the SS ticket that owns it; a new CS issue too (E-08, E-10)', () => {
  expect(map(linkedIssueEvent('CS-3', 'SS-1', { from: 'To Do', to: 'On Hold', by: 'cfg@sighten.io' }))).toEqual({
    action: 'deliver',
    deliveries: [
      {
        ticket: 'SS-1',
        kind: 'linked',
        event: {
          key: 'CS-3',
          project: 'CS',
          status: 'On Hold',
          from: 'To Do',
          by: 'cfg@sighten.io',
          // The webhook's own time, so a late delivery can be told from a newer change.
          at: new Date(1_795_000_200_000).toISOString(),
        },
      },
    ],
  });
  const created = map(
    linkedIssueEvent('CS-4', 'SS-2', { to: 'To Do', by: 'automation@sighten.io', event: 'jira:issue_created' }),
  );
  expect(created).toMatchObject({
    deliveries: [{ ticket: 'SS-2', event: { key: 'CS-4', status: 'To Do', from: null } }],
  });
});

test('CS updates without a status change, or made by deskflow, are ignored', () => {
  const body = linkedIssueEvent('CS-3', 'SS-1', { from: 'To Do', to: 'On Hold', by: defaultConfig.jira.botEmail });
  expect(map(body)).toMatchObject({ action: 'ignore', status: 200 });
  const noStatus = { ...body, user: { emailAddress: 'cfg@sighten.io' }, changelog: { items: [{ field: 'labels' }] } };
  expect(map(noStatus)).toMatchObject({ action: 'ignore', status: 202 });
});

test('an SS summary/description edit by a person becomes ticket-edited; other SS updates are ignored', () => {
  const edit = {
    webhookEvent: 'jira:issue_updated',
    user: { emailAddress: 'onboarding@goeverbright.com' },
    issue: { key: 'SS-1', fields: { project: { key: 'SS' } } },
    changelog: { items: [{ field: 'description', fromString: 'a', toString: 'b' }] },
  };
  expect(map(edit)).toEqual({
    action: 'deliver',
    deliveries: [
      { ticket: 'SS-1', kind: 'edited', event: { fields: ['description'], by: 'onboarding@goeverbright.com' } },
    ],
  });
  expect(map({ ...edit, changelog: { items: [{ field: 'status' }] } })).toMatchObject({ action: 'ignore' });
});

test('an SS ticket closed by hand in Jira becomes ticket-edited with the closing status; other status moves do not', () => {
  const closed = {
    webhookEvent: 'jira:issue_updated',
    user: { emailAddress: 'alex.morgan@sighten.io' },
    issue: { key: 'SS-2', fields: { project: { key: 'SS' } } },
    changelog: { items: [{ field: 'status', fromString: 'Waiting for support', toString: 'Closed' }] },
  };
  expect(map(closed)).toEqual({
    action: 'deliver',
    deliveries: [
      { ticket: 'SS-2', kind: 'edited', event: { fields: ['status'], by: 'alex.morgan@sighten.io', status: 'Closed' } },
    ],
  });
  const moved = { ...closed, changelog: { items: [{ field: 'status', toString: 'Waiting for customer' }] } };
  expect(map(moved)).toMatchObject({ action: 'ignore' });
  expect(map({ ...closed, user: { emailAddress: 'deskflow@sighten.io' } })).toMatchObject({ action: 'ignore' });
});

test('issuelink_created and unknown events are acknowledged as ignored (202)', () => {
  expect(
    map({ webhookEvent: 'issuelink_created', issueLink: { sourceIssueId: 1, destinationIssueId: 2 } }),
  ).toMatchObject({
    action: 'ignore',
    status: 202,
  });
  expect(map({ webhookEvent: 'jira:worklog_updated' })).toMatchObject({ action: 'ignore', status: 202 });
});

test('a payload without the project key is refused naming the path', () => {
  const body = issueCreated('SS-1');
  delete (body.issue as { fields: Record<string, unknown> }).fields.project;
  expect(() => parseWebhook(body)).toThrow(PayloadError);
  expect(() => parseWebhook(body)).toThrow(/issue\.fields\.project/);
  expect(() => parseWebhook({ issue: {} })).toThrow(/webhookEvent/);
});

test('Atlassian Document Format bodies are read as plain text', () => {
  const adf = {
    type: 'doc',
    version: 1,
    content: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Hello ' },
          { type: 'text', text: 'team' },
        ],
      },
      { type: 'paragraph', content: [{ type: 'text', text: 'Second line' }] },
    ],
  };
  expect(bodyToText(adf)).toBe('Hello team\n\nSecond line');
});

test("R-05: a DEV issue closed with a resolution carries it to the SS ticket (Won't Fix is not Done)", () => {
  const body = linkedIssueEvent('DEV-7', 'SS-1', { from: 'In Progress', to: 'Done', by: 'dev@sighten.io' });
  const issue = body.issue as { fields: Record<string, unknown> };
  issue.fields.resolution = { name: "Won't Fix" };
  expect(map(body)).toMatchObject({
    deliveries: [{ ticket: 'SS-1', event: { key: 'DEV-7', status: 'Done', resolution: "Won't Fix" } }],
  });
  const changelog = body.changelog as { items: Record<string, unknown>[] };
  changelog.items.push({ field: 'resolution', fromString: null, toString: 'Cannot Reproduce' });
  expect(map(body)).toMatchObject({ deliveries: [{ event: { resolution: 'Cannot Reproduce' } }] });
});
