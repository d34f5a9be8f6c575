/**
 * The sandbox's stored state (plain JSON, so it can be saved and loaded) and the fixed catalogue of
 * projects, issue types, statuses, link types, priorities, resolutions and custom fields it serves.
 */
import { createHash } from 'node:crypto';

export interface StoredUser {
  accountId: string;
  /** The sandbox's handle for the person; Jira shows it as emailAddress except for app accounts. */
  email: string;
  displayName: string;
  staff: boolean;
  /** Jira Cloud's account type; absent in data saved before it was kept (then: staff → atlassian). */
  accountType?: AccountType;
}

/** `atlassian` for staff, `customer` for JSM portal customers, `app` for automation and integrations. */
export type AccountType = 'atlassian' | 'customer' | 'app';

export interface StoredComment {
  id: string;
  authorId: string;
  body: string;
  public: boolean;
  created: string;
  updated: string;
  properties: Record<string, unknown>;
}

/** A file attached to an issue; its bytes are kept (base64) so they can be downloaded and copied. */
export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  mimeType: string;
  created: string;
  authorId: string;
  /** The file's bytes, base64. */
  content: string;
}

/**
 * Jira Cloud's attachment size limit as the sandbox applies it (Jira: the site's setting, reported by
 * /rest/api/3/attachment/meta; an upload over it is refused with 413). Kept below the request body bound.
 */
export const ATTACHMENT_MAX_BYTES = 512 * 1024;

/** The bytes a file named at creation (a scenario's `attachments: ["name"]`) holds: a small, fixed text. */
export function placeholderContent(filename: string): Buffer {
  return Buffer.from(`Sandbox file ${filename}\n`, 'utf8');
}

const MIME_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv',
  txt: 'text/plain',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The content type Jira shows for a file name (by extension; unknown: application/octet-stream). */
export function mimeTypeOf(filename: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  return MIME_TYPES[ext] ?? 'application/octet-stream';
}

export interface StoredIssue {
  id: string;
  key: string;
  project: string;
  issueType: string;
  summary: string;
  description: string;
  status: string;
  resolution: string | null;
  resolutionDate: string | null;
  reporterId: string | null;
  creatorId: string;
  assigneeId: string | null;
  priority: string | null;
  labels: string[];
  components: string[];
  requestTypeId: string | null;
  organizationIds: string[];
  needsConfiguration: string | null;
  qaAssigneeId: string | null;
  parentKey: string | null;
  participants: string[];
  watchers: string[];
  comments: StoredComment[];
  properties: Record<string, unknown>;
  /** Data saved before file contents were kept holds bare file names (read as placeholder files). */
  attachments: StoredAttachment[];
  created: string;
  updated: string;
  statusChanged: string;
  changelog: ChangelogEntry[];
}

export interface ChangelogItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ChangelogEntry {
  id: string;
  authorId: string;
  created: string;
  items: ChangelogItem[];
}

export interface StoredLink {
  id: string;
  type: string;
  /** The issue the outward description applies to ("SOURCE duplicates DEST"). */
  source: string;
  dest: string;
}

export interface StoredComponent {
  id: string;
  project: string;
  name: string;
}

export interface StoredOrganization {
  id: string;
  name: string;
  created: string;
}

export interface StoredSlackChannel {
  id: string;
  /** Channel name without '#'; null for direct messages. */
  name: string | null;
  /** Direct-message partner (Slack user id) for ims. */
  user: string | null;
  created: number;
  /** A private channel (seen only by its members). Absent: public. */
  isPrivate?: boolean;
  /** Whether the bot is a member (absent in data saved before membership was kept: a member). */
  botMember?: boolean;
}

export interface StoredSlackMessage {
  channel: string;
  text: string;
  ts: string;
  threadTs: string | null;
  metadata: {
    event_type: string;
    event_payload: Record<string, unknown>;
  } | null;
  blocks: unknown;
}

