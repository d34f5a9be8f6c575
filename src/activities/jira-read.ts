/**
 * Reads: one issue with its comments, participants and watchers (readIssue), JQL searches and the
 * open-issue counts per assignee.
 */
import type {
  CountOpenIssuesInput,
  IssueComment,
  IssueKeyInput,
  IssueSnapshot,
  IssueSummary,
  SearchIssuesInput,
} from './contract';
import { ApplicationFailure } from '@temporalio/activity';
import type { ErrorContext } from './errors';
import type { JiraPeople } from './jira-people';
import {
  arr,
  iso,
  jqlString,
  linksOf,
  obj,
  projectOf,
  propertyValue,
  SD_PUBLIC_COMMENT,
  str,
  userEmail,
  type Json,
} from './jira-shapes';
import { bodyToText } from '../shared/adf';
import type { JiraSession } from './jira-session';

export function createJiraReads(s: JiraSession, people: JiraPeople) {
  const { cfg, cloud, serviceDesk, jira, searchAll } = s;

  /**
   * A person's e-mail from a Jira user object. Jira Cloud hides `emailAddress` by profile visibility: then
   * it is looked up by account id (Jira's user API, cached); the account id stands in when Jira hides it
   * there too.
   */
  async function emailOfUser(u: unknown): Promise<string | null> {
    const shown = userEmail(u);
    const accountId = str(obj(u).accountId);
    if (!accountId || shown !== accountId) return shown;
    try {
      return (await people.lookupAccount({ accountId })).email ?? accountId;
    } catch (err) {
      // An account Jira will not show (deleted, no permission) must not fail the read.
      if (err instanceof ApplicationFailure && err.nonRetryable) return accountId;
      throw err;
    }
  }

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
      for (const v of values) {
        const email = await emailOfUser(v);
        if (email !== null) out.push(email);
      }
      start += values.length;
      if (values.length === 0 || page.isLastPage !== false) return out;
    }
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
    const watcherEmails: string[] = [];
    for (const w of arr(obj(watchers).watchers)) {
      const email = await emailOfUser(w);
      if (email !== null) watcherEmails.push(email);
    }
    return {
      key: str(issue.key) ?? key,
      project,
      issueType: str(obj(fields.issuetype).name) ?? '',
      summary: str(fields.summary) ?? '',
      description: bodyToText(fields.description),
      status: str(obj(fields.status).name) ?? '',
      resolution: str(obj(fields.resolution).name),
      created: iso(fields.created),
      reporter: fields.reporter ? await emailOfUser(fields.reporter) : null,
      assignee: fields.assignee ? await emailOfUser(fields.assignee) : null,
      participants,
      watchers: watcherEmails,
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
      const user = await people.findUser(email, ctx);
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
    const out: IssueSummary[] = [];
    for (const issue of hits) {
      const fields = obj(issue.fields);
      out.push({
        key: String(issue.key ?? ''),
        summary: str(fields.summary) ?? '',
        status: str(obj(fields.status).name) ?? '',
        organization: str(obj(arr(fields[f.organizations])[0]).name),
        reporter: fields.reporter ? await emailOfUser(fields.reporter) : null,
      });
    }
    return out;
  }

  return { allComments, readIssue, countOpenIssuesByAssignee, searchIssues };
}

export type JiraReads = ReturnType<typeof createJiraReads>;
