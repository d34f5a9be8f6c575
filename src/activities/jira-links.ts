/**
 * Issue links, and the linked CS / DEV issues created for an SS ticket (once per opKey).
 */
import { createHash } from 'node:crypto';
import type { CreateLinkedIssueInput, LinkIssuesInput } from './contract';
import { activityLog, jiraFailure, type ErrorContext } from './errors';
import { linksOf, obj, OP_PROPERTY, propertyValue, sameName, str } from './jira-shapes';
import type { JiraSession } from './jira-session';

/** Prefix of the owning ticket's properties recording created issues (one per opKey). */
export const CREATED_PROPERTY_PREFIX = 'deskflow.created.';

export function createJiraLinks(s: JiraSession) {
  const { cfg, cloud, jira } = s;

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

  /** Where an earlier deskflow release recorded the issue created for one opKey on the owning ticket. */
  function createdProperty(opKey: string): string {
    return `${CREATED_PROPERTY_PREFIX}${createHash('sha256').update(opKey).digest('hex').slice(0, 32)}`;
  }

  /**
   * The issue created earlier for this opKey, read back from the owning ticket with GETs (consistent,
   * unlike JQL search, which lags writes and cannot see unregistered entity properties): each linked issue
   * of the target project carrying this opKey in its `deskflow` property. Tickets from before issues were
   * created already linked may instead hold the record an earlier release wrote on the owning ticket.
   */
  async function issueForOpKey(input: CreateLinkedIssueInput, ctx: ErrorContext): Promise<string | undefined> {
    const property = createdProperty(input.opKey);
    const source = obj(
      await jira(ctx, () =>
        cloud.issues.getIssue({
          issueIdOrKey: input.linkTo,
          fields: ['issuelinks'],
          properties: [property],
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
    const recorded = propertyValue(source.properties, property);
    if (recorded?.opKey === input.opKey && str(recorded.key)) return str(recorded.key)!;
    return undefined;
  }

  /**
   * Creates a CS Task / CS ticket / DEV bug linked to the SS ticket (R-05, R-07.., E-08), once per opKey.
   * The issue is created with its link to the SS ticket in the same request (`update.issuelinks`) and
   * with the opKey as its `deskflow` property, so no attempt can leave an issue the SS ticket does not
   * show: a retry after a lost answer or a failure right after creating finds it through the SS ticket's
   * links and reuses it instead of making a second one.
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
    const existing = await issueForOpKey(input, ctx);
    if (existing) {
      activityLog('info', 'linked issue already created', { opKey: input.opKey, key: existing });
      // An issue recorded by an earlier release may still lack its link.
      await linkIssues({ from: input.linkTo, to: existing, type: input.linkType });
      return { key: existing };
    }
    const created = obj(
      await jira(ctx, () =>
        cloud.issues.createIssue({
          fields: {
            project: { key: input.project },
            issuetype: { name: input.issueType },
            summary: input.summary,
            description: input.description,
          },
          // As the new issue's link reads: the SS ticket is on its inward side ("SS relates to CS").
          update: {
            issuelinks: [{ add: { type: { name: input.linkType }, inwardIssue: { key: input.linkTo } } }],
          },
          properties: [{ key: OP_PROPERTY, value: { opKey: input.opKey } }],
        }),
      ),
    );
    const key = str(created.key);
    if (!key) throw jiraFailure(new Error('create issue returned no key'), ctx);
    s.wrote(created.id);
    return { key };
  }

  return { linkIssues, createLinkedIssue };
}
