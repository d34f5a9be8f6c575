/**
 * The activities' contract: the input and output of every side effect the procedures need.
 * Workflows import these types only (`import type`); the implementations live in jira.ts,
 * slack.ts, aha.ts and settings.ts and are merged by createActivities() in index.ts.
 *
 * People are named by e-mail everywhere; the Jira and Slack activities look up account ids.
 * Every write that is not naturally idempotent takes an `opKey` — derived by the workflow from
 * its id, the SOP step and the target — and checks for it before writing, so a retried activity
 * never writes twice.
 */
import type { Classification, WorkflowSettings } from './settings-types';

export type { Classification, WorkflowSettings } from './settings-types';
export type { LinkedIssueFact, TicketFacts } from './ticket-facts';
import type { TicketFacts } from './ticket-facts';

export interface IssueLink {
  /** Link type name, e.g. "Duplicate", "Relates". */
  type: string;
  direction: 'inward' | 'outward';
  key: string;
  project: string;
  status: string;
}

export interface IssueComment {
  id: string;
  authorEmail: string | null;
  body: string;
  public: boolean;
  created: string;
}

/** What the workflows need to know about one issue. */
export interface IssueSnapshot {
  key: string;
  project: string;
  issueType: string;
  summary: string;
  description: string;
  status: string;
  resolution: string | null;
  /** ISO timestamp. */
  created: string;
  reporter: string | null;
  assignee: string | null;
  participants: string[];
  watchers: string[];
  organization: string | null;
  requestType: string | null;
  priority: string | null;
  labels: string[];
  components: string[];
  links: IssueLink[];
  /** Empty unless readIssue was asked for them. */
  comments: IssueComment[];
  attachments: string[];
}

export interface IssueKeyInput {
  key: string;
}

export interface AssignIssueInput {
  key: string;
  /** null unassigns. */
  assignee: string | null;
}

/** Field changes; only the keys given are changed. Values are names and e-mails, never ids. */
export interface UpdateIssueFieldsInput {
  key: string;
  requestType?: string;
  /** null makes the request anonymous. */
  reporter?: string | null;
  organization?: string;
  priority?: string;
  addLabels?: string[];
  components?: string[];
  /** Epic name (the parent epic's summary). */
  epic?: string;
  needsConfiguration?: string;
  qaAssignee?: string;
}

export interface PeopleInput {
  key: string;
  emails: string[];
}

export interface WatchersInput extends PeopleInput {
  /**
   * JSM customers cannot watch (they may not browse issues in Jira): left out, or with this set, on a
   * desk ticket, made request participants instead, which is how JSM keeps a customer informed (E-04).
   */
  customersAsParticipants?: boolean;
}

export interface AddCommentInput {
  key: string;
  body: string;
  /** true = "share with customer" (JSM public), false = internal note. */
  public: boolean;
  /** Idempotency key: a second call with the same key returns the first comment. */
  opKey: string;
}

export interface AddCommentResult {
  id: string;
  created: string;
  /** false when the comment with this opKey already existed. */
  created_now: boolean;
}

export interface TransitionIssueInput {
  key: string;
  /** Target status name, e.g. "Closed". */
  to: string;
  resolution?: string;
  /**
   * Idempotency key: a second call with the same key changes nothing, even after the issue has moved on
   * (a local activity re-run as attempt 1 after its workflow task was lost). Without it only "already
   * there" makes a call a no-op (calls recorded before the key existed).
   */
  opKey?: string;
}

export interface CreateLinkedIssueInput {
  opKey: string;
  project: string;
  issueType: string;
  summary: string;
  description: string;
  /** The SS ticket the new issue is linked to. */
  linkTo: string;
  linkType: string;
}

export interface LinkIssuesInput {
  /** The issue that "duplicates" / "relates to" the other (outward side). */
  from: string;
  to: string;
  type: string;
}

/** the files of one issue copied onto another (the SS ticket's documents onto its CS ticket). */
export interface CopyAttachmentsInput {
  from: string;
  to: string;
  /** Only the files with these names; all of `from`'s files when absent. */
  filenames?: string[];
}

export interface CopyAttachmentsResult {
  /** Uploaded to `to` by this call. */
  copied: string[];
  /** Already on `to` (same file name and size): a retried or repeated copy. */
  already: string[];
  /** Not copied, with Jira's reason (e.g. over the target site's size limit, deleted meanwhile). */
  failed: { filename: string; reason: string }[];
}

export interface SearchIssuesInput {
  /** JQL, e.g. `project = SS AND statusCategory != Done AND summary ~ "EverBright"`. */
  jql: string;
  /** Stop after this many results (default 50). */
  max?: number;
}

export interface IssueSummary {
  key: string;
  summary: string;
  status: string;
  organization: string | null;
  reporter: string | null;
}

