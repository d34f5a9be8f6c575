/**
 * Jira Service Management activities (jira.js). Every write is safe to retry: plain field edits,
 * assignments, participants and watchers are idempotent by nature; comments and created issues carry
 * the workflow's `opKey` in an entity property (`deskflow` = {opKey}) that is looked up before writing.
 *
 * People are named by e-mail; account ids are looked up (and cached) here. Field ids, projects and
 * status names come from `config.jira`.
 */
import type {
  AddCommentInput,
  AddCommentResult,
  AssignIssueInput,
  CountOpenIssuesInput,
  CreateLinkedIssueInput,
  FindUserInput,
  FoundUser,
  IssueComment,
  IssueKeyInput,
  IssueLink,
  IssueSnapshot,
  IssueSummary,
  LinkIssuesInput,
  PeopleInput,
  SearchIssuesInput,
  TransitionIssueInput,
  UpdateIssueFieldsInput,
} from './contract';
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps, JiraClients } from './clients';
import { createJiraClients } from './clients';
import { ActivityErrorType, activityLog, jiraFailure, rejected, type ErrorContext } from './errors';
import { bodyToText, textToAdf } from '../shared/adf';

/** Entity property holding the idempotency key on comments and created issues. */
export const OP_PROPERTY = 'deskflow';
/** JSM's comment property: {internal: true} makes a comment an internal note. */
export const SD_PUBLIC_COMMENT = 'sd.public.comment';

type Json = Record<string, unknown>;
type FoundAccount = Extract<FoundUser, { found: true }>;

function obj(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function iso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? v : d.toISOString();
  }
  return '';
}
function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}
/** JQL string literal. */
function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
function projectOf(key: string): string {
  return key.replace(/-\d+$/, '');
}
function propertyValue(properties: unknown, key: string): Json | undefined {
  if (Array.isArray(properties)) {
    const p = properties.find((x) => obj(x).key === key);
    return p ? obj(obj(p).value) : undefined;
  }
  const record = obj(properties);
  return key in record ? obj(record[key]) : undefined;
}
function userEmail(u: unknown): string | null {
  const user = obj(u);
  return str(user.emailAddress) ?? str(user.accountId);
}

