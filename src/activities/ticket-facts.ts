/**
 * What a ticket already is in Jira, for a run that did not see it arrive (adoption, the S-01 queue sweep,
 * a reply after closing): its status and status category, resolution and when it was resolved, assignee,
 * request type, whether support already answered in public, and its open CS/DEV issues. Only these facts
 * enter the workflow's history, not the comments themselves.
 */
import { bodyToText } from '../shared/adf';
import type { ActivityDeps, JiraClients } from './clients';
import { createJiraClients } from './clients';
import { jiraFailure, type ErrorContext } from './errors';

type Json = Record<string, unknown>;

export interface LinkedIssueFact {
  key: string;
  project: string;
  status: string;
  done: boolean;
}

export interface TicketFacts {
  key: string;
  summary: string;
  description: string;
  reporter: string | null;
  /** ISO timestamp. */
  created: string;
  status: string;
  statusCategory: 'new' | 'indeterminate' | 'done';
  resolution: string | null;
  /** ISO timestamp of the resolution, when resolved. */
  resolvedAt: string | null;
  /** E-mail of the assignee (the account id when Jira hides the address); null when unassigned. */
  assignee: string | null;
  requestType: string | null;
  /** When someone other than the customer first replied in public (staff, an app, deskflow). */
  firstPublicReplyAt: string | null;
  /** How many comments the ticket has (public and internal). */
  comments: number;
  /** Linked issues in the CS and DEV projects. */
  linked: LinkedIssueFact[];
}

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
/** jira.js hands dates over as Date objects or Jira's text ("…+0000"). */
const iso = (v: unknown): string | null => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  const text = str(v);
  if (!text) return null;
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
};

function categoryOf(status: Json): TicketFacts['statusCategory'] {
  const key = str(obj(status.statusCategory).key);
  return key === 'done' || key === 'new' ? key : 'indeterminate';
}

/** JSM marks internal notes with `jsdPublic: false` or the `sd.public.comment` property {internal: true}. */
function isPublic(c: Json): boolean {
  if (typeof c.jsdPublic === 'boolean') return c.jsdPublic;
  const props = arr(c.properties).map(obj);
  const sd = props.find((p) => p.key === 'sd.public.comment');
  return obj(sd?.value).internal !== true;
}

export function createTicketFactsActivities(
  deps: Pick<ActivityDeps, 'config' | 'jira'>,
  clients: JiraClients = createJiraClients(deps.jira),
) {
  const cfg = deps.config.jira;
  const { internalDomains } = deps.config.roles;
  const { cloud } = clients;

  async function jira<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw jiraFailure(err, ctx);
    }
  }

  /** A customer: a JSM portal account, or (where Jira says no type) someone outside the internal domains. */
  function byCustomer(author: Json, reporterId: string | null): boolean {
    const type = str(author.accountType);
    if (reporterId && str(author.accountId) === reporterId) return true;
    if (type) return type === 'customer';
    const email = str(author.emailAddress)?.toLowerCase();
    const domain = email?.slice(email.lastIndexOf('@') + 1);
    return !domain || !internalDomains.some((d) => d.toLowerCase() === domain);
  }

  async function readTicketFacts({ key }: { key: string }): Promise<TicketFacts> {
    const ctx: ErrorContext = { ticket: key, action: 'read the ticket as it is' };
    const issue = obj(
      await jira(ctx, () =>
        cloud.issues.getIssue({
          issueIdOrKey: key,
          fields: [
            'summary',
            'description',
            'status',
            'resolution',
            'resolutiondate',
            'created',
            'reporter',
            'assignee',
            'issuelinks',
            cfg.fields.requestType,
          ],
        }),
      ),
    );
    const fields = obj(issue.fields);
    const reporter = obj(fields.reporter);
    const reporterId = str(reporter.accountId);
    let firstPublicReplyAt: string | null = null;
    let count = 0;
    for (let startAt = 0; ;) {
      const page = obj(
        await jira(ctx, () =>
          cloud.issueComments.getComments({ issueIdOrKey: key, startAt, maxResults: 100, expand: 'properties' }),
        ),
      );
      const comments = arr(page.comments).map(obj);
      for (const c of comments) {
        const at = iso(c.created);
        if (isPublic(c) && !byCustomer(obj(c.author), reporterId) && at) {
          if (!firstPublicReplyAt || at < firstPublicReplyAt) firstPublicReplyAt = at;
        }
      }
      count += comments.length;
      startAt += comments.length;
      const total = typeof page.total === 'number' ? page.total : startAt;
      if (comments.length === 0 || startAt >= total) break;
    }
    const status = obj(fields.status);
    const linked: LinkedIssueFact[] = [];
    for (const l of arr(fields.issuelinks).map(obj)) {
      const other = obj(l.outwardIssue ?? l.inwardIssue);
      const otherKey = str(other.key);
      if (!otherKey) continue;
      const project = otherKey.replace(/-\d+$/, '');
      if (project !== cfg.csProject && project !== cfg.devProject) continue;
      const otherStatus = obj(obj(other.fields).status);
      linked.push({
        key: otherKey,
        project,
        status: str(otherStatus.name) ?? '',
        done: categoryOf(otherStatus) === 'done',
      });
    }
    const requestType = obj(fields[cfg.fields.requestType]);
    const assignee = obj(fields.assignee);
    return {
      key: str(issue.key) ?? key,
      summary: str(fields.summary) ?? '',
      description: bodyToText(fields.description),
      reporter: str(reporter.emailAddress)?.toLowerCase() ?? reporterId,
      created: iso(fields.created) ?? new Date(0).toISOString(),
      status: str(status.name) ?? '',
      statusCategory: categoryOf(status),
      resolution: str(obj(fields.resolution).name),
      resolvedAt: iso(fields.resolutiondate),
      assignee: str(assignee.emailAddress)?.toLowerCase() ?? str(assignee.accountId),
      requestType: str(obj(requestType.requestType).name) ?? str(requestType.name),
      firstPublicReplyAt,
      comments: count,
      linked,
    };
  }

  /**
   * The keys a JQL search finds (enhanced search, following nextPageToken), at most `max`: only keys, so a
   * sweep over a large queue keeps its history small.
   */
  async function searchIssueKeys({ jql, max = 1000 }: { jql: string; max?: number }): Promise<string[]> {
    const ctx: ErrorContext = {
      ticket: 'search',
      action: 'search issues',
      fields: { jql: { name: 'jql', value: jql } },
    };
    const keys: string[] = [];
    let nextPageToken: string | undefined;
    do {
      const page = obj(
        await jira(ctx, () =>
          cloud.issueSearch.searchAndReconsileIssuesUsingJqlPost({
            jql,
            fields: ['status'],
            maxResults: Math.min(100, max - keys.length),
            ...(nextPageToken ? { nextPageToken } : {}),
          }),
        ),
      );
      for (const issue of arr(page.issues).map(obj)) {
        const key = str(issue.key);
        if (key) keys.push(key);
      }
      nextPageToken = page.isLast === true ? undefined : (str(page.nextPageToken) ?? undefined);
    } while (nextPageToken && keys.length < max);
    return keys.slice(0, max);
  }

  return { readTicketFacts, searchIssueKeys };
}
