/**
 * In-memory activities that record every call, for tests of the real ticket workflow on the time-skipping
 * server; `override` replaces single activities (a refusal, a look-up answer).
 */
import type { Classification, DeskflowActivities, IssueSnapshot } from '../../src/activities/contract';
import { defaultConfig } from '../../src/config/defaults';

export interface RecordedCall {
  name: string;
  input: unknown;
}

export function recordingActivities(
  classification: Classification,
  calls: RecordedCall[],
  emails: Record<string, string> = {},
  override: Partial<DeskflowActivities> = {},
): DeskflowActivities {
  const now = () => new Date().toISOString();
  const issue = (key: string): IssueSnapshot => ({
    key,
    project: 'SS',
    issueType: 'Service Request',
    summary: 'Where do I change the proposal template?',
    description: 'Hi, I cannot find where to change the proposal template.',
    status: 'Waiting for support',
    resolution: null,
    created: now(),
    reporter: 'pat@acme-solar.com',
    assignee: null,
    participants: [],
    watchers: [],
    organization: 'Acme Solar',
    requestType: null,
    priority: null,
    labels: [],
    components: [],
    links: [],
    comments: [],
    attachments: [],
  });
  const record =
    <I, O>(name: string, result: (input: I) => O) =>
    async (input: I): Promise<Awaited<O>> => {
      calls.push({ name, input });
      return await result(input);
    };
  return {
    readIssue: record('readIssue', (i: { key: string }) => issue(i.key)),
    assignIssue: record('assignIssue', () => undefined),
    updateIssueFields: record('updateIssueFields', () => undefined),
    addRequestParticipants: record('addRequestParticipants', () => undefined),
    removeRequestParticipants: record('removeRequestParticipants', () => undefined),
    addWatchers: record('addWatchers', () => undefined),
    addComment: record('addComment', () => ({ id: '1', created: now(), created_now: true })),
    transitionIssue: record('transitionIssue', () => undefined),
    createLinkedIssue: record('createLinkedIssue', () => ({ key: 'CS-9' })),
    linkIssues: record('linkIssues', () => undefined),
    copyAttachments: record('copyAttachments', (i: { filenames?: string[] }) => ({
      copied: i.filenames ?? [],
      already: [],
      failed: [],
    })),
    countOpenIssuesByAssignee: record('countOpenIssuesByAssignee', () => ({})),
    searchIssues: record('searchIssues', () => []),
    findUserByEmail: record('findUserByEmail', (i: { email: string }) => ({ found: false as const, email: i.email })),
    lookupAccount: record('lookupAccount', (i: { accountId: string }) => ({
      accountId: i.accountId,
      email: emails[i.accountId] ?? null,
      displayName: null,
      accountType: null,
    })),
    postSlackMessage: record('postSlackMessage', () => ({
      sent: true as const,
      channel: 'C1',
      ts: '1',
      duplicate: false,
    })),
    createAhaIdea: record('createAhaIdea', () => ({ url: 'https://aha.example/1', referenceNum: 'I-1' })),
    loadWorkflowSettings: record('loadWorkflowSettings', () => ({
      ...defaultConfig,
      classificationThreshold: defaultConfig.classification.threshold,
    })),
    classifyTicket: record('classifyTicket', () => classification),
    ...override,
  } as unknown as DeskflowActivities;
}