export interface StoredIdea {
  id: string;
  productId: string;
  referenceNum: string;
  name: string;
  description: string;
  tags: string[];
  createdBy: string | null;
  created: string;
}

export interface StoredState {
  version: 1;
  users: StoredUser[];
  issues: StoredIssue[];
  links: StoredLink[];
  components: StoredComponent[];
  organizations: StoredOrganization[];
  /** Account ids added to the service desk as customers (what a restricted desk requires). */
  deskCustomers?: string[];
  counters: Record<string, number>;
  slack: {
    users: string[];
    channels: StoredSlackChannel[];
    messages: StoredSlackMessage[];
  };
  aha: StoredIdea[];
}

// ---------------------------------------------------------------------------------------------
// The catalogue

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface StatusDef {
  id: string;
  name: string;
  category: StatusCategoryKey;
  /** Id of the transition into this status (stable). */
  transitionId: string;
}

export const STATUS_CATEGORIES: Record<StatusCategoryKey, { id: number; name: string; colorName: string }> = {
  new: { id: 2, name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, name: 'Done', colorName: 'green' },
};

export const STATUSES: StatusDef[] = [
  {
    id: '10001',
    name: 'Waiting for support',
    category: 'new',
    transitionId: '11',
  },
  {
    id: '10002',
    name: 'Waiting for customer',
    category: 'indeterminate',
    transitionId: '21',
  },
  {
    id: '3',
    name: 'In Progress',
    category: 'indeterminate',
    transitionId: '31',
  },
  {
    id: '10003',
    name: 'On Hold',
    category: 'indeterminate',
    transitionId: '41',
  },
  { id: '6', name: 'Closed', category: 'done', transitionId: '51' },
  { id: '10000', name: 'To Do', category: 'new', transitionId: '61' },
  { id: '10004', name: 'Done', category: 'done', transitionId: '71' },
  { id: '5', name: 'Resolved', category: 'done', transitionId: '81' },
];

export interface IssueTypeDef {
  id: string;
  name: string;
  description: string;
  hierarchyLevel: number;
}

export const ISSUE_TYPES: IssueTypeDef[] = [
  {
    id: '10100',
    name: 'Service Request',
    description: 'A request raised through the service desk.',
    hierarchyLevel: 0,
  },
  {
    id: '10101',
    name: 'CS Ticket',
    description: 'A configuration request for Customer Success.',
    hierarchyLevel: 0,
  },
  {
    id: '10102',
    name: 'Task',
    description: 'A small, distinct piece of work.',
    hierarchyLevel: 0,
  },
  {
    id: '10103',
    name: 'Epic',
    description: 'A collection of related work.',
    hierarchyLevel: 1,
  },
  {
    id: '10104',
    name: 'Bug',
    description: 'A problem which impairs or prevents the functions of a product.',
    hierarchyLevel: 0,
  },
];

export interface ProjectDef {
  id: string;
  key: string;
  name: string;
  projectTypeKey: 'service_desk' | 'software';
  issueTypes: string[];
  statuses: string[];
  initialStatus: string;
  serviceDeskId?: string;
}

const SS_STATUSES = ['Waiting for support', 'Waiting for customer', 'In Progress', 'On Hold', 'Resolved', 'Closed'];
const WORK_STATUSES = ['To Do', 'In Progress', 'On Hold', 'Done'];

export const PROJECTS: ProjectDef[] = [
  {
    id: '10000',
    key: 'SS',
    name: 'Sighten Support',
    projectTypeKey: 'service_desk',
    issueTypes: ['Service Request', 'Task', 'Bug'],
    statuses: SS_STATUSES,
    initialStatus: 'Waiting for support',
    serviceDeskId: '1',
  },
  {
    id: '10001',
    key: 'CS',
    name: 'Customer Success Configuration',
    projectTypeKey: 'software',
    issueTypes: ['CS Ticket', 'Task', 'Epic'],
    statuses: WORK_STATUSES,
    initialStatus: 'To Do',
  },
  {
    id: '10002',
    key: 'DEV',
    name: 'Prod/Dev',
    projectTypeKey: 'software',
    issueTypes: ['Bug'],
    statuses: WORK_STATUSES,
    initialStatus: 'To Do',
  },
];

