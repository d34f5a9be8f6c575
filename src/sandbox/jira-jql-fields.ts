/**
 * The values a JQL clause compares for one issue, by field name (system fields, custom fields by name,
 * id or cf[n], and issue properties).
 */
import { CF, issueTypeDef, PRIORITIES, projectDef, STATUS_CATEGORIES, statusDef, type StoredIssue } from './state';
import { blankIssue, type JiraLookup } from './jira-fields';

/** Values of a JQL field for one issue (undefined = unknown field). */
export function jqlValues(m: JiraLookup, issue: StoredIssue, field: string): string[] | undefined {
  const f = field.toLowerCase();
  const user = (id: string | null) => {
    const u = m.user(id);
    return u ? [u.accountId, u.email] : [];
  };
  const prop = /^issue\.property\[([^\]]+)\]((?:\.[\w-]+)*)$/i.exec(field);
  if (prop) {
    // Jira indexes an entity property only when an app registers it; any other is not a JQL field.
    if (!m.isSearchableProperty(prop[1]!)) return undefined;
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
      return issue.parentKey ? [issue.parentKey, m.issue(issue.parentKey)?.id ?? ''] : [];
    case 'request type':
    case 'requesttype':
    case 'cf[10010]':
    case CF.requestType: {
      const rt = m.requestTypes.find((r) => r.id === issue.requestTypeId);
      return rt ? [rt.name, rt.id] : [];
    }
    case 'organizations':
    case 'cf[10002]':
    case CF.organizations:
      return issue.organizationIds.flatMap((id) => [id, m.organization(id)?.name ?? '']);
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

/** Whether JQL knows the field (an unknown field is a 400). */
export function isKnownJqlField(m: JiraLookup, field: string): boolean {
  return jqlValues(m, blankIssue(new Date(0).toISOString()), field) !== undefined;
}
