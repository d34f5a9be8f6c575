/**
 * The sandbox's Jira Service Management: issues and their changes, the desk's status rules, the
 * onboarding automation (E-08), Jira Cloud's JSON shapes, and a webhook for every change.
 */
import {
  accountIdFor,
  AUTOMATION_ACCOUNT_ID,
  AUTOMATION_DISPLAY_NAME,
  AUTOMATION_EMAIL,
  displayNameFor,
  INTEGRATED_FINANCE,
  ISSUE_TYPES,
  mimeTypeOf,
  placeholderContent,
  LINK_TYPES,
  PRIORITIES,
  projectDef,
  RESOLUTIONS,
  SERVICE_DESK,
  statusDef,
  type ChangelogItem,
  type ProjectDef,
  type StoredAttachment,
  type StoredComment,
  type StoredIssue,
  type StoredLink,
  type StoredState,
  type StoredUser,
} from './state';
import type { NormalizedIssue } from './types';
import { changelogItems } from './jira-changelog';
import {
  blankIssue,
  eqi,
  JiraValidationError,
  screenError,
  type Api,
  type IssuePatch,
  type JiraLookup,
} from './jira-fields';
import { interpretIssueInput } from './jira-input';
import { SearchIndex } from './jira-index';
import { JiraJson } from './jira-json';
import {
  availableTransitions,
  DEFAULT_WORKFLOWS,
  transitionInto,
  type TransitionDef,
  type Workflows,
} from './jira-workflow';
import { isKnownJqlField, jqlValues } from './jira-jql-fields';
import { normalizeIssue } from './jira-normalize';

export { jiraTime, JiraValidationError, type Api, type IssuePatch } from './jira-fields';

/** A link made with a new issue: to or from `other` (`newIsSource`: "<new issue> relates to <other>"). */
export interface NewIssueLink {
  type: string;
  other: StoredIssue;
  newIsSource: boolean;
}

export interface JiraModelOptions {
  now: () => Date;
  internalDomains: string[];
  baseUrl: () => string;
  requestTypes: string[];
  emit: (payload: Record<string, unknown>) => void;
  changed: () => void;
  /** How long a write takes to reach JQL search (Jira Cloud's enhanced search is eventually consistent). */
  searchLagMs?: number;
  /** Issue property keys an app registered for indexing; only these are searchable in JQL. */
  searchableProperties?: string[];
  /** Workflows by project (default DEFAULT_WORKFLOWS). */
  workflows?: Workflows;
  /** Who may do what (default: nobody is an admin, the desk is open). */
  permissions?: JiraPermissions;
}

/** The permissions the sandbox checks, by e-mail. */
export interface JiraPermissions {
  /** Holders of the Jira Administrator global permission (POST /rest/servicedeskapi/customer). */
  jiraAdmins: string[];
  /** Service desk administrators (adding customers to the desk). */
  deskAdmins: string[];
  /** Only agents and customers added to the desk may be reporters or participants. */
  restrictedDesk: boolean;
  /**
   * Outside e-mail domains whose people the site lets browse the desk's issues (partners working in
   * Jira). Everyone else outside the internal domains is a plain JSM customer, who may not browse issues
   * in Jira and so can be no watcher. Absent: none.
   */
  partnerDomains?: string[];
}

export class JiraModel implements JiraLookup {
  readonly requestTypes: { id: string; name: string }[];
  /** The JSON shapes of everything this model holds. */
  readonly json: JiraJson;
  /** What JQL search sees (lagging writes). */
  readonly index: SearchIndex;
  /** Issue property keys searchable in JQL (registered by an app); none for an API-token client. */
  searchableProperties: string[];
  /** Each project's workflow: transitions, their screens and post-functions. */
  workflows: Workflows;
  permissions: JiraPermissions;

  constructor(
    private state: StoredState,
    private readonly o: JiraModelOptions,
  ) {
    this.requestTypes = [...new Set(o.requestTypes)].map((name, i) => ({
      id: String(i + 1),
      name,
    }));
    this.json = new JiraJson(this);
    this.index = new SearchIndex(o.now, o.searchLagMs ?? 0);
    this.index.flush(state.issues);
    this.searchableProperties = [...(o.searchableProperties ?? [])];
    this.workflows = o.workflows ?? DEFAULT_WORKFLOWS;
    this.permissions = o.permissions ?? { jiraAdmins: [], deskAdmins: [], restrictedDesk: false };
  }

  isJiraAdmin(u: StoredUser): boolean {
    return this.permissions.jiraAdmins.some((e) => eqi(e, u.email));
  }

  isDeskAdmin(u: StoredUser): boolean {
    return this.isJiraAdmin(u) || this.permissions.deskAdmins.some((e) => eqi(e, u.email));
  }

  deskCustomers(): string[] {
    return (this.state.deskCustomers ??= []);
  }

  addDeskCustomers(accountIds: string[]): void {
    const list = this.deskCustomers();
    for (const id of accountIds) if (!list.includes(id)) list.push(id);
    this.o.changed();
  }

