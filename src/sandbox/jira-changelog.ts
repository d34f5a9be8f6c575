/**
 * The changelog items an edit records: one per changed field, in Jira's shapes (user fields by account
 * id and display name, options by id and value, lists as strings).
 */
import { CF, NEEDS_CONFIGURATION_OPTIONS, PRIORITIES, type ChangelogItem, type StoredIssue } from './state';
import type { IssuePatch, JiraLookup } from './jira-fields';

export function changelogItems(m: JiraLookup, issue: StoredIssue, patch: IssuePatch): ChangelogItem[] {
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
      fromString: m.user(from)?.displayName ?? null,
      to,
      toString: m.user(to)?.displayName ?? null,
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
    const comp = (name: string) => m.components(issue.project).find((c) => c.name === name);
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
    const rt = (id: string | null) => m.requestTypes.find((r) => r.id === id)?.name ?? null;
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
    const names = (ids: string[]) => ids.map((id) => m.organization(id)?.name ?? id).join(', ');
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
    const names = (ids: string[]) => ids.map((id) => m.user(id)?.displayName ?? id).join(', ');
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
      from: m.issue(issue.parentKey ?? '')?.id ?? null,
      fromString: issue.parentKey,
      to: m.issue(patch.parentKey ?? '')?.id ?? null,
      toString: patch.parentKey,
    });
  }
  return items;
}