export const SERVICE_DESK = {
  id: '1',
  projectKey: 'SS',
  projectId: '10000',
  projectName: 'Sighten Support',
};

export const LINK_TYPES = [
  {
    id: '10002',
    name: 'Duplicate',
    inward: 'is duplicated by',
    outward: 'duplicates',
  },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' },
  { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
];

export const PRIORITIES = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

export const RESOLUTIONS = [
  {
    id: '10000',
    name: 'Done',
    description: 'Work has been completed on this issue.',
  },
  {
    id: '10001',
    name: "Won't Do",
    description: 'This issue won’t be actioned.',
  },
  {
    id: '10002',
    name: 'Duplicate',
    description: 'The problem is a duplicate of an existing issue.',
  },
  // Two a desk adds for its DEV project (R-05 reads them as "not fixed").
  { id: '10003', name: "Won't Fix", description: 'The problem will not be fixed.' },
  { id: '10004', name: 'Cannot Reproduce', description: 'The problem could not be reproduced.' },
];

export const NEEDS_CONFIGURATION_OPTIONS = [
  { id: '10200', value: 'Integrated Finance' },
  { id: '10201', value: 'None' },
];

/** Custom field ids (defaults in src/config/defaults.ts `jira.fields`). */
export const CF = {
  requestType: 'customfield_10010',
  organizations: 'customfield_10002',
  participants: 'customfield_10001',
  needsConfiguration: 'customfield_10100',
  qaAssignee: 'customfield_10101',
} as const;

export const AUTOMATION_EMAIL = 'automation@sighten.io';
/** Automation for Jira's app account, the same id on every Jira Cloud site; it has no e-mail address. */
export const AUTOMATION_ACCOUNT_ID = '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077';
export const AUTOMATION_DISPLAY_NAME = 'Automation for Jira';

/** A user's Jira Cloud account type (data saved before types were kept: the automation is an app). */
export function accountTypeOf(u: StoredUser): AccountType {
  if (u.accountType) return u.accountType;
  if (u.email.toLowerCase() === AUTOMATION_EMAIL) return 'app';
  return u.staff ? 'atlassian' : 'customer';
}
export const DEFAULT_ACTOR_EMAIL = 'sandbox.agent@sighten.io';
export const ONBOARDING_EPIC = 'EverBright Configurations CS Onboarding';
export const INTEGRATED_FINANCE = 'Integrated Finance';

export function statusDef(name: string): StatusDef | undefined {
  return STATUSES.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

export function projectDef(keyOrId: string): ProjectDef | undefined {
  return PROJECTS.find((p) => p.key.toLowerCase() === keyOrId.toLowerCase() || p.id === keyOrId);
}

export function issueTypeDef(nameOrId: string): IssueTypeDef | undefined {
  return ISSUE_TYPES.find((t) => t.name.toLowerCase() === nameOrId.toLowerCase() || t.id === nameOrId);
}

/** A stable Jira-Cloud-looking account id for an e-mail (case-insensitive). */
export function accountIdFor(email: string): string {
  const h = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
  return `712020:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A stable Slack-looking user id for an e-mail. */
export function slackUserIdFor(email: string): string {
  return 'U' + createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 10).toUpperCase();
}

export function displayNameFor(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

export function emptyState(): StoredState {
  return {
    version: 1,
    users: [],
    issues: [],
    links: [],
    components: [],
    organizations: [],
    deskCustomers: [],
    counters: {
      issueId: 10000,
      commentId: 10000,
      linkId: 10000,
      componentId: 10000,
      organizationId: 0,
      changelogId: 10000,
      idea: 0,
    },
    slack: { users: [], channels: [], messages: [] },
    aha: [],
  };
}