  /**
   * Whether the person may browse issues in Jira (what a watcher needs, and what
   * GET /user/viewissue/search answers): staff, apps, and the partner domains' people. JSM customers see
   * their requests only through the portal.
   */
  mayBrowse(accountId: string | null | undefined): boolean {
    const u = this.user(accountId);
    if (!u) return false;
    if (u.staff || u.accountType === 'app') return true;
    const domain = u.email.slice(u.email.lastIndexOf('@') + 1);
    return (this.permissions.partnerDomains ?? []).some((d) => eqi(d, domain));
  }

  mayUseDesk(accountId: string): boolean {
    const u = this.user(accountId);
    if (!u) return false;
    return u.staff || !this.permissions.restrictedDesk || this.deskCustomers().includes(accountId);
  }

  baseUrl(): string {
    return this.o.baseUrl();
  }

  replaceState(state: StoredState): void {
    this.state = state;
    // Data saved before file contents were kept: each bare name becomes a placeholder file.
    for (const issue of state.issues) {
      issue.attachments = (issue.attachments as (StoredAttachment | string)[]).map((a) =>
        typeof a === 'string' ? this.newAttachment(issue, a, placeholderContent(a), issue.creatorId) : a,
      );
    }
    this.index.flush(state.issues);
  }

  /** Marks the state changed (for saving) after a change that sends no webhook. */
  touch(issue?: StoredIssue): void {
    if (issue) this.index.written(issue);
    this.o.changed();
  }