/** The Jira activities; `clients` may be injected (tests, or a shared client). */
export function createJiraActivities(
  deps: Pick<ActivityDeps, 'config' | 'jira'>,
  clients: JiraClients = createJiraClients(deps.jira),
) {
  const cfg = deps.config.jira;
  const { cloud, serviceDesk } = clients;
  const users = new Map<string, FoundAccount>();
  const organizations = new Map<string, string>();
  let requestTypes: Map<string, string> | undefined;

  async function jira<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw jiraFailure(err, ctx);
    }
  }

  // ---- people ---------------------------------------------------------------------------------

  async function findUser(email: string, ctx: ErrorContext): Promise<FoundUser> {
    const wanted = email.trim().toLowerCase();
    const cached = users.get(wanted);
    if (cached) return cached;
    const found = await jira(ctx, () => cloud.userSearch.findUsers({ query: email.trim(), maxResults: 50 }));
    const list = arr(found).map(obj);
    let match = list.find((u) => sameName(u.emailAddress, wanted));
    // Jira hides e-mail addresses by profile visibility: a single hit without one is the person searched for.
    if (!match && list.length === 1 && !str(list[0]?.emailAddress)) match = list[0];
    const accountId = str(match?.accountId);
    if (!match || !accountId) return { found: false, email };
    const user: FoundAccount = {
      found: true,
      accountId,
      email,
      displayName: str(match.displayName) ?? email,
    };
    users.set(wanted, user);
    return user;
  }

  /**
   * An account id for an e-mail. Customers (reporter, participants) are created in JSM when missing, as
   * the desk does for a new e-mail sender; staff roles (assignee, watcher, QA) must already exist.
   */
  async function accountFor(email: string, field: string, key: string, createCustomer: boolean): Promise<string> {
    const ctx: ErrorContext = {
      ticket: key,
      action: `look up ${field}`,
      fields: { [field]: { name: field, value: email } },
    };
    const user = await findUser(email, ctx);
    if (user.found) return user.accountId;
    if (createCustomer) {
      const created = await jira({ ...ctx, action: `create customer for ${field}` }, () =>
        serviceDesk.customer.createCustomer({ email, displayName: email }),
      );
      const accountId = str(obj(created).accountId);
      if (accountId) {
        users.set(email.trim().toLowerCase(), {
          found: true,
          accountId,
          email,
          displayName: email,
        });
        return accountId;
      }
    }
    throw rejected(ActivityErrorType.UserNotFound, `${key}: Jira has no user for ${field}=${JSON.stringify(email)}`);
  }

  // ---- reads ----------------------------------------------------------------------------------

  async function allComments(key: string, ctx: ErrorContext): Promise<Json[]> {
    const out: Json[] = [];
    for (let startAt = 0; ;) {
      const page = obj(
        await jira(ctx, () =>
          cloud.issueComments.getComments({
            issueIdOrKey: key,
            startAt,
            maxResults: 100,
            expand: 'properties',
          }),
        ),
      );
      const comments = arr(page.comments).map(obj);
      out.push(...comments);
      startAt += comments.length;
      const total = typeof page.total === 'number' ? page.total : startAt;
      if (comments.length === 0 || startAt >= total) return out;
    }
  }

  function toComment(c: Json): IssueComment {
    const sd = propertyValue(c.properties, SD_PUBLIC_COMMENT);
    const isPublic = typeof c.jsdPublic === 'boolean' ? c.jsdPublic : sd?.internal !== true;
    return {
      id: String(c.id ?? ''),
      authorEmail: str(obj(c.author).emailAddress),
      body: bodyToText(c.body),
      public: isPublic,
      created: iso(c.created),
    };
  }

  async function allParticipants(key: string, ctx: ErrorContext): Promise<string[]> {
    const out: string[] = [];
    for (let start = 0; ;) {
      const page = obj(
        await jira(ctx, () =>
          serviceDesk.request.getRequestParticipants({
            issueIdOrKey: key,
            start,
            limit: 50,
          }),
        ),
      );
      const values = arr(page.values);
      out.push(...values.map(userEmail).filter((e): e is string => e !== null));
      start += values.length;
      if (values.length === 0 || page.isLastPage !== false) return out;
    }
  }

  /** Enhanced JQL search (no total), following nextPageToken to the end or to `max` results. */
  async function searchAll(jql: string, fields: string[], ctx: ErrorContext, max = Infinity): Promise<Json[]> {
    const out: Json[] = [];
    let nextPageToken: string | undefined;
    do {
      const maxResults = Math.min(100, max - out.length);
      const page = obj(
        await jira(ctx, () =>
          cloud.issueSearch.searchAndReconsileIssuesUsingJqlPost({
            jql,
            fields,
            maxResults,
            ...(nextPageToken ? { nextPageToken } : {}),
          }),
        ),
      );
      out.push(...arr(page.issues).map(obj));
      nextPageToken = page.isLast === true ? undefined : (str(page.nextPageToken) ?? undefined);
    } while (nextPageToken && out.length < max);
    return out.slice(0, max);
  }

  function linksOf(fields: Json): IssueLink[] {
    return arr(fields.issuelinks).map((l) => {
      const link = obj(l);
      const outward = link.outwardIssue !== undefined;
      const other = obj(outward ? link.outwardIssue : link.inwardIssue);
      const key = String(other.key ?? '');
      return {
        type: String(obj(link.type).name ?? ''),
        direction: outward ? 'outward' : 'inward',
        key,
        project: str(obj(obj(other.fields).project).key) ?? projectOf(key),
        status: str(obj(obj(other.fields).status).name) ?? '',
      };
    });
  }

  /**
   * Reads what the workflows need about one issue: fields, status, links (with the other issue's
   * status), participants, watchers and comments (public or internal).
   */
  async function readIssue({
    key,
    comments: withComments,
  }: IssueKeyInput & { comments?: boolean }): Promise<IssueSnapshot> {
    const ctx: ErrorContext = { ticket: key, action: 'read issue' };
    const f = cfg.fields;
    const issue = obj(
      await jira(ctx, () =>
        cloud.issues.getIssue({
          issueIdOrKey: key,
          fields: [
            'summary',
            'description',
            'status',
            'resolution',
            'created',
            'reporter',
            'assignee',
            'priority',
            'labels',
            'components',
            'attachment',
            'issuelinks',
            'issuetype',
            'project',
            f.requestType,
            f.organizations,
          ],
        }),
      ),
    );
    const fields = obj(issue.fields);
    const project = str(obj(fields.project).key) ?? projectOf(key);
    const [comments, watchers, participants] = await Promise.all([
      withComments ? allComments(key, ctx) : Promise.resolve([]),
      jira(ctx, () => cloud.issueWatchers.getIssueWatchers({ issueIdOrKey: key })),
      project === cfg.supportProject ? allParticipants(key, ctx) : Promise.resolve([]),
    ]);
    const requestTypeValue = obj(fields[f.requestType]);
    const organizations = arr(fields[f.organizations]).map(obj);
    return {
      key: str(issue.key) ?? key,
      project,
      issueType: str(obj(fields.issuetype).name) ?? '',
      summary: str(fields.summary) ?? '',
      description: bodyToText(fields.description),
      status: str(obj(fields.status).name) ?? '',
      resolution: str(obj(fields.resolution).name),
      created: iso(fields.created),
      reporter: fields.reporter ? userEmail(fields.reporter) : null,
      assignee: fields.assignee ? userEmail(fields.assignee) : null,
      participants,
      watchers: arr(obj(watchers).watchers)
        .map(userEmail)
        .filter((e): e is string => e !== null),
      organization: str(organizations[0]?.name),
      requestType: str(obj(requestTypeValue.requestType).name) ?? str(requestTypeValue.name),
      priority: str(obj(fields.priority).name),
      labels: arr(fields.labels).filter((l): l is string => typeof l === 'string'),
      components: arr(fields.components)
        .map((c) => str(obj(c).name))
        .filter((n): n is string => n !== null),
      links: linksOf(fields),
      comments: comments.map(toComment),
      attachments: arr(fields.attachment)
        .map((a) => str(obj(a).filename))
        .filter((n): n is string => n !== null),
    };
  }

  // ---- field resolution -----------------------------------------------------------------------

  async function requestTypeId(name: string, ctx: ErrorContext): Promise<string> {
    if (!requestTypes) {
      const found = new Map<string, string>();
      for (let start = 0; ;) {
        const page = obj(
          await jira(ctx, () =>
            serviceDesk.servicedesk.getRequestTypes({
              serviceDeskId: cfg.serviceDeskId,
              start,
              limit: 50,
            }),
          ),
        );
        const values = arr(page.values).map(obj);
        for (const v of values)
          if (str(v.name) && v.id !== undefined) found.set(String(v.name).toLowerCase(), String(v.id));
        start += values.length;
        if (values.length === 0 || page.isLastPage !== false) break;
      }
      requestTypes = found;
    }
    const id = requestTypes.get(name.toLowerCase());
    if (id === undefined) {
      requestTypes = undefined; // a type added since is found on the next attempt
      throw rejected(
        ActivityErrorType.NotFound,
        `${ctx.ticket}: Jira rejected requestType=${JSON.stringify(name)}: no such request type in service desk ${cfg.serviceDeskId}`,
      );
    }
    return id;
  }

  /** The organization's id; created in JSM and added to the service desk when missing (S-07, E-03). */
  async function organizationId(name: string, ctx: ErrorContext): Promise<string> {
    const cached = organizations.get(name.toLowerCase());
    if (cached) return cached;
    let id: string | undefined;
    for (let start = 0; id === undefined;) {
      const page = obj(await jira(ctx, () => serviceDesk.organization.getOrganizations({ start, limit: 50 })));
      const values = arr(page.values).map(obj);
      const hit = values.find((o) => sameName(o.name, name));
      if (hit) id = String(hit.id);
      start += values.length;
      if (values.length === 0 || page.isLastPage !== false) break;
    }
    if (id === undefined) {
      const created = obj(await jira(ctx, () => serviceDesk.organization.createOrganization({ name })));
      id = String(created.id);
      activityLog('info', 'created JSM organization', { name, id });
    }
    const orgId = id;
    // Adding an organization the desk already has is a no-op in JSM.
    await jira(ctx, () =>
      serviceDesk.organization.addOrganization({
        serviceDeskId: cfg.serviceDeskId,
        body: { organizationId: Number(orgId) },
      }),
    );
    organizations.set(name.toLowerCase(), orgId);
    return orgId;
  }

  /** Makes sure each component exists in the project (E-09: the installer's name). */
  async function ensureComponents(project: string, names: string[], ctx: ErrorContext): Promise<void> {
    const existing = arr(
      await jira(ctx, () =>
        cloud.projectComponents.getProjectComponents({
          projectIdOrKey: project,
        }),
      ),
    );
    const have = new Set(existing.map((c) => String(obj(c).name ?? '').toLowerCase()));
    for (const name of names) {
      if (have.has(name.toLowerCase())) continue;
      await jira(ctx, () => cloud.projectComponents.createComponent({ project, name }));
      have.add(name.toLowerCase());
    }
  }

  async function epicKey(project: string, name: string, ctx: ErrorContext): Promise<string> {
    const hits = await searchAll(
      `project = ${jqlString(project)} AND issuetype = Epic AND summary ~ ${jqlString(name)}`,
      ['summary'],
      ctx,
    );
    const epic = hits.find((i) => sameName(obj(i.fields).summary, name));
    const key = str(epic?.key);
    if (!key) {
      throw rejected(
        ActivityErrorType.NotFound,
        `${ctx.ticket}: Jira rejected epic=${JSON.stringify(name)}: no epic with that name in ${project}`,
      );
    }
    return key;
  }

  // ---- writes ---------------------------------------------------------------------------------

  /** Assigns the issue (S-09, route assignments, E-09 workload); null unassigns. */
  async function assignIssue({ key, assignee }: AssignIssueInput): Promise<void> {
    const ctx: ErrorContext = {
      ticket: key,
      action: 'assign',
      fields: { assignee: { name: 'assignee', value: assignee } },
    };
    if (assignee === null) {
      await jira(ctx, () =>
        cloud.issues.editIssue({
          issueIdOrKey: key,
          fields: { assignee: null },
        }),
      );
      return;
    }
    const accountId = await accountFor(assignee, 'assignee', key, false);
    await jira(ctx, () => cloud.issues.assignIssue({ issueIdOrKey: key, accountId }));
  }

  /**
   * Sets the given fields by name (S-04 request type, S-05 reporter, S-07 organization, R-25 anonymous
   * reporter, E-08 "Needs Configuration?", E-09 components, epic and QA assignee). Setting a field to the
   * value it has is a no-op, so a retry is harmless.
   */
  async function updateIssueFields(input: UpdateIssueFieldsInput): Promise<void> {
    const { key } = input;
    const f = cfg.fields;
    const fields: Json = {};
    const update: Record<string, unknown[]> = {};
    const sent: NonNullable<ErrorContext['fields']> = {};
    const ctx: ErrorContext = {
      ticket: key,
      action: 'update fields',
      fields: sent,
    };
    const project = projectOf(key);

    if (input.requestType !== undefined) {
      sent[f.requestType] = { name: 'requestType', value: input.requestType };
      fields[f.requestType] = await requestTypeId(input.requestType, ctx);
    }
    if (input.reporter !== undefined) {
      sent.reporter = { name: 'reporter', value: input.reporter };
      fields.reporter =
        input.reporter === null
          ? null
          : {
              accountId: await accountFor(input.reporter, 'reporter', key, true),
            };
    }
    if (input.organization !== undefined) {
      sent[f.organizations] = {
        name: 'organization',
        value: input.organization,
      };
      const id = await organizationId(input.organization, ctx);
      fields[f.organizations] = [/^\d+$/.test(id) ? Number(id) : id];
    }
    if (input.priority !== undefined) {
      sent.priority = { name: 'priority', value: input.priority };
      fields.priority = { name: input.priority };
    }
    if (input.addLabels !== undefined && input.addLabels.length > 0) {
      sent.labels = { name: 'addLabels', value: input.addLabels };
      update.labels = input.addLabels.map((label) => ({ add: label }));
    }
    if (input.components !== undefined) {
      sent.components = { name: 'components', value: input.components };
      await ensureComponents(project, input.components, ctx);
      fields.components = input.components.map((name) => ({ name }));
    }
    if (input.epic !== undefined) {
      sent.parent = { name: 'epic', value: input.epic };
      fields.parent = { key: await epicKey(project, input.epic, ctx) };
    }
    if (input.needsConfiguration !== undefined) {
      sent[f.needsConfiguration] = {
        name: 'needsConfiguration',
        value: input.needsConfiguration,
      };
      fields[f.needsConfiguration] = { value: input.needsConfiguration };
    }
    if (input.qaAssignee !== undefined) {
      sent[f.qaAssignee] = { name: 'qaAssignee', value: input.qaAssignee };
      fields[f.qaAssignee] = {
        accountId: await accountFor(input.qaAssignee, 'qaAssignee', key, false),
      };
    }
    if (Object.keys(fields).length === 0 && Object.keys(update).length === 0) return;
    await jira(ctx, () =>
      cloud.issues.editIssue({
        issueIdOrKey: key,
        ...(Object.keys(fields).length > 0 ? { fields } : {}),
        ...(Object.keys(update).length > 0 ? { update } : {}),
      }),
    );
  }

  /** Adds request participants (E-07, E-15); customers new to the desk are created first. */
  async function addRequestParticipants({ key, emails }: PeopleInput): Promise<void> {
    if (emails.length === 0) return;
    const accountIds: string[] = [];
    for (const email of emails) accountIds.push(await accountFor(email, 'participants', key, true));
    const ctx: ErrorContext = {
      ticket: key,
      action: 'add request participants',
      fields: { participants: { name: 'participants', value: emails } },
    };
    await jira(ctx, () =>
      serviceDesk.request.addRequestParticipants({
        issueIdOrKey: key,
        accountIds,
      }),
    );
  }

  /** Removes request participants (S-06: staff become watchers instead). Unknown e-mails are not participants. */
  async function removeRequestParticipants({ key, emails }: PeopleInput): Promise<void> {
    const ctx: ErrorContext = {
      ticket: key,
      action: 'remove request participants',
      fields: { participants: { name: 'participants', value: emails } },
    };
    const accountIds: string[] = [];
    for (const email of emails) {
      const user = await findUser(email, ctx);
      if (user.found) accountIds.push(user.accountId);
    }
    if (accountIds.length === 0) return;
    await jira(ctx, () =>
      serviceDesk.request.removeRequestParticipants({
        issueIdOrKey: key,
        accountIds,
      }),
    );
  }

  /** Adds watchers (S-05, S-06, S-08, E-04). Watching twice is a no-op in Jira. */
  async function addWatchers({ key, emails }: PeopleInput): Promise<void> {
    for (const email of emails) {
      const accountId = await accountFor(email, 'watchers', key, false);
      const ctx: ErrorContext = {
        ticket: key,
        action: 'add watcher',
        fields: { watchers: { name: 'watchers', value: email } },
      };
      // The REST body is the account id as a bare JSON string; jira.js types it as a record.
      await jira(ctx, () =>
        cloud.issueWatchers.addWatcher({
          issueIdOrKey: key,
          body: accountId as unknown as Json,
        }),
      );
    }
  }

  /**
   * Adds a public ("share with customer", S-10) or internal comment. The opKey is stored in the
   * comment's `deskflow` property in the same request, and looked for first, so a retry never posts twice.
   */
  async function addComment({ key, body, public: isPublic, opKey }: AddCommentInput): Promise<AddCommentResult> {
    const ctx: ErrorContext = {
      ticket: key,
      action: isPublic ? 'add public comment' : 'add internal comment',
    };
    const existing = (await allComments(key, ctx)).find(
      (c) => propertyValue(c.properties, OP_PROPERTY)?.opKey === opKey,
    );
    if (existing) {
      activityLog('info', 'comment already posted', {
        key,
        opKey,
        id: existing.id,
      });
      return {
        id: String(existing.id),
        created: iso(existing.created),
        created_now: false,
      };
    }
    // v3 (an ADF body) is the endpoint that carries comment properties on create.
    const comment = obj(
      await jira(ctx, () =>
        cloud.issueComments.addComment({
          issueIdOrKey: key,
          body: textToAdf(body),
          properties: [
            { key: SD_PUBLIC_COMMENT, value: { internal: !isPublic } },
            { key: OP_PROPERTY, value: { opKey } },
          ],
        }),
      ),
    );
    return {
      id: String(comment.id),
      created: iso(comment.created),
      created_now: true,
    };
  }

  /** Moves the issue to the named status (with a resolution when closing); no-op when it is already there. */
  async function transitionIssue({ key, to, resolution }: TransitionIssueInput): Promise<void> {
    const ctx: ErrorContext = {
      ticket: key,
      action: `transition to ${JSON.stringify(to)}`,
      ...(resolution !== undefined ? { fields: { resolution: { name: 'resolution', value: resolution } } } : {}),
    };
    const status = async () =>
      str(
        obj(
          obj(obj(await jira(ctx, () => cloud.issues.getIssue({ issueIdOrKey: key, fields: ['status'] }))).fields)
            .status,
        ).name,
      ) ?? '';
    const current = await status();
    if (sameName(current, to)) return;
    // Someone else (the customer's reply under the desk's own rules, an agent) may move the issue to the
    // same status between our read and our write: a refusal is then checked against the status it ended in.
    const reachedMeanwhile = async () => sameName(await status(), to);
    const transitions = arr(
      obj(await jira(ctx, () => cloud.issues.getTransitions({ issueIdOrKey: key }))).transitions,
    ).map(obj);
    const transition =
      transitions.find((t) => sameName(obj(t.to).name, to)) ?? transitions.find((t) => sameName(t.name, to));
    if (!transition || transition.id === undefined) {
      if (await reachedMeanwhile()) return;
      const available = transitions.map((t) => str(obj(t.to).name) ?? str(t.name)).filter(Boolean);
      throw rejected(
        ActivityErrorType.InvalidTransition,
        `${key}: no transition from ${JSON.stringify(current)} to ${JSON.stringify(to)} (available: ${available.join(', ') || 'none'})`,
      );
    }
    const id = String(transition.id);
    try {
      await jira(ctx, () =>
        cloud.issues.doTransition({
          issueIdOrKey: key,
          transition: { id },
          ...(resolution !== undefined ? { fields: { resolution: { name: resolution } } } : {}),
        }),
      );
    } catch (err) {
      if (err instanceof ApplicationFailure && err.nonRetryable && (await reachedMeanwhile())) return;
      throw err;
    }
  }

  async function existingLink(from: string, to: string, type: string, ctx: ErrorContext): Promise<boolean> {
    const issue = obj(await jira(ctx, () => cloud.issues.getIssue({ issueIdOrKey: from, fields: ['issuelinks'] })));
    // Relates reads the same both ways; other types only count in the requested direction.
    const symmetric = sameName(type, cfg.linkTypes.relates);
    return linksOf(obj(issue.fields)).some(
      (l) => sameName(l.type, type) && sameName(l.key, to) && (l.direction === 'outward' || symmetric),
    );
  }

  /** Links two issues (`from` duplicates / relates to `to`); no-op when the link exists (S-13 duplicates). */
  async function linkIssues({ from, to, type }: LinkIssuesInput): Promise<void> {
    const ctx: ErrorContext = {
      ticket: from,
      action: `link to ${to}`,
      fields: { type: { name: 'linkType', value: type } },
    };
    if (await existingLink(from, to, type, ctx)) return;
    // In POST /issueLink the inward issue is the link's source: it reads "<inwardIssue> duplicates <outwardIssue>".
    await jira(ctx, () =>
      cloud.issueLinks.linkIssues({
        type: { name: type },
        inwardIssue: { key: from },
        outwardIssue: { key: to },
      }),
    );
  }

  /** The issue created earlier for this opKey: found through the SS ticket's links, else by JQL on the property. */
  async function issueForOpKey(input: CreateLinkedIssueInput, ctx: ErrorContext): Promise<string | undefined> {
    const source = obj(
      await jira(ctx, () =>
        cloud.issues.getIssue({
          issueIdOrKey: input.linkTo,
          fields: ['issuelinks'],
        }),
      ),
    );
    for (const link of linksOf(obj(source.fields))) {
      if (link.project !== input.project) continue;
      const candidate = obj(
        await jira(ctx, () =>
          cloud.issues.getIssue({
            issueIdOrKey: link.key,
            fields: ['summary'],
            properties: [OP_PROPERTY],
          }),
        ),
      );
      if (propertyValue(candidate.properties, OP_PROPERTY)?.opKey === input.opKey) return link.key;
    }
    // Created but not yet linked (the previous attempt stopped in between).
    const hits = await searchAll(`issue.property[${OP_PROPERTY}].opKey = ${jqlString(input.opKey)}`, ['summary'], ctx);
    return str(hits[0]?.key) ?? undefined;
  }

  /**
   * Creates a CS Task / CS ticket / DEV bug linked to the SS ticket (R-05, R-07.., E-08). The opKey is set
   * as the new issue's `deskflow` property at creation and searched for first, so a retry reuses the issue.
   */
  async function createLinkedIssue(input: CreateLinkedIssueInput): Promise<{ key: string }> {
    const ctx: ErrorContext = {
      ticket: input.linkTo,
      action: `create ${input.issueType} in ${input.project}`,
      fields: {
        project: { name: 'project', value: input.project },
        issuetype: { name: 'issueType', value: input.issueType },
        summary: { name: 'summary', value: input.summary },
      },
    };
    let key = await issueForOpKey(input, ctx);
    if (key) {
      activityLog('info', 'linked issue already created', {
        opKey: input.opKey,
        key,
      });
    } else {
      const created = obj(
        await jira(ctx, () =>
          cloud.issues.createIssue({
            fields: {
              project: { key: input.project },
              issuetype: { name: input.issueType },
              summary: input.summary,
              description: input.description,
            },
            properties: [{ key: OP_PROPERTY, value: { opKey: input.opKey } }],
          }),
        ),
      );
      key = str(created.key) ?? undefined;
      if (!key) throw jiraFailure(new Error('create issue returned no key'), ctx);
    }
    await linkIssues({ from: input.linkTo, to: key, type: input.linkType });
    return { key };
  }

  /** Open issues per person in a project (E-09: assign the CS ticket to the least-loaded config-team member). */
  async function countOpenIssuesByAssignee({
    project,
    assignees,
  }: CountOpenIssuesInput): Promise<Record<string, number>> {
    const ctx: ErrorContext = {
      ticket: project,
      action: 'count open issues by assignee',
    };
    const counts: Record<string, number> = {};
    const byAccount = new Map<string, string>();
    for (const email of assignees) {
      counts[email] = 0;
      const user = await findUser(email, ctx);
      if (user.found) byAccount.set(user.accountId, email);
    }
    if (byAccount.size === 0) return counts;
    const jql = `project = ${jqlString(project)} AND assignee in (${[...byAccount.keys()].map(jqlString).join(', ')}) AND statusCategory != Done`;
    for (const issue of await searchAll(jql, ['assignee'], ctx)) {
      const email = byAccount.get(String(obj(obj(issue.fields).assignee).accountId ?? ''));
      if (email !== undefined) counts[email] = (counts[email] ?? 0) + 1;
    }
    return counts;
  }

  /** Issues matching a JQL query, e.g. the open onboarding ticket an approval belongs to (E-13). */
  async function searchIssues({ jql, max = 50 }: SearchIssuesInput): Promise<IssueSummary[]> {
    const ctx: ErrorContext = {
      ticket: 'search',
      action: 'search issues',
      fields: { jql: { name: 'jql', value: jql } },
    };
    const f = cfg.fields;
    const hits = await searchAll(jql, ['summary', 'status', 'reporter', f.organizations], ctx, max);
    return hits.map((issue) => {
      const fields = obj(issue.fields);
      return {
        key: String(issue.key ?? ''),
        summary: str(fields.summary) ?? '',
        status: str(obj(fields.status).name) ?? '',
        organization: str(obj(arr(fields[f.organizations])[0]).name),
        reporter: fields.reporter ? userEmail(fields.reporter) : null,
      };
    });
  }

  /** Finds a Jira user by e-mail (cached). No match is a typed result, not a failure: the caller falls back. */
  async function findUserByEmail({ email }: FindUserInput): Promise<FoundUser> {
    return findUser(email, { ticket: email, action: 'find user' });
  }

  return {
    readIssue,
    assignIssue,
    updateIssueFields,
    addRequestParticipants,
    removeRequestParticipants,
    addWatchers,
    addComment,
    transitionIssue,
    createLinkedIssue,
    linkIssues,
    countOpenIssuesByAssignee,
    searchIssues,
    findUserByEmail,
  };
}

export type JiraActivities = ReturnType<typeof createJiraActivities>;
