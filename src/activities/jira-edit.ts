/**
 * Field edits: assignment and the fields set by name (request type, reporter, organization, priority,
 * labels, components, epic, "Needs Configuration?", QA assignee), each resolved to the id Jira wants.
 */
import type { AssignIssueInput, UpdateIssueFieldsInput } from './contract';
import { ActivityErrorType, activityLog, rejected, type ErrorContext } from './errors';
import type { JiraPeople } from './jira-people';
import { arr, jqlString, obj, projectOf, sameName, str, type Json } from './jira-shapes';
import type { JiraSession } from './jira-session';

export function createJiraEdits(s: JiraSession, people: JiraPeople) {
  const { cfg, cloud, serviceDesk, jira, searchAll } = s;
  const { accountFor } = people;
  const organizations = new Map<string, string>();
  let requestTypes: Map<string, string> | undefined;
  const epics = new Map<string, string>();

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

  /**
   * The epic's key by name. Epics are long-lived, so a key once found is kept: later lookups neither pay
   * for a search nor depend on the search index having caught up.
   */
  async function epicKey(project: string, name: string, ctx: ErrorContext): Promise<string> {
    const cacheKey = `${project}\u0000${name.trim().toLowerCase()}`;
    const cached = epics.get(cacheKey);
    if (cached) return cached;
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
        `${ctx.ticket}: Jira rejected epic=${JSON.stringify(name)}: no epic with that name in ${project} (an epic created moments ago may not be searchable yet)`,
      );
    }
    epics.set(cacheKey, key);
    return key;
  }

  /** Assigns the issue (S-09, route assignments, E-09 workload); null unassigns. */
  async function assignIssue({ key, assignee }: AssignIssueInput): Promise<void> {
    const ctx: ErrorContext = {
      ticket: key,
      action: 'assign',
      fields: { assignee: { name: 'assignee', value: assignee } },
    };
    // The id lets later searches reconcile this write (the least-loaded counts read assignees by JQL).
    const current = obj(await jira(ctx, () => cloud.issues.getIssue({ issueIdOrKey: key, fields: ['assignee'] })));
    s.wrote(current.id);
    if (assignee === null) {
      if (obj(current.fields).assignee == null) return;
      await jira(ctx, () =>
        cloud.issues.editIssue({
          issueIdOrKey: key,
          fields: { assignee: null },
        }),
      );
      return;
    }
    const accountId = await accountFor(assignee, 'assignee', key, false);
    if (obj(obj(current.fields).assignee).accountId === accountId) return;
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

  return { assignIssue, updateIssueFields };
}