  isSearchableProperty(key: string): boolean {
    return this.searchableProperties.includes(key) || this.searchableProperties.includes('*');
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

  /**
   * The user with this e-mail, created on first sight: staff (internal domains) as `atlassian` accounts,
   * everyone else as JSM `customer` accounts; the desk's automation as the `app` account it is in Jira.
   */
  ensureUser(email: string): StoredUser {
    const existing = this.userByEmail(email);
    if (existing) return existing;
    const automation = eqi(email.trim(), AUTOMATION_EMAIL);
    const staff = this.isStaffEmail(email);
    const user: StoredUser = automation
      ? {
          accountId: AUTOMATION_ACCOUNT_ID,
          email: AUTOMATION_EMAIL,
          displayName: AUTOMATION_DISPLAY_NAME,
          staff: true,
          accountType: 'app',
        }
      : {
          accountId: accountIdFor(email),
          email: email.trim(),
          displayName: displayNameFor(email.trim()),
          staff,
          accountType: staff ? 'atlassian' : 'customer',
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
    /** More links made with the issue (`update.issuelinks` of POST /issue). */
    links?: NewIssueLink[];
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
      attachments: [],
    };
    // Files named at creation (an e-mail's attachments) hold a small placeholder text.
    for (const name of input.attachments ?? [])
      issue.attachments.push(this.newAttachment(issue, name, placeholderContent(name), input.actor.accountId));
    // Jira makes the reporter a watcher when they may browse the issue; a JSM customer is none.
    if (input.reporterId !== null && issue.reporterId && this.mayBrowse(issue.reporterId))
      issue.watchers.push(issue.reporterId);
    this.applyPatchSilently(issue, input.patch ?? {});
    this.state.issues.push(issue);
    this.touch(issue);
    if (input.linkFrom) this.linkIssues(input.linkFrom.type, input.linkFrom.source, issue);
    for (const l of input.links ?? [])
      if (l.newIsSource) this.linkIssues(l.type, issue, l.other);
      else this.linkIssues(l.type, l.other, issue);
    this.o.emit({
      timestamp: this.o.now().getTime(),
      webhookEvent: 'jira:issue_created',
      issue_event_type_name: 'issue_created',
      user: this.json.userJson(input.actor, 2),
      issue: this.json.webhookIssue(issue),
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
    const items = changelogItems(this, issue, patch);
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
    this.touch(issue);
    const type = items.some((i) => i.field === 'status')
      ? 'issue_generic'
      : items.every((i) => i.field === 'assignee')
        ? 'issue_assigned'
        : 'issue_updated';
    this.o.emit({
      timestamp: this.o.now().getTime(),
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: type,
      user: this.json.userJson(actor, 2),
      issue: this.json.webhookIssue(issue),
      changelog: { id: entry.id, items },
    });
  }

  /**
   * Someone moves an issue to a status as the Jira UI would: along the workflow's transition into it
   * (none: 400), with the resolution picked on its screen (the UI preselects the first, Done).
   * Already there: nothing happens.
   */
  transitionIssue(issue: StoredIssue, to: string, actor: StoredUser, resolution?: string): void {
    const project = projectDef(issue.project)!;
    const target = statusDef(to);
    if (!target || !project.statuses.includes(target.name)) {
      throw new JiraValidationError({}, [`Status '${to}' is not valid for issue ${issue.key}.`]);
    }
    if (eqi(issue.status, target.name)) return;
    const t = transitionInto(this.workflows, issue, target.name, resolution !== undefined ? 'resolution' : undefined);
    if (!t) {
      const available = availableTransitions(this.workflows, issue).map((x) => x.to);
      throw new JiraValidationError({}, [
        `No transition from '${issue.status}' to '${target.name}' in the ${issue.project} workflow (available: ${available.join(', ') || 'none'}).`,
      ]);
    }
    if (resolution !== undefined && !t.screen.includes('resolution'))
      throw new JiraValidationError({ resolution: screenError('resolution') });
    this.takeTransition(
      issue,
      t,
      actor,
      resolution ?? (t.screen.includes('resolution') ? RESOLUTIONS[0]!.name : undefined),
    );
  }

  /**
   * Takes one workflow transition. `resolution` is what its screen set (the caller checked the screen has
   * it); otherwise only a post-function changes the resolution: Jira never sets one by itself.
   */
  takeTransition(issue: StoredIssue, t: TransitionDef, actor: StoredUser, resolution?: string): void {
    const target = statusDef(t.to)!;
    let res: string | null = issue.resolution;
    if (resolution !== undefined) {
      const r = RESOLUTIONS.find((x) => eqi(x.name, resolution));
      if (!r)
        throw new JiraValidationError({
          resolution: `Resolution '${resolution}' is not valid.`,
        });
      res = r.name;
    } else if (t.setsResolution) {
      res = t.setsResolution;
    } else if (t.clearsResolution) {
      res = null;
    }
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

  private newAttachment(issue: StoredIssue, filename: string, content: Buffer, authorId: string): StoredAttachment {
    return {
      id: String(10000 + Number(this.next('attachmentId'))),
      filename,
      size: content.length,
      mimeType: mimeTypeOf(filename),
      created: issue.created,
      authorId,
      content: content.toString('base64'),
    };
  }

  /** The attachment with that id on any issue, with its issue. */
  attachment(id: string): { issue: StoredIssue; attachment: StoredAttachment } | undefined {
    for (const issue of this.state.issues) {
      const attachment = issue.attachments.find((a) => a.id === id);
      if (attachment) return { issue, attachment };
    }
    return undefined;
  }

  /**
   * Attaches files to an issue as one upload does in Jira Cloud: each becomes an attachment, and one
   * jira:issue_updated follows with an Attachment changelog item per file.
   */
  addAttachments(
    issue: StoredIssue,
    files: { filename: string; content: Buffer; mimeType?: string }[],
    actor: StoredUser,
  ): StoredAttachment[] {
    const added = files.map((f) => {
      const a = this.newAttachment(issue, f.filename, f.content, actor.accountId);
      a.created = this.nowIso();
      if (f.mimeType) a.mimeType = f.mimeType;
      return a;
    });
    if (added.length === 0) return added;
    issue.attachments.push(...added);
    this.recordChange(
      issue,
      actor,
      added.map((a) => ({
        field: 'Attachment',
        fieldtype: 'jira',
        fieldId: 'attachment',
        from: null,
        fromString: null,
        to: a.id,
        toString: a.filename,
      })),
    );
    return added;
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
    this.touch(issue);
    this.o.emit({
      timestamp: this.o.now().getTime(),
      webhookEvent: 'comment_created',
      comment: this.json.commentJson(issue, comment, 2, false),
      issue: this.json.commentWebhookIssue(issue),
      eventType: 'primaryAction',
    });
    this.applyCommentRules(issue, actor, isPublic);
    return comment;
  }

  /** JSM: a public staff reply waits for the customer; a customer reply waits for support. */
  private applyCommentRules(issue: StoredIssue, actor: StoredUser, isPublic: boolean): void {
    if (issue.project !== SERVICE_DESK.projectKey) return;
    const automation = this.ensureUser(AUTOMATION_EMAIL);
    const customerSide = actor.accountId === issue.reporterId || !actor.staff;
    // The desk's automation rules, each taken only where the workflow has the transition.
    const move = (to: string) => {
      const t = transitionInto(this.workflows, issue, to);
      if (t) this.takeTransition(issue, t, automation);
    };
    if (customerSide) {
      if (statusDef(issue.status)?.category !== 'done' && issue.status !== 'Waiting for support')
        move('Waiting for support');
    } else if (isPublic && issue.status === 'Waiting for support') {
      move('Waiting for customer');
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
    this.touch(source);
    this.touch(dest);
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
    return interpretIssueInput(this, project, current, fields, update, api);
  }

  // ------------------------------------------------------------------------ read views

  normalize(issue: StoredIssue): NormalizedIssue {
    return normalizeIssue(this, issue);
  }

  /** Values of a JQL field for one issue (undefined = unknown field). */
  jqlValues(issue: StoredIssue, field: string): string[] | undefined {
    return jqlValues(this, issue, field);
  }

  isKnownJqlField(field: string): boolean {
    return isKnownJqlField(this, field);
  }
}

export { ISSUE_TYPES, LINK_TYPES, PRIORITIES, RESOLUTIONS };
