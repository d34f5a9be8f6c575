/**
 * The sandbox Jira's field catalogue and shared pieces: field names and schemas, which fields a request
 * may set, the patch and error types, the lookups the serialisers and validators read, and small helpers.
 */
import {
  CF,
  type StoredComponent,
  type StoredIssue,
  type StoredLink,
  type StoredOrganization,
  type StoredUser,
} from './state';
import type { Workflows } from './jira-workflow';

export type Api = 2 | 3;

/** What the serialisers, validators and JQL values read of the model. */
export interface JiraLookup {
  baseUrl(): string;
  readonly requestTypes: { id: string; name: string }[];
  user(accountId: string | null | undefined): StoredUser | undefined;
  issue(keyOrId: string): StoredIssue | undefined;
  links(): StoredLink[];
  components(project: string): StoredComponent[];
  organization(id: string): StoredOrganization | undefined;
  /** Whether JQL may search this issue property (an app registered it for indexing). */
  isSearchableProperty(key: string): boolean;
  /** Each project's workflow. */
  readonly workflows: Workflows;
  /** Whether the user may be a reporter or participant on the desk (an agent, or a customer of it). */
  mayUseDesk(accountId: string): boolean;
}

/** Normalized field changes; only the keys present change. */
export interface IssuePatch {
  summary?: string;
  description?: string;
  reporterId?: string | null;
  assigneeId?: string | null;
  priority?: string | null;
  labels?: string[];
  components?: string[];
  requestTypeId?: string | null;
  organizationIds?: string[];
  needsConfiguration?: string | null;
  qaAssigneeId?: string | null;
  parentKey?: string | null;
  participants?: string[];
}

/** A Jira validation failure: 400 `{errorMessages, errors}`. */
export class JiraValidationError extends Error {
  constructor(
    readonly errors: Record<string, string>,
    readonly errorMessages: string[] = [],
    readonly status = 400,
  ) {
    super([...errorMessages, ...Object.entries(errors).map(([k, v]) => `${k}: ${v}`)].join('; '));
  }
}

export const FIELD_NAMES: Record<string, string> = {
  summary: 'Summary',
  description: 'Description',
  status: 'Status',
  project: 'Project',
  issuetype: 'Issue Type',
  reporter: 'Reporter',
  assignee: 'Assignee',
  creator: 'Creator',
  priority: 'Priority',
  labels: 'Labels',
  components: 'Components',
  resolution: 'Resolution',
  resolutiondate: 'Resolved',
  created: 'Created',
  updated: 'Updated',
  statuscategorychangedate: 'Status Category Changed',
  issuelinks: 'Linked Issues',
  parent: 'Parent',
  watches: 'Watchers',
  comment: 'Comment',
  attachment: 'Attachment',
  [CF.requestType]: 'Request Type',
  [CF.organizations]: 'Organizations',
  [CF.participants]: 'Request participants',
  [CF.needsConfiguration]: 'Needs Configuration?',
  [CF.qaAssignee]: 'QA assignee',
};

export const EDITABLE = new Set([
  'summary',
  'description',
  'reporter',
  'assignee',
  'priority',
  'labels',
  'components',
  'parent',
  CF.requestType,
  CF.organizations,
  CF.participants,
  CF.needsConfiguration,
  CF.qaAssignee,
]);

export const CUSTOM_SCHEMAS: Record<string, { type: string; custom: string; items?: string }> = {
  [CF.requestType]: {
    type: 'sd-customerrequesttype',
    custom: 'com.atlassian.servicedesk:vp-origin',
  },
  [CF.organizations]: {
    type: 'array',
    items: 'sd-customerorganization',
    custom: 'com.atlassian.servicedesk:sd-customer-organizations',
  },
  [CF.participants]: {
    type: 'array',
    items: 'user',
    custom: 'com.atlassian.servicedesk:sd-request-participants',
  },
  [CF.needsConfiguration]: {
    type: 'option',
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select',
  },
  [CF.qaAssignee]: {
    type: 'user',
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:userpicker',
  },
};

/** Jira's timestamp format, e.g. 2026-11-02T09:00:00.000+0000. */
export function jiraTime(iso: string): string {
  return iso.replace('Z', '+0000');
}

/** Jira's answer for a field that is not on the screen of the operation. */
export function screenError(field: string): string {
  return `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

export function eqi(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** An SS issue with every field empty: the base of a new issue, and the probe for JQL field names. */
export function blankIssue(now: string): StoredIssue {
  return {
    id: '0',
    key: 'SS-0',
    project: 'SS',
    issueType: 'Service Request',
    summary: '',
    description: '',
    status: 'Waiting for support',
    resolution: null,
    resolutionDate: null,
    reporterId: null,
    creatorId: '',
    assigneeId: null,
    priority: null,
    labels: [],
    components: [],
    requestTypeId: null,
    organizationIds: [],
    needsConfiguration: null,
    qaAssigneeId: null,
    parentKey: null,
    participants: [],
    watchers: [],
    comments: [],
    properties: {},
    attachments: [],
    created: now,
    updated: now,
    statusChanged: now,
    changelog: [],
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
