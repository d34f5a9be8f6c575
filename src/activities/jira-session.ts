/**
 * What every Jira activity module shares: the configuration, the jira.js clients, the error mapping
 * around each call, and the enhanced JQL search.
 */
import type { ActivityDeps, JiraClients } from './clients';
import { jiraFailure, type ErrorContext } from './errors';
import { arr, obj, str, type Json } from './jira-shapes';

export interface JiraSession {
  cfg: ActivityDeps['config']['jira'];
  cloud: JiraClients['cloud'];
  serviceDesk: JiraClients['serviceDesk'];
  /** Runs one Jira call, turning its failure into the activity's typed error. */
  jira<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T>;
  /** Enhanced JQL search; the issues this worker wrote lately are reconciled (read-your-writes). */
  searchAll(jql: string, fields: string[], ctx: ErrorContext, max?: number): Promise<Json[]>;
  /** Notes an issue id this worker just wrote, so searches reconcile it. */
  wrote(id: unknown): void;
}

/** Jira accepts at most 50 ids in reconcileIssues. */
const RECONCILE_MAX = 50;

export function createJiraSession(cfg: JiraSession['cfg'], clients: JiraClients): JiraSession {
  const { cloud } = clients;
  // Enhanced search is eventually consistent: a write can be missing from results for a while unless its
  // issue id is passed in reconcileIssues. The ids written last by this worker, newest last.
  const recent: number[] = [];
  function wrote(id: unknown): void {
    const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : NaN;
    if (!Number.isSafeInteger(n)) return;
    const at = recent.indexOf(n);
    if (at >= 0) recent.splice(at, 1);
    recent.push(n);
    if (recent.length > RECONCILE_MAX) recent.shift();
  }

  async function jira<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw jiraFailure(err, ctx);
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
            ...(recent.length > 0 ? { reconcileIssues: [...recent] } : {}),
            ...(nextPageToken ? { nextPageToken } : {}),
          }),
        ),
      );
      out.push(...arr(page.issues).map(obj));
      nextPageToken = page.isLast === true ? undefined : (str(page.nextPageToken) ?? undefined);
    } while (nextPageToken && out.length < max);
    return out.slice(0, max);
  }

  return { cfg, cloud, serviceDesk: clients.serviceDesk, jira, searchAll, wrote };
}
