/**
 * The sandbox's own read view of an issue (people by e-mail), as tests and the scenario runner see it.
 */
import { MENTION_MARKUP } from '../shared/adf';
import type { StoredIssue } from './state';
import type { NormalizedComment, NormalizedIssue, NormalizedLink } from './types';
import type { JiraLookup } from './jira-fields';

export function normalizeIssue(m: JiraLookup, issue: StoredIssue): NormalizedIssue {
  const email = (id: string | null) => m.user(id)?.email ?? null;
  const links: NormalizedLink[] = [];
  for (const l of m.links()) {
    if (l.source === issue.key) links.push({ type: l.type, direction: 'outward', key: l.dest });
    else if (l.dest === issue.key) links.push({ type: l.type, direction: 'inward', key: l.source });
  }
  // Mentions are stored as Jira's `[~accountid:ID]`; this view names people by e-mail: `[~email]`.
  const mentioned = (body: string) =>
    [...body.matchAll(MENTION_MARKUP)]
      .map((m) => m[1]!)
      .filter((ref) => ref.startsWith('accountid:'))
      .map((ref) => email(ref.slice('accountid:'.length)))
      .filter((e): e is string => e !== null);
  const byEmail = (body: string) =>
    body.replace(MENTION_MARKUP, (all, ref: string) =>
      ref.startsWith('accountid:') ? `[~${email(ref.slice('accountid:'.length)) ?? ref}]` : all,
    );
  const comments: NormalizedComment[] = issue.comments.map((c) => ({
    id: c.id,
    author: email(c.authorId) ?? '',
    body: byEmail(c.body),
    mentions: [...new Set(mentioned(c.body))],
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
    requestType: m.requestTypes.find((r) => r.id === issue.requestTypeId)?.name ?? null,
    organization: firstOrg ? (m.organization(firstOrg)?.name ?? null) : null,
    priority: issue.priority,
    epic: issue.parentKey ? (m.issue(issue.parentKey)?.summary ?? null) : null,
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
    attachments: issue.attachments.map((a) => a.filename),
    created: issue.created,
    updated: issue.updated,
  };
}
