/**
 * The sandbox's Jira Service Management: issues and their changes, the desk's status rules, the
 * onboarding automation (E-08), Jira Cloud's JSON shapes, and a webhook for every change.
 */
import { adfToText, isAdfDoc, textToAdf } from '../shared/adf';
import {
  accountIdFor,
  AUTOMATION_EMAIL,
  CF,
  displayNameFor,
  INTEGRATED_FINANCE,
  issueTypeDef,
  ISSUE_TYPES,
  LINK_TYPES,
  NEEDS_CONFIGURATION_OPTIONS,
  PRIORITIES,
  projectDef,
  RESOLUTIONS,
  SERVICE_DESK,
  STATUS_CATEGORIES,
  statusDef,
  type ChangelogItem,
  type ProjectDef,
  type StoredComment,
  type StoredIssue,
  type StoredState,
  type StoredUser,
} from './state';
import type { NormalizedComment, NormalizedIssue, NormalizedLink } from './types';

export type Api = 2 | 3;

export interface JiraModelOptions {
  now: () => Date;
  internalDomains: string[];
  baseUrl: () => string;
  requestTypes: string[];
  emit: (payload: Record<string, unknown>) => void;
  changed: () => void;
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

const FIELD_NAMES: Record<string, string> = {
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

const EDITABLE = new Set([
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

const CUSTOM_SCHEMAS: Record<string, { type: string; custom: string; items?: string }> = {
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

function eqi(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export class JiraModel {
  readonly requestTypes: { id: string; name: string }[];

  constructor(
    private state: StoredState,
    private readonly o: JiraModelOptions,
  ) {
    this.requestTypes = [...new Set(o.requestTypes)].map((name, i) => ({
      id: String(i + 1),
      name,
    }));
  }

  replaceState(state: StoredState): void {
    this.state = state;
  }

  /** Marks the state changed (for saving) after a change that sends no webhook. */
  touch(): void {
    this.o.changed();
  }

  private nowIso(): string {
    return this.o.now().toISOString();
  }

  private next(counter: string): string {
    const n = (this.state.counters[counter] ?? 0) + 1;
    this.state.counters[counter] = n;
    return String(n);
  }

  // ---------------------------------------------------------------------------------- users

  isStaffEmail(email: string): boolean {
    const domain = email.split('@')[1]?.toLowerCase() ?? '';
    return this.o.internalDomains.some((d) => domain === d.toLowerCase() || domain.endsWith('.' + d.toLowerCase()));
  }

  /** The user with this e-mail, created on first sight. */
  ensureUser(email: string): StoredUser {
    const existing = this.userByEmail(email);
    if (existing) return existing;
    const user: StoredUser = {
      accountId: accountIdFor(email),
      email: email.trim(),
      displayName: displayNameFor(email.trim()),
      staff: this.isStaffEmail(email),
    };
    this.state.users.push(user);
    this.o.changed();
    return user;
  }

  userByEmail(email: string): StoredUser | undefined {
    return this.state.users.find((u) => eqi(u.email, email.trim()));
  }

  user(accountId: string | null | undefined): StoredUser | undefined {
    if (!accountId) return undefined;
    return this.state.users.find((u) => u.accountId === accountId);
  }

  users(): StoredUser[] {
    return this.state.users;
  }

  userJson(u: StoredUser, api: Api = 3): Record<string, unknown> {
    const base = this.o.baseUrl();
    return {
      self: `${base}/rest/api/${api}/user?accountId=${encodeURIComponent(u.accountId)}`,
      accountId: u.accountId,
      accountType: u.staff ? 'atlassian' : 'customer',
      emailAddress: u.email,
      avatarUrls: {
        '48x48': `${base}/avatar/${u.accountId}/48`,
        '24x24': `${base}/avatar/${u.accountId}/24`,
        '16x16': `${base}/avatar/${u.accountId}/16`,
        '32x32': `${base}/avatar/${u.accountId}/32`,
      },
      displayName: u.displayName,
      active: true,
      timeZone: 'America/Los_Angeles',
      locale: 'en_US',
    };
  }

  jsmUserJson(u: StoredUser): Record<string, unknown> {
    const base = this.o.baseUrl();
    return {
      accountId: u.accountId,
      emailAddress: u.email,
      displayName: u.displayName,
      active: true,
      timeZone: 'America/Los_Angeles',
      _links: {
        jiraRest: `${base}/rest/api/2/user?accountId=${encodeURIComponent(u.accountId)}`,
        avatarUrls: { '48x48': `${base}/avatar/${u.accountId}/48` },
        self: `${base}/rest/api/2/user?accountId=${encodeURIComponent(u.accountId)}`,
      },
    };
  }

  // --------------------------------------------------------------------------------- issues

  issue(keyOrId: string): StoredIssue | undefined {
    return this.state.issues.find((i) => eqi(i.key, keyOrId) || i.id === keyOrId);
  }

  issues(): StoredIssue[] {
    return this.state.issues;
  }

  links(): StoredLink[] {
    return this.state.links;
  }

  /** Creates an issue with the given fields already applied, then sends jira:issue_created. */
  createIssue(input: {
    project: ProjectDef;
    issueType: string;
    summary: string;
    description: string;
    actor: StoredUser;
    reporterId?: string | null;
    patch?: IssuePatch;
    properties?: Record<string, unknown>;
    key?: string;
    attachments?: string[];
    /** Linked at creation (as Jira's create with `update.issuelinks`): the created event carries the link. */
    linkFrom?: { type: string; source: StoredIssue };
  }): StoredIssue {
    const now = this.nowIso();
    let key = input.key;
    const counterName = `project:${input.project.key}`;
    if (key) {
      const n = Number(key.split('-')[1]);
      if (Number.isFinite(n) && n > (this.state.counters[counterName] ?? 0)) this.state.counters[counterName] = n;
    } else {
      key = `${input.project.key}-${this.next(counterName)}`;
    }
    const issue: StoredIssue = {
      ...blankIssue(now),
      id: this.next('issueId'),
      key,
      project: input.project.key,
      issueType: input.issueType,
      summary: input.summary,
      description: input.description,
      status: input.project.initialStatus,
      reporterId: input.reporterId === undefined ? input.actor.accountId : input.reporterId,
      creatorId: input.actor.accountId,
      properties: { ...(input.properties ?? {}) },
      attachments: [...(input.attachments ?? [])],
    };
    if (input.reporterId !== null && issue.reporterId) issue.watchers.push(issue.reporterId);
    this.applyPatchSilently(issue, input.patch ?? {});
    this.state.issues.push(issue);
    this.o.changed();
    if (input.linkFrom) this.linkIssues(input.linkFrom.type, input.linkFrom.source, issue);
    this.o.emit({
      timestamp: this.o.now().getTime(),
      webhookEvent: 'jira:issue_created',
      issue_event_type_name: 'issue_created',
      user: this.userJson(input.actor, 2),
      issue: this.webhookIssue(issue),
    });
    if (
      input.patch?.needsConfiguration &&
      issue.project === 'SS' &&
      eqi(input.patch.needsConfiguration, INTEGRATED_FINANCE)
    ) {
      this.onboardingAutomation(issue);
    }
    return issue;
  }

  private applyPatchSilently(issue: StoredIssue, patch: IssuePatch): void {
    for (const [k, v] of Object.entries(patch) as [keyof IssuePatch, unknown][]) {
      if (v === undefined) continue;
      (issue as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
    }
  }

  /** Applies field changes, records the changelog and sends jira:issue_updated. */
  updateIssue(issue: StoredIssue, patch: IssuePatch, actor: StoredUser): void {
    const items: ChangelogItem[] = [];
    const userItem = (
      field: string,
      fieldtype: 'jira' | 'custom',
      fieldId: string,
      from: string | null,
      to: string | null,
    ) => {
      if (from === to) return;
      items.push({
        field,
        fieldtype,
        fieldId,
        from,
        fromString: this.user(from)?.displayName ?? null,
        to,
        toString: this.user(to)?.displayName ?? null,
      });
    };
    const textItem = (field: string, fieldId: string, from: string | null, to: string | null) => {
      if (from === to) return;
      items.push({
        field,
        fieldtype: 'jira',
        fieldId,
        from: null,
        fromString: from,
        to: null,
        toString: to,
      });
    };
    if (patch.summary !== undefined) textItem('summary', 'summary', issue.summary, patch.summary);
    if (patch.description !== undefined)
      textItem('description', 'description', issue.description || null, patch.description || null);
    if (patch.reporterId !== undefined) userItem('reporter', 'jira', 'reporter', issue.reporterId, patch.reporterId);
    if (patch.assigneeId !== undefined) userItem('assignee', 'jira', 'assignee', issue.assigneeId, patch.assigneeId);
    if (patch.qaAssigneeId !== undefined)
      userItem('QA assignee', 'custom', CF.qaAssignee, issue.qaAssigneeId, patch.qaAssigneeId);
    if (patch.priority !== undefined && patch.priority !== issue.priority) {
      const p = (name: string | null) => PRIORITIES.find((x) => x.name === name);
      items.push({
        field: 'priority',
        fieldtype: 'jira',
        fieldId: 'priority',
        from: p(issue.priority)?.id ?? null,
        fromString: issue.priority,
        to: p(patch.priority)?.id ?? null,
        toString: patch.priority,
      });
    }
    if (patch.labels !== undefined && patch.labels.join(' ') !== issue.labels.join(' ')) {
      items.push({
        field: 'labels',
        fieldtype: 'jira',
        fieldId: 'labels',
        from: null,
        fromString: issue.labels.join(' '),
        to: null,
        toString: patch.labels.join(' '),
      });
    }
    if (patch.components !== undefined) {
      const comp = (name: string) => this.state.components.find((c) => c.project === issue.project && c.name === name);
      for (const added of patch.components.filter((c) => !issue.components.includes(c))) {
        items.push({
          field: 'Component',
          fieldtype: 'jira',
          fieldId: 'components',
          from: null,
          fromString: null,
          to: comp(added)?.id ?? null,
          toString: added,
        });
      }
      for (const removed of issue.components.filter((c) => !patch.components!.includes(c))) {
        items.push({
          field: 'Component',
          fieldtype: 'jira',
          fieldId: 'components',
          from: comp(removed)?.id ?? null,
          fromString: removed,
          to: null,
          toString: null,
        });
      }
    }
    if (patch.requestTypeId !== undefined && patch.requestTypeId !== issue.requestTypeId) {
      const rt = (id: string | null) => this.requestTypes.find((r) => r.id === id)?.name ?? null;
      items.push({
        field: 'Request Type',
        fieldtype: 'custom',
        fieldId: CF.requestType,
        from: issue.requestTypeId,
        fromString: rt(issue.requestTypeId),
        to: patch.requestTypeId,
        toString: rt(patch.requestTypeId),
      });
    }
    if (patch.organizationIds !== undefined && patch.organizationIds.join(',') !== issue.organizationIds.join(',')) {
      const names = (ids: string[]) => ids.map((id) => this.organization(id)?.name ?? id).join(', ');
      items.push({
        field: 'Organizations',
        fieldtype: 'custom',
        fieldId: CF.organizations,
        from: issue.organizationIds.length ? `[${issue.organizationIds.join(', ')}]` : null,
        fromString: issue.organizationIds.length ? names(issue.organizationIds) : null,
        to: patch.organizationIds.length ? `[${patch.organizationIds.join(', ')}]` : null,
        toString: patch.organizationIds.length ? names(patch.organizationIds) : null,
      });
    }
    if (patch.participants !== undefined && patch.participants.join(',') !== issue.participants.join(',')) {
      const names = (ids: string[]) => ids.map((id) => this.user(id)?.displayName ?? id).join(', ');
      items.push({
        field: 'Request participants',
        fieldtype: 'custom',
        fieldId: CF.participants,
        from: issue.participants.length ? `[${issue.participants.join(', ')}]` : null,
        fromString: issue.participants.length ? names(issue.participants) : null,
        to: patch.participants.length ? `[${patch.participants.join(', ')}]` : null,
        toString: patch.participants.length ? names(patch.participants) : null,
      });
    }
    if (patch.needsConfiguration !== undefined && patch.needsConfiguration !== issue.needsConfiguration) {
      const opt = (v: string | null) => NEEDS_CONFIGURATION_OPTIONS.find((o) => o.value === v)?.id ?? null;
      items.push({
        field: 'Needs Configuration?',
        fieldtype: 'custom',
        fieldId: CF.needsConfiguration,
        from: opt(issue.needsConfiguration),
        fromString: issue.needsConfiguration,
        to: opt(patch.needsConfiguration),
        toString: patch.needsConfiguration,
      });
    }
    if (patch.parentKey !== undefined && patch.parentKey !== issue.parentKey) {
      items.push({
        field: 'IssueParentAssociation',
        fieldtype: 'jira',
        fieldId: 'parent',
        from: this.issue(issue.parentKey ?? '')?.id ?? null,
        fromString: issue.parentKey,
        to: this.issue(patch.parentKey ?? '')?.id ?? null,
        toString: patch.parentKey,
      });
    }
    const becameIntegratedFinance =
      patch.needsConfiguration !== undefined &&
      patch.needsConfiguration !== issue.needsConfiguration &&
      patch.needsConfiguration !== null &&
      eqi(patch.needsConfiguration, INTEGRATED_FINANCE);
    this.applyPatchSilently(issue, patch);
    if (items.length === 0) return;
    this.recordChange(issue, actor, items);
    if (becameIntegratedFinance && issue.project === 'SS') this.onboardingAutomation(issue);
  }

  private recordChange(issue: StoredIssue, actor: StoredUser, items: ChangelogItem[]): void {
    const now = this.nowIso();
    issue.updated = now;
    const entry = {
      id: this.next('changelogId'),
      authorId: actor.accountId,
      created: now,
      items,
    };
    issue.changelog.push(entry);
    this.o.changed();
    const type = items.some((i) => i.field === 'status')
      ? 'issue_generic'
      : items.every((i) => i.field === 'assignee')
        ? 'issue_assigned'
        : 'issue_updated';
    this.o.emit({
      timestamp: this.o.now().getTime(),
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: type,
      user: this.userJson(actor, 2),
      issue: this.webhookIssue(issue),
      changelog: { id: entry.id, items },
    });
  }

  /** Moves an issue to a status of its project; entering a done status sets a resolution. */
  transitionIssue(issue: StoredIssue, to: string, actor: StoredUser, resolution?: string): void {
    const project = projectDef(issue.project)!;
    const target = statusDef(to);
    if (!target || !project.statuses.includes(target.name)) {
      throw new JiraValidationError({}, [`Status '${to}' is not valid for issue ${issue.key}.`]);
    }
    let res: string | null = issue.resolution;
    if (resolution !== undefined) {
      const r = RESOLUTIONS.find((x) => eqi(x.name, resolution));
      if (!r)
        throw new JiraValidationError({
          resolution: `Resolution '${resolution}' is not valid.`,
        });
      res = r.name;
    }
    if (target.category === 'done') res = res ?? 'Done';
    else res = null;
    const items: ChangelogItem[] = [];
    const from = statusDef(issue.status)!;
    if (from.name !== target.name) {
      items.push({
        field: 'status',
        fieldtype: 'jira',
        fieldId: 'status',
        from: from.id,
        fromString: from.name,
        to: target.id,
        toString: target.name,
      });
    }
    if (res !== issue.resolution) {
      const rid = (name: string | null) => RESOLUTIONS.find((r) => r.name === name)?.id ?? null;
      items.push({
        field: 'resolution',
        fieldtype: 'jira',
        fieldId: 'resolution',
        from: rid(issue.resolution),
        fromString: issue.resolution,
        to: rid(res),
        toString: res,
      });
    }
    if (items.length === 0) return;
    const now = this.nowIso();
    if (from.category !== target.category) issue.statusChanged = now;
    issue.status = target.name;
    if (res !== issue.resolution) issue.resolutionDate = res ? now : null;
    issue.resolution = res;
    this.recordChange(issue, actor, items);
  }

  /** Adds a comment, sends comment_created, then applies the desk's status rules. */
  addComment(
    issue: StoredIssue,
    actor: StoredUser,
    body: string,
    isPublic: boolean,
    properties: Record<string, unknown> = {},
  ): StoredComment {
    const now = this.nowIso();
    const comment: StoredComment = {
      id: this.next('commentId'),
      authorId: actor.accountId,
      body,
      public: isPublic,
      created: now,
      updated: now,
      properties: { ...properties },
    };
    if (issue.project === 'SS') comment.properties['sd.public.comment'] = { internal: !isPublic };
    issue.comments.push(comment);
    issue.updated = now;
    this.o.changed();
    this.o.emit({
      timestamp: this.o.now().getTime(),
      webhookEvent: 'comment_created',
      comment: this.commentJson(issue, comment, 2, false),
      issue: this.webhookIssue(issue),
    });
    this.applyCommentRules(issue, actor, isPublic);
    return comment;
  }

  /** JSM: a public staff reply waits for the customer; a customer reply waits for support. */
  private applyCommentRules(issue: StoredIssue, actor: StoredUser, isPublic: boolean): void {
    if (issue.project !== SERVICE_DESK.projectKey) return;
    const automation = this.ensureUser(AUTOMATION_EMAIL);
    const customerSide = actor.accountId === issue.reporterId || !actor.staff;
    if (customerSide) {
      if (statusDef(issue.status)?.category !== 'done' && issue.status !== 'Waiting for support') {
        this.transitionIssue(issue, 'Waiting for support', automation);
      }
    } else if (isPublic && issue.status === 'Waiting for support') {
      this.transitionIssue(issue, 'Waiting for customer', automation);
    }
  }

  /** Links SOURCE → DEST ("SOURCE duplicates DEST") and sends issuelink_created. */
  linkIssues(typeName: string, source: StoredIssue, dest: StoredIssue): void {
    const type = LINK_TYPES.find((t) => eqi(t.name, typeName) || t.id === typeName);
    if (!type) throw new JiraValidationError({}, [`No issue link type with name '${typeName}' found.`], 404);
    const existing = this.state.links.find(
      (l) => l.type === type.name && l.source === source.key && l.dest === dest.key,
    );
    if (existing) return;
    const link = {
      id: this.next('linkId'),
      type: type.name,
      source: source.key,
      dest: dest.key,
    };
    this.state.links.push(link);
    const now = this.nowIso();
    source.updated = now;
    dest.updated = now;
    this.o.changed();
    this.o.emit({
      timestamp: this.o.now().getTime(),
      webhookEvent: 'issuelink_created',
      issueLink: {
        id: Number(link.id),
        sourceIssueId: Number(source.id),
        destinationIssueId: Number(dest.id),
        issueLinkType: {
          id: Number(type.id),
          name: type.name,
          outwardName: type.outward,
          inwardName: type.inward,
          isSubTaskLinkType: false,
          isSystemLinkType: false,
        },
        sequence: 0,
        systemLink: false,
      },
    });
  }

  /** E-08: the desk's automation creates the linked CS ticket and posts the initial response. */
  private onboardingAutomation(ss: StoredIssue): void {
    const bot = this.ensureUser(AUTOMATION_EMAIL);
    const cs = this.createIssue({
      project: projectDef('CS')!,
      issueType: 'CS Ticket',
      summary: ss.summary,
      description: `Created by automation from ${ss.key}.\n\n${ss.description}`,
      actor: bot,
      linkFrom: { type: 'Relates', source: ss },
    });
    this.addComment(
      ss,
      bot,
      `Hello,\n\nThank you for your onboarding request. We have opened a configuration ticket (${cs.key}) and our team will start on it shortly.\n\nRegards,\nSighten Support`,
      true,
    );
  }

  // ------------------------------------------------------------------------- components, orgs

  components(project: string) {
    return this.state.components.filter((c) => c.project === project);
  }

  createComponent(project: string, name: string) {
    if (this.components(project).some((c) => eqi(c.name, name))) {
      throw new JiraValidationError({
        name: `A component with the name ${name} already exists in this project.`,
      });
    }
    const c = { id: this.next('componentId'), project, name };
    this.state.components.push(c);
    this.o.changed();
    return c;
  }

  componentJson(c: { id: string; project: string; name: string }): Record<string, unknown> {
    return {
      self: `${this.o.baseUrl()}/rest/api/3/component/${c.id}`,
      id: c.id,
      name: c.name,
      description: '',
      assigneeType: 'PROJECT_DEFAULT',
      isAssigneeTypeValid: false,
      project: c.project,
      projectId: Number(projectDef(c.project)!.id),
    };
  }

  organization(id: string) {
    return this.state.organizations.find((o) => o.id === id);
  }

  organizations() {
    return this.state.organizations;
  }

  createOrganization(name: string) {
    if (this.state.organizations.some((o) => eqi(o.name, name))) {
      throw new JiraValidationError({}, [`An organization with the name '${name}' already exists.`]);
    }
    const org = {
      id: this.next('organizationId'),
      name,
      created: this.nowIso(),
    };
    this.state.organizations.push(org);
    this.o.changed();
    return org;
  }

  organizationJson(org: { id: string; name: string }): Record<string, unknown> {
    return {
      id: org.id,
      name: org.name,
      _links: {
        self: `${this.o.baseUrl()}/rest/servicedeskapi/organization/${org.id}`,
      },
    };
  }

  // ------------------------------------------------------------------------- request input

  /**
   * Reads `fields` and `update` of a create or edit request into a patch, validating like Jira:
   * a field not on the screen or a bad value is a 400 naming the field.
   */
  interpret(
    project: ProjectDef,
    current: StoredIssue | null,
    fields: Record<string, unknown>,
    update: Record<string, unknown>,
    api: Api,
  ): IssuePatch {
    const errors: Record<string, string> = {};
    const patch: IssuePatch = {};
    const notOnScreen = (f: string) => `Field '${f}' cannot be set. It is not on the appropriate screen, or unknown.`;
    const userRef = (field: string, v: unknown, label: string): string | null | undefined => {
      if (v === null) return null;
      const id =
        typeof v === 'object'
          ? ((v as Record<string, unknown>).accountId ?? (v as Record<string, unknown>).id)
          : undefined;
      if (typeof id !== 'string') {
        errors[field] = `${label}: specify the user by accountId.`;
        return undefined;
      }
      if (id === '-1') return null;
      if (!this.user(id)) {
        errors[field] = `Specified ${label.toLowerCase()} is not a user.`;
        return undefined;
      }
      return id;
    };
    const name = (v: unknown): string | undefined => {
      if (typeof v === 'string') return v;
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o.name === 'string') return o.name;
        if (typeof o.value === 'string') return o.value;
        if (typeof o.id === 'string' || typeof o.id === 'number') return String(o.id);
      }
      return undefined;
    };
    const setField = (f: string, v: unknown) => {
      switch (f) {
        case 'summary':
          if (typeof v !== 'string' || !v.trim()) errors.summary = 'You must specify a summary of the issue.';
          else patch.summary = v;
          return;
        case 'description':
          if (v === null) patch.description = '';
          else if (api === 2 && typeof v === 'string') patch.description = v;
          else if (api === 3 && isAdfDoc(v)) patch.description = adfToText(v);
          else
            errors.description =
              api === 3
                ? 'Operation value must be an Atlassian Document (see the Atlassian Document Format).'
                : 'Operation value must be a string';
          return;
        case 'reporter': {
          const id = userRef(f, v, 'Reporter');
          if (id !== undefined) patch.reporterId = id;
          return;
        }
        case 'assignee': {
          const id = userRef(f, v, 'Assignee');
          if (id !== undefined) patch.assigneeId = id;
          return;
        }
        case CF.qaAssignee: {
          const id = userRef(f, v, 'QA assignee');
          if (id !== undefined) patch.qaAssigneeId = id;
          return;
        }
        case 'priority': {
          if (v === null) {
            patch.priority = null;
            return;
          }
          const n = name(v);
          const p = PRIORITIES.find((x) => n !== undefined && (eqi(x.name, n) || x.id === n));
          if (!p) errors.priority = `The priority selected is invalid: '${String(n ?? JSON.stringify(v))}'.`;
          else patch.priority = p.name;
          return;
        }
        case 'labels':
          if (!Array.isArray(v) || v.some((l) => typeof l !== 'string' || /\s/.test(l)))
            errors.labels = 'Labels must be an array of strings without spaces.';
          else patch.labels = [...new Set(v as string[])];
          return;
        case 'components': {
          if (!Array.isArray(v)) {
            errors.components = 'Components must be an array.';
            return;
          }
          const out: string[] = [];
          for (const c of v) {
            const n = name(c);
            const found = this.components(project.key).find((x) => n !== undefined && (eqi(x.name, n) || x.id === n));
            if (!found) {
              errors.components = `Component name '${String(n ?? JSON.stringify(c))}' is not valid`;
              return;
            }
            out.push(found.name);
          }
          patch.components = [...new Set(out)];
          return;
        }
        case 'parent': {
          if (v === null) {
            patch.parentKey = null;
            return;
          }
          const o = (v ?? {}) as Record<string, unknown>;
          const ref = typeof o.key === 'string' ? o.key : typeof o.id === 'string' ? o.id : undefined;
          const parent = ref ? this.issue(ref) : undefined;
          if (!parent) errors.parent = `Could not find issue by id or key: '${String(ref ?? JSON.stringify(v))}'.`;
          else if (parent.issueType !== 'Epic' || parent.project !== project.key) {
            errors.parent = `Given parent work item ${parent.key} does not belong to appropriate hierarchy.`;
          } else patch.parentKey = parent.key;
          return;
        }
        case CF.requestType: {
          if (project.key !== SERVICE_DESK.projectKey) {
            errors[f] = notOnScreen(f);
            return;
          }
          if (v === null) {
            patch.requestTypeId = null;
            return;
          }
          const n = name(v);
          const rt = this.requestTypes.find((r) => n !== undefined && (r.id === n || eqi(r.name, n)));
          if (!rt)
            errors[f] = `The request type '${String(n ?? JSON.stringify(v))}' is not valid for this service desk.`;
          else patch.requestTypeId = rt.id;
          return;
        }
        case CF.organizations: {
          if (project.key !== SERVICE_DESK.projectKey) {
            errors[f] = notOnScreen(f);
            return;
          }
          if (v === null) {
            patch.organizationIds = [];
            return;
          }
          if (!Array.isArray(v)) {
            errors[f] = 'Organizations must be an array of organization ids.';
            return;
          }
          const ids: string[] = [];
          for (const item of v) {
            const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : item;
            const org = this.organization(String(id));
            if (!org) {
              errors[f] = `Organization with id '${String(id)}' does not exist.`;
              return;
            }
            ids.push(org.id);
          }
          patch.organizationIds = [...new Set(ids)];
          return;
        }
        case CF.participants: {
          if (!Array.isArray(v)) {
            errors[f] = 'Request participants must be an array of users.';
            return;
          }
          const ids: string[] = [];
          for (const item of v) {
            const id = userRef(f, item, 'Request participant');
            if (id) ids.push(id);
          }
          patch.participants = [...new Set(ids)];
          return;
        }
        case CF.needsConfiguration: {
          if (v === null) {
            patch.needsConfiguration = null;
            return;
          }
          const n = name(v);
          const opt = NEEDS_CONFIGURATION_OPTIONS.find((o) => n !== undefined && (o.value === n || o.id === n));
          if (!opt) errors[f] = `Option value '${String(n ?? JSON.stringify(v))}' is not valid`;
          else patch.needsConfiguration = opt.value;
          return;
        }
        default:
          errors[f] = notOnScreen(f);
      }
    };
    for (const [f, v] of Object.entries(fields ?? {})) {
      if (['project', 'issuetype'].includes(f) && current === null) continue;
      if (!EDITABLE.has(f)) {
        errors[f] = notOnScreen(f);
        continue;
      }
      setField(f, v);
    }
    for (const [f, ops] of Object.entries(update ?? {})) {
      if (!EDITABLE.has(f)) {
        errors[f] = notOnScreen(f);
        continue;
      }
      if (!Array.isArray(ops)) {
        errors[f] = 'Update operations must be an array.';
        continue;
      }
      for (const op of ops as Record<string, unknown>[]) {
        if ('set' in op) {
          setField(f, op.set);
        } else if (f === 'labels' || f === 'components') {
          const list =
            f === 'labels'
              ? [...(patch.labels ?? current?.labels ?? [])]
              : [...(patch.components ?? current?.components ?? [])];
          const one = (v: unknown): string | undefined => {
            if (f === 'labels') {
              if (typeof v === 'string' && v && !/\s/.test(v)) return v;
              errors.labels = `The label '${String(v)}' contains spaces or is not a string.`;
              return undefined;
            }
            const n = name(v);
            const found = this.components(project.key).find((x) => n !== undefined && (eqi(x.name, n) || x.id === n));
            if (!found) errors.components = `Component name '${String(n ?? JSON.stringify(v))}' is not valid`;
            return found?.name;
          };
          if ('add' in op) {
            const v = one(op.add);
            if (v !== undefined && !list.includes(v)) list.push(v);
          } else if ('remove' in op) {
            const r = f === 'labels' ? op.remove : name(op.remove);
            const idx = list.findIndex((x) => typeof r === 'string' && eqi(x, r));
            if (idx >= 0) list.splice(idx, 1);
          } else {
            errors[f] = `Unsupported update operation on ${f}.`;
            continue;
          }
          if (f === 'labels') patch.labels = list;
          else patch.components = list;
        } else {
          errors[f] = `Unsupported update operation on ${f}.`;
        }
      }
    }
    if (Object.keys(errors).length > 0) throw new JiraValidationError(errors);
    return patch;
  }

  // ------------------------------------------------------------------------ representations

  statusJson(name: string): Record<string, unknown> {
    const s = statusDef(name)!;
    const cat = STATUS_CATEGORIES[s.category];
    const base = this.o.baseUrl();
    return {
      self: `${base}/rest/api/3/status/${s.id}`,
      description: '',
      iconUrl: `${base}/images/icons/statuses/generic.png`,
      name: s.name,
      id: s.id,
      statusCategory: {
        self: `${base}/rest/api/3/statuscategory/${cat.id}`,
        id: cat.id,
        key: s.category,
        colorName: cat.colorName,
        name: cat.name,
      },
    };
  }

  transitionsJson(issue: StoredIssue): Record<string, unknown>[] {
    const project = projectDef(issue.project)!;
    return project.statuses
      .filter((s) => s !== issue.status)
      .map((s) => {
        const def = statusDef(s)!;
        return {
          id: def.transitionId,
          name: def.name,
          to: this.statusJson(def.name),
          hasScreen: false,
          isGlobal: true,
          isInitial: false,
          isAvailable: true,
          isConditional: false,
          isLooped: false,
        };
      });
  }

  projectJson(p: ProjectDef): Record<string, unknown> {
    const base = this.o.baseUrl();
    return {
      self: `${base}/rest/api/3/project/${p.id}`,
      id: p.id,
      key: p.key,
      name: p.name,
      projectTypeKey: p.projectTypeKey,
      simplified: false,
      avatarUrls: { '48x48': `${base}/avatar/project/${p.id}` },
    };
  }

  issueTypeJson(name: string): Record<string, unknown> {
    const t = issueTypeDef(name)!;
    const base = this.o.baseUrl();
    return {
      self: `${base}/rest/api/3/issuetype/${t.id}`,
      id: t.id,
      description: t.description,
      iconUrl: `${base}/images/icons/issuetypes/${t.id}.png`,
      name: t.name,
      subtask: false,
      hierarchyLevel: t.hierarchyLevel,
    };
  }

  priorityJson(name: string): Record<string, unknown> {
    const p = PRIORITIES.find((x) => x.name === name)!;
    return {
      self: `${this.o.baseUrl()}/rest/api/3/priority/${p.id}`,
      iconUrl: `${this.o.baseUrl()}/images/icons/priorities/${p.id}.svg`,
      name: p.name,
      id: p.id,
    };
  }

  resolutionJson(name: string): Record<string, unknown> {
    const r = RESOLUTIONS.find((x) => x.name === name)!;
    return {
      self: `${this.o.baseUrl()}/rest/api/3/resolution/${r.id}`,
      id: r.id,
      description: r.description,
      name: r.name,
    };
  }

  linkTypeJson(t: (typeof LINK_TYPES)[number]): Record<string, unknown> {
    return {
      id: t.id,
      name: t.name,
      inward: t.inward,
      outward: t.outward,
      self: `${this.o.baseUrl()}/rest/api/3/issueLinkType/${t.id}`,
    };
  }

  private linkedIssueJson(i: StoredIssue, api: Api): Record<string, unknown> {
    return {
      id: i.id,
      key: i.key,
      self: `${this.o.baseUrl()}/rest/api/${api}/issue/${i.id}`,
      fields: {
        summary: i.summary,
        status: this.statusJson(i.status),
        priority: i.priority ? this.priorityJson(i.priority) : null,
        issuetype: this.issueTypeJson(i.issueType),
        project: this.projectJson(projectDef(i.project)!),
      },
    };
  }

  issueLinksJson(issue: StoredIssue, api: Api): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const l of this.state.links) {
      const type = LINK_TYPES.find((t) => t.name === l.type)!;
      const base = {
        id: l.id,
        self: `${this.o.baseUrl()}/rest/api/${api}/issueLink/${l.id}`,
        type: this.linkTypeJson(type),
      };
      if (l.source === issue.key) {
        const other = this.issue(l.dest);
        if (other) out.push({ ...base, outwardIssue: this.linkedIssueJson(other, api) });
      } else if (l.dest === issue.key) {
        const other = this.issue(l.source);
        if (other) out.push({ ...base, inwardIssue: this.linkedIssueJson(other, api) });
      }
    }
    return out;
  }

  commentJson(issue: StoredIssue, c: StoredComment, api: Api, withProperties: boolean): Record<string, unknown> {
    const author = this.user(c.authorId);
    const json: Record<string, unknown> = {
      self: `${this.o.baseUrl()}/rest/api/${api}/issue/${issue.id}/comment/${c.id}`,
      id: c.id,
      author: author ? this.userJson(author, api) : undefined,
      body: api === 3 ? textToAdf(c.body) : c.body,
      updateAuthor: author ? this.userJson(author, api) : undefined,
      created: jiraTime(c.created),
      updated: jiraTime(c.updated),
      jsdPublic: c.public,
    };
    if (withProperties)
      json.properties = Object.entries(c.properties).map(([key, value]) => ({
        key,
        value,
      }));
    return json;
  }

  jsmDate(iso: string): Record<string, unknown> {
    const d = new Date(iso);
    return {
      iso8601: jiraTime(iso),
      jira: jiraTime(iso),
      friendly: d.toUTCString(),
      epochMillis: d.getTime(),
    };
  }

  jsmCommentJson(issue: StoredIssue, c: StoredComment): Record<string, unknown> {
    const author = this.user(c.authorId);
    return {
      _expands: ['attachment', 'renderedBody'],
      id: c.id,
      body: c.body,
      public: c.public,
      author: author ? this.jsmUserJson(author) : undefined,
      created: this.jsmDate(c.created),
      _links: {
        self: `${this.o.baseUrl()}/rest/servicedeskapi/request/${issue.id}/comment/${c.id}`,
      },
    };
  }

  requestTypeJson(rt: { id: string; name: string }): Record<string, unknown> {
    return {
      _expands: ['field'],
      id: rt.id,
      _links: {
        self: `${this.o.baseUrl()}/rest/servicedeskapi/servicedesk/${SERVICE_DESK.id}/requesttype/${rt.id}`,
      },
      name: rt.name,
      description: '',
      helpText: '',
      issueTypeId: issueTypeDef('Service Request')!.id,
      serviceDeskId: SERVICE_DESK.id,
      portalId: SERVICE_DESK.id,
      groupIds: ['1'],
      restrictionStatus: 'OPEN',
    };
  }

  /** Every field of an issue, in the shape GET issue returns. */
  allFields(issue: StoredIssue, api: Api): Record<string, unknown> {
    const u = (id: string | null) => {
      const user = this.user(id);
      return user ? this.userJson(user, api) : null;
    };
    const rt = this.requestTypes.find((r) => r.id === issue.requestTypeId);
    const parent = issue.parentKey ? this.issue(issue.parentKey) : undefined;
    const status = statusDef(issue.status)!;
    const nc = NEEDS_CONFIGURATION_OPTIONS.find((o) => o.value === issue.needsConfiguration);
    const visible = issue.comments;
    const fields: Record<string, unknown> = {
      summary: issue.summary,
      description: issue.description ? (api === 3 ? textToAdf(issue.description) : issue.description) : null,
      status: this.statusJson(issue.status),
      project: this.projectJson(projectDef(issue.project)!),
      issuetype: this.issueTypeJson(issue.issueType),
      reporter: u(issue.reporterId),
      assignee: u(issue.assigneeId),
      creator: u(issue.creatorId),
      priority: issue.priority ? this.priorityJson(issue.priority) : null,
      labels: [...issue.labels],
      components: issue.components.map((name) => {
        const c = this.components(issue.project).find((x) => x.name === name);
        return {
          self: `${this.o.baseUrl()}/rest/api/${api}/component/${c?.id ?? ''}`,
          id: c?.id ?? '',
          name,
        };
      }),
      resolution: issue.resolution ? this.resolutionJson(issue.resolution) : null,
      resolutiondate: issue.resolutionDate ? jiraTime(issue.resolutionDate) : null,
      created: jiraTime(issue.created),
      updated: jiraTime(issue.updated),
      statuscategorychangedate: jiraTime(issue.statusChanged),
      issuelinks: this.issueLinksJson(issue, api),
      watches: {
        self: `${this.o.baseUrl()}/rest/api/${api}/issue/${issue.key}/watchers`,
        watchCount: issue.watchers.length,
        isWatching: false,
      },
      comment: {
        comments: visible.map((c) => this.commentJson(issue, c, api, false)),
        self: `${this.o.baseUrl()}/rest/api/${api}/issue/${issue.id}/comment`,
        maxResults: visible.length,
        total: visible.length,
        startAt: 0,
      },
      attachment: issue.attachments.map((filename, i) => ({
        self: `${this.o.baseUrl()}/rest/api/${api}/attachment/${issue.id}${i}`,
        id: `${issue.id}${i}`,
        filename,
        created: jiraTime(issue.created),
        size: 0,
        mimeType: 'application/octet-stream',
      })),
      [CF.requestType]: rt
        ? {
            _links: {
              self: `${this.o.baseUrl()}/rest/servicedeskapi/request/${issue.id}`,
            },
            requestType: this.requestTypeJson(rt),
            currentStatus: {
              status: issue.status,
              statusCategory: status.category === 'new' ? 'NEW' : status.category === 'done' ? 'DONE' : 'INDETERMINATE',
              statusDate: this.jsmDate(issue.statusChanged),
            },
          }
        : null,
      [CF.organizations]: issue.organizationIds
        .map((id) => this.organization(id))
        .filter(Boolean)
        .map((o) => this.organizationJson(o!)),
      [CF.participants]: issue.participants.map((id) => u(id)).filter(Boolean),
      [CF.needsConfiguration]: nc
        ? {
            self: `${this.o.baseUrl()}/rest/api/${api}/customFieldOption/${nc.id}`,
            value: nc.value,
            id: nc.id,
          }
        : null,
      [CF.qaAssignee]: u(issue.qaAssigneeId),
    };
    if (parent) fields.parent = this.linkedIssueJson(parent, api);
    return fields;
  }

  /** Which fields a `fields=` parameter selects (`*all`, `*navigable`, names, `-name`). */
  selectFields(all: Record<string, unknown>, spec: string[] | undefined, fallback: string[]): Record<string, unknown> {
    const parts = (spec && spec.length ? spec : fallback)
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const include = new Set<string>();
    const exclude = new Set<string>();
    for (const p of parts) {
      if (p === '*all' || p === '*navigable') Object.keys(all).forEach((k) => include.add(k));
      else if (p.startsWith('-')) exclude.add(p.slice(1));
      else include.add(p);
    }
    if (parts.includes('*navigable')) {
      include.delete('comment');
      include.delete('attachment');
    }
    const out: Record<string, unknown> = {};
    for (const k of include) if (!exclude.has(k) && k in all) out[k] = all[k];
    return out;
  }

  issueJson(
    issue: StoredIssue,
    api: Api,
    opts: {
      fields?: string[];
      expand?: string[];
      properties?: string[];
      defaultFields?: string[];
    } = {},
  ): Record<string, unknown> {
    const fallback = opts.defaultFields ?? ['*all'];
    const spec = opts.fields && opts.fields.length ? opts.fields : fallback;
    const onlyId = spec.flatMap((s) => s.split(',')).every((s) => s.trim() === 'id');
    if (onlyId) return { id: issue.id };
    const json: Record<string, unknown> = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${this.o.baseUrl()}/rest/api/${api}/issue/${issue.id}`,
      key: issue.key,
      fields: this.selectFields(this.allFields(issue, api), spec, fallback),
    };
    const expand = (opts.expand ?? []).flatMap((e) => e.split(',')).map((e) => e.trim());
    if (expand.includes('names')) {
      json.names = Object.fromEntries(Object.keys(json.fields as object).map((k) => [k, FIELD_NAMES[k] ?? k]));
    }
    if (expand.includes('transitions')) json.transitions = this.transitionsJson(issue);
    if (expand.includes('changelog')) {
      const histories = issue.changelog.map((e) => ({
        id: e.id,
        author: this.user(e.authorId) ? this.userJson(this.user(e.authorId)!, api) : undefined,
        created: jiraTime(e.created),
        items: e.items,
      }));
      json.changelog = {
        startAt: 0,
        maxResults: histories.length,
        total: histories.length,
        histories,
      };
    }
    if (expand.includes('renderedFields')) {
      json.renderedFields = {
        description: issue.description ? `<p>${escapeHtml(issue.description)}</p>` : null,
      };
    }
    const props = (opts.properties ?? [])
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter(Boolean);
    if (props.length) {
      json.properties = Object.fromEntries(
        Object.entries(issue.properties).filter(([k]) => props.includes('*all') || props.includes(k)),
      );
    }
    return json;
  }

  /** The issue in a webhook: the REST v2 shape (plain-text description) without the comment list. */
  webhookIssue(issue: StoredIssue): Record<string, unknown> {
    const fields = this.allFields(issue, 2);
    delete fields.comment;
    return {
      id: issue.id,
      self: `${this.o.baseUrl()}/rest/api/2/issue/${issue.id}`,
      key: issue.key,
      fields,
    };
  }

  fieldCatalogue(): Record<string, unknown>[] {
    return Object.entries(FIELD_NAMES).map(([id, name]) => {
      const custom = id.startsWith('customfield_');
      const schema = custom
        ? {
            type: CUSTOM_SCHEMAS[id]!.type,
            ...(CUSTOM_SCHEMAS[id]!.items ? { items: CUSTOM_SCHEMAS[id]!.items } : {}),
            custom: CUSTOM_SCHEMAS[id]!.custom,
            customId: Number(id.split('_')[1]),
          }
        : {
            type:
              id === 'labels' || id === 'components' || id === 'issuelinks' || id === 'attachment' ? 'array' : 'string',
            system: id,
          };
      return {
        id,
        key: id,
        name,
        custom,
        orderable: EDITABLE.has(id),
        navigable: true,
        searchable: true,
        clauseNames: custom ? [`cf[${id.split('_')[1]}]`, name] : [id],
        schema,
      };
    });
  }

  // ------------------------------------------------------------------------ normalized view

  normalize(issue: StoredIssue): NormalizedIssue {
    const email = (id: string | null) => this.user(id)?.email ?? null;
    const links: NormalizedLink[] = [];
    for (const l of this.state.links) {
      if (l.source === issue.key) links.push({ type: l.type, direction: 'outward', key: l.dest });
      else if (l.dest === issue.key) links.push({ type: l.type, direction: 'inward', key: l.source });
    }
    const comments: NormalizedComment[] = issue.comments.map((c) => ({
      id: c.id,
      author: email(c.authorId) ?? '',
      body: c.body,
      public: c.public,
      created: c.created,
      properties: { ...c.properties },
    }));
    const firstOrg = issue.organizationIds[0];
    return {
      key: issue.key,
      id: issue.id,
      project: issue.project,
      issueType: issue.issueType,
      summary: issue.summary,
      description: issue.description,
      status: issue.status,
      resolution: issue.resolution,
      requestType: this.requestTypes.find((r) => r.id === issue.requestTypeId)?.name ?? null,
      organization: firstOrg ? (this.organization(firstOrg)?.name ?? null) : null,
      priority: issue.priority,
      epic: issue.parentKey ? (this.issue(issue.parentKey)?.summary ?? null) : null,
      reporter: email(issue.reporterId),
      assignee: email(issue.assigneeId),
      qaAssignee: email(issue.qaAssigneeId),
      needsConfiguration: issue.needsConfiguration,
      labels: [...issue.labels],
      components: [...issue.components],
      participants: issue.participants.map((id) => email(id)).filter((e): e is string => e !== null),
      watchers: issue.watchers.map((id) => email(id)).filter((e): e is string => e !== null),
      comments,
      links,
      attachments: [...issue.attachments],
      created: issue.created,
      updated: issue.updated,
    };
  }

  /** Values of a JQL field for one issue (undefined = unknown field). */
  jqlValues(issue: StoredIssue, field: string): string[] | undefined {
    const f = field.toLowerCase();
    const user = (id: string | null) => {
      const u = this.user(id);
      return u ? [u.accountId, u.email] : [];
    };
    const prop = /^issue\.property\[([^\]]+)\]((?:\.[\w-]+)*)$/i.exec(field);
    if (prop) {
      let value: unknown = issue.properties[prop[1]!];
      for (const seg of (prop[2] ?? '').split('.').filter(Boolean)) {
        value = value && typeof value === 'object' ? (value as Record<string, unknown>)[seg] : undefined;
      }
      if (value === undefined || value === null) return [];
      return Array.isArray(value)
        ? value.map(String)
        : [typeof value === 'object' ? JSON.stringify(value) : String(value)];
    }
    switch (f) {
      case 'project': {
        const p = projectDef(issue.project)!;
        return [p.key, p.id, p.name];
      }
      case 'key':
      case 'issuekey':
      case 'id':
        return [issue.key, issue.id];
      case 'assignee':
        return user(issue.assigneeId);
      case 'reporter':
        return user(issue.reporterId);
      case 'creator':
        return user(issue.creatorId);
      case 'status': {
        const s = statusDef(issue.status)!;
        return [s.name, s.id];
      }
      case 'statuscategory': {
        const s = statusDef(issue.status)!;
        const c = STATUS_CATEGORIES[s.category];
        return [c.name, s.category, String(c.id)];
      }
      case 'summary':
        return [issue.summary];
      case 'description':
        return issue.description ? [issue.description] : [];
      case 'text':
        return [issue.summary, issue.description, ...issue.comments.map((c) => c.body)];
      case 'comment':
        return issue.comments.map((c) => c.body);
      case 'issuetype':
      case 'type': {
        const t = issueTypeDef(issue.issueType)!;
        return [t.name, t.id];
      }
      case 'labels':
        return [...issue.labels];
      case 'component':
      case 'components':
        return [...issue.components];
      case 'resolution':
        return issue.resolution ? [issue.resolution] : [];
      case 'priority':
        return issue.priority ? [issue.priority, PRIORITIES.find((p) => p.name === issue.priority)!.id] : [];
      case 'parent':
        return issue.parentKey ? [issue.parentKey, this.issue(issue.parentKey)?.id ?? ''] : [];
      case 'request type':
      case 'requesttype':
      case 'cf[10010]':
      case CF.requestType: {
        const rt = this.requestTypes.find((r) => r.id === issue.requestTypeId);
        return rt ? [rt.name, rt.id] : [];
      }
      case 'organizations':
      case 'cf[10002]':
      case CF.organizations:
        return issue.organizationIds.flatMap((id) => [id, this.organization(id)?.name ?? '']);
      case 'request participants':
      case 'cf[10001]':
      case CF.participants:
        return issue.participants.flatMap((id) => user(id));
      case 'needs configuration?':
      case 'cf[10100]':
      case CF.needsConfiguration:
        return issue.needsConfiguration ? [issue.needsConfiguration] : [];
      case 'qa assignee':
      case 'cf[10101]':
      case CF.qaAssignee:
        return user(issue.qaAssigneeId);
      case 'watcher':
        return issue.watchers.flatMap((id) => user(id));
      default:
        return undefined;
    }
  }

  isKnownJqlField(field: string): boolean {
    return this.jqlValues(this.probeIssue(), field) !== undefined;
  }

  private probeIssue(): StoredIssue {
    return blankIssue(new Date(0).toISOString());
  }
}

type StoredLink = StoredState['links'][number];

/** An SS issue with every field empty: the base of a new issue, and the probe for JQL field names. */
function blankIssue(now: string): StoredIssue {
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

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export { ISSUE_TYPES, LINK_TYPES, PRIORITIES, RESOLUTIONS };
