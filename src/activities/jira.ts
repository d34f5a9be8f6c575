/**
 * Jira Service Management activities (jira.js). Every write is safe to retry: plain field edits,
 * assignments, participants and watchers are idempotent by nature; comments and created issues carry
 * the workflow's `opKey` in an entity property (`deskflow` = {opKey}) that is looked up before writing.
 *
 * People are named by e-mail; account ids are looked up (and cached) here. Field ids, projects and
 * status names come from `config.jira`.
 */
import type { ActivityDeps, JiraClients } from './clients';
import { createJiraClients } from './clients';
import { createJiraAttachments } from './jira-attachments';
import { createJiraComments } from './jira-comments';
import { createJiraEdits } from './jira-edit';
import { createJiraLinks } from './jira-links';
import { createJiraPeople } from './jira-people';
import { createJiraReads } from './jira-read';
import { createJiraSession } from './jira-session';
import { createJiraTransitions } from './jira-transitions';

export { OP_PROPERTY, SD_PUBLIC_COMMENT } from './jira-shapes';

/** The Jira activities; `clients` may be injected (tests, or a shared client). */
export function createJiraActivities(
  deps: Pick<ActivityDeps, 'config' | 'jira'>,
  clients: JiraClients = createJiraClients(deps.jira),
) {
  const session = createJiraSession(deps.config.jira, clients);
  const people = createJiraPeople(session);
  const reads = createJiraReads(session, people);
  const edits = createJiraEdits(session, people);
  const { addComment } = createJiraComments(session, reads, people);
  const { transitionIssue } = createJiraTransitions(session);
  const { linkIssues, createLinkedIssue } = createJiraLinks(session);
  const { copyAttachments } = createJiraAttachments(session);

  return {
    readIssue: reads.readIssue,
    assignIssue: edits.assignIssue,
    updateIssueFields: edits.updateIssueFields,
    addRequestParticipants: people.addRequestParticipants,
    removeRequestParticipants: people.removeRequestParticipants,
    addWatchers: people.addWatchers,
    addComment,
    transitionIssue,
    createLinkedIssue,
    linkIssues,
    copyAttachments,
    countOpenIssuesByAssignee: reads.countOpenIssuesByAssignee,
    searchIssues: reads.searchIssues,
    findUserByEmail: people.findUserByEmail,
    lookupAccount: people.lookupAccount,
  };
}

export type JiraActivities = ReturnType<typeof createJiraActivities>;