export interface CountOpenIssuesInput {
  project: string;
  assignees: string[];
}

export interface FindUserInput {
  email: string;
}

export type FoundUser =
  { found: true; accountId: string; email: string; displayName: string } | { found: false; email: string };

export interface LookupAccountInput {
  accountId: string;
}

/** A Jira account as Jira's user API shows it; `email` null when Jira hides it. */
export interface JiraAccount {
  accountId: string;
  email: string | null;
  displayName: string | null;
  /** `atlassian`, `customer` or `app`; null when Jira does not say. */
  accountType: string | null;
}

export interface PostSlackMessageInput {
  /** An e-mail (direct message to that person) or a channel such as "#support". */
  to: string;
  text: string;
  /** Ticket the message is about; its key and link are always included in the message. */
  ticketKey: string;
  opKey: string;
  /** E-mails of people to @-mention at the start of the message (unknown ones are named in plain text). */
  mention?: string[];
  /**
   * Set by workflows that call this as a regular activity only: its attempt 1 is the first try anywhere,
   * so the duplicate check (reading Slack history) runs from attempt 2 on. Without it every call checks
   * but a local activity's first attempt (the older runs' local-first calls; see isRetry in slack.ts).
   */
  firstAttemptIsFirstTry?: boolean;
}

export type PostSlackMessageResult =
  | { sent: true; channel: string; ts: string; duplicate: boolean }
  /** The e-mail matched no Slack user: the caller applies the procedure's fallback. */
  | { sent: false; reason: 'user_not_found'; to: string };

export interface CreateAhaIdeaInput {
  opKey: string;
  name: string;
  description: string;
  ticketKey: string;
}

export interface CreateAhaIdeaResult {
  url: string;
  referenceNum: string;
}

export interface ClassifyTicketInput {
  summary: string;
  description: string;
  reporter: string | null;
}

/** Every activity the workflows may call. */
export interface DeskflowActivities {
  // Jira (jira.ts)
  /**
   * The issue as the workflows use it. Its comments only when asked for (`comments: true`): no workflow
   * reads them, and every byte an activity returns stays in the ticket's history (issue 10).
   */
  readIssue(input: IssueKeyInput & { comments?: boolean }): Promise<IssueSnapshot>;
  assignIssue(input: AssignIssueInput): Promise<void>;
  updateIssueFields(input: UpdateIssueFieldsInput): Promise<void>;
  addRequestParticipants(input: PeopleInput): Promise<void>;
  removeRequestParticipants(input: PeopleInput): Promise<void>;
  addWatchers(input: WatchersInput): Promise<void>;
  addComment(input: AddCommentInput): Promise<AddCommentResult>;
  transitionIssue(input: TransitionIssueInput): Promise<void>;
  createLinkedIssue(input: CreateLinkedIssueInput): Promise<{ key: string }>;
  linkIssues(input: LinkIssuesInput): Promise<void>;
  /**
   * Copies files from one issue to another as Jira Cloud allows it: each file's content is downloaded and
   * uploaded to the target. A file already on the target (same name and size) is not attached twice.
   */
  copyAttachments(input: CopyAttachmentsInput): Promise<CopyAttachmentsResult>;
  countOpenIssuesByAssignee(input: CountOpenIssuesInput): Promise<Record<string, number>>;
  /** Enhanced JQL search (paging through nextPageToken), e.g. open onboarding tickets for E-13. */
  searchIssues(input: SearchIssuesInput): Promise<IssueSummary[]>;
  findUserByEmail(input: FindUserInput): Promise<FoundUser>;
  /** The ticket as it is in Jira, for a run that did not see it arrive (ticket-facts.ts). */
  readTicketFacts(input: IssueKeyInput): Promise<TicketFacts>;
  /** Only the keys a JQL search finds (the S-01 queue sweep, `deskflow adopt --jql`). */
  searchIssueKeys(input: { jql: string; max?: number }): Promise<string[]>;
  /** The e-mail (and type) of an account named by id in a webhook (cached): who wrote, who reported. */
  lookupAccount(input: LookupAccountInput): Promise<JiraAccount>;
  // Slack (slack.ts)
  postSlackMessage(input: PostSlackMessageInput): Promise<PostSlackMessageResult>;
  // Aha! (aha.ts)
  createAhaIdea(input: CreateAhaIdeaInput): Promise<CreateAhaIdeaResult>;
  // Configuration and classification (settings.ts): pure, but run as activities so their
  // results are recorded in history and a configuration change never breaks a replay.
  loadWorkflowSettings(input?: { at?: string }): Promise<WorkflowSettings>;
  classifyTicket(input: ClassifyTicketInput): Promise<Classification>;
}
