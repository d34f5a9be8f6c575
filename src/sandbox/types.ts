/**
 * The sandbox's read and control types: what tests, the scenario runner and people see of the local
 * Jira Service Management + Slack + Aha! stand-in. People are named by e-mail everywhere.
 */

export type SandboxService = 'jira' | 'slack' | 'aha';

export interface NormalizedComment {
  id: string;
  /** E-mail of the author. */
  author: string;
  /** Plain text (ADF bodies are flattened); a mention reads `[~email]`. */
  body: string;
  /** E-mails of the people the comment mentions (ADF mention nodes, so Jira notifies them). */
  mentions: string[];
  /** true = shared with the customer; false = internal note. */
  public: boolean;
  /** ISO-8601. */
  created: string;
  /** Comment properties by key (e.g. `sd.public.comment`, an idempotency key). */
  properties: Record<string, unknown>;
}

export interface NormalizedLink {
  /** Link type name: "Duplicate", "Relates", "Blocks". */
  type: string;
  /** outward: this issue "duplicates"/"relates to" `key`; inward: `key` "duplicates"/"relates to" this issue. */
  direction: 'outward' | 'inward';
  key: string;
}

export interface NormalizedIssue {
  key: string;
  id: string;
  project: string;
  issueType: string;
  summary: string;
  description: string;
  status: string;
  resolution: string | null;
  requestType: string | null;
  organization: string | null;
  priority: string | null;
  /** The parent epic's summary. */
  epic: string | null;
  /** null = anonymous. */
  reporter: string | null;
  assignee: string | null;
  qaAssignee: string | null;
  needsConfiguration: string | null;
  labels: string[];
  components: string[];
  participants: string[];
  watchers: string[];
  comments: NormalizedComment[];
  links: NormalizedLink[];
  attachments: string[];
  /** ISO-8601. */
  created: string;
  updated: string;
}

export interface SlackMessage {
  /** Channel id (C… for channels, D… for direct messages). */
  channel: string;
  /** '#name' for a channel, the user's e-mail for a direct message. */
  to: string;
  text: string;
  ts: string;
  metadata: {
    event_type: string;
    event_payload: Record<string, unknown>;
  } | null;
  threadTs: string | null;
}

export interface AhaIdea {
  id: string;
  referenceNum: string;
  name: string;
  description: string;
  tags: string[];
  url: string;
  /** ISO-8601. */
  created: string;
}

export interface SandboxState {
  issues: NormalizedIssue[];
  slack: SlackMessage[];
  aha: AhaIdea[];
  /** Webhook deliveries: acknowledged (duplicates count again), waiting, and refused with a final 4xx. */
  webhooks: { delivered: number; pending: number; dropped: number };
  /** Slack Web API calls per method so far (e.g. `conversations.history`). */
  slackCalls: Record<string, number>;
}

/** A support request arriving by e-mail on the SS desk. */
export interface CreateTicketInput {
  /** e.g. "SS-1"; the next free key when absent. */
  key?: string;
  summary: string;
  description: string;
  /** E-mail of the sender, who becomes the reporter. */
  reporter: string;
  participants?: string[];
  attachments?: string[];
  /** false: the ticket is created but its jira:issue_created webhook is lost (never sent). */
  webhook?: boolean;
}

/** A ticket that was in Jira before deskflow was switched on: created with its history, no webhook sent. */
export interface ExistingTicketInput extends Omit<CreateTicketInput, 'webhook'> {
  /** ISO-8601 creation time (in the past). */
  created: string;
  /** Status name to leave it in (default: as the comments left it). */
  status?: string;
  resolution?: string;
  /** E-mail of the assignee. */
  assignee?: string;
  /** JSM request type name. */
  requestType?: string;
  comments?: { by: string; body: string; internal?: boolean; created: string }[];
}

/** Someone edits an issue in Jira; only the keys given change, and jira:issue_updated follows. */
export interface EditIssueInput {
  key: string;
  /** E-mail of who edits it; default a sandbox staff user. */
  by?: string;
  /** E-mail of the new assignee; null unassigns. */
  assignee?: string | null;
  summary?: string;
  description?: string;
}

export interface AddCommentInput {
  key: string;
  /** E-mail of the author. */
  by: string;
  body: string;
  /** true = internal note; default false (public). */
  internal?: boolean;
}

export interface TransitionInput {
  key: string;
  /** Target status name. */
  to: string;
  /** E-mail of who moves it; default a sandbox staff user. */
  by?: string;
  resolution?: string;
}

export interface FaultInput {
  service: SandboxService;
  status: 503 | 429;
  /** 429 only: the Retry-After header, seconds (default 1); null sends none, as Jira sometimes does. */
  retryAfterSeconds?: number | null;
  /** Answer only the next N requests with the fault (default: 429 → 1, 503 → until cleared). */
  count?: number;
  /** 503: answer with the fault until this time by the sandbox clock (ISO-8601 or Date). */
  until?: string | Date;
  /** Only requests whose path contains this text (e.g. '/issueLink'); others pass and do not count. */
  path?: string;
  /** Only requests whose path ends with this text (e.g. '/issue': creating an issue, in either API version). */
  pathEnd?: string;
  /** Only requests with this HTTP method (e.g. 'POST'); others pass and do not count. */
  method?: string;
  /**
   * The request is carried out first and only its reply is replaced by the fault: a write that reached the
   * service while its answer was lost (a gateway timeout, a dropped connection). Jira only.
   */
  afterApplying?: boolean;
}

/** Thrown by the control methods; the HTTP control API answers with `status`. */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}
