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

  /** The owning ticket's property recording the issue created for one opKey (hashed: keys are URL path parts). */
  function createdProperty(opKey: string): string {
    return `${CREATED_PROPERTY_PREFIX}${createHash('sha256').update(opKey).digest('hex').slice(0, 32)}`;
  }

  /**
   * The issue created earlier for this opKey. Read back from the owning ticket with a GET (consistent,
   * unlike JQL search, which lags writes and cannot see unregistered entity properties): first the
   * record written right after creating, then (tickets from before the record existed) its links.
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
    const recorded = propertyValue(source.properties, property);
    if (recorded?.opKey === input.opKey && str(recorded.key)) return str(recorded.key)!;
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
    return undefined;
  }

  /**
   * Creates a CS Task / CS ticket / DEV bug linked to the SS ticket (R-05, R-07.., E-08). Right after
   * creating, the new key is recorded on the SS ticket (an issue property, read back first by a retry),
   * then the link is made; so an attempt that failed after creating reuses the issue instead of making a
   * second one. The opKey is also set as the new issue's `deskflow` property.
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
      s.wrote(created.id);
      const createdKey = key;
      await jira({ ...ctx, action: `record ${createdKey} on ${input.linkTo}` }, () =>
        cloud.issueProperties.setIssueProperty({
          issueIdOrKey: input.linkTo,
          propertyKey: createdProperty(input.opKey),
          body: { opKey: input.opKey, key: createdKey, id: String(created.id ?? '') },
        }),
      );
    }
    await linkIssues({ from: input.linkTo, to: key, type: input.linkType });
    return { key };
  }

  return { linkIssues, createLinkedIssue };
}
