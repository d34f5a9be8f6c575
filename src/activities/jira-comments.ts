/**
 * Comments: public or internal, posted once per opKey (the `deskflow` comment property, looked for
 * before posting).
 */
import type { AddCommentInput, AddCommentResult } from './contract';
import { activityLog, type ErrorContext } from './errors';
import type { JiraReads } from './jira-read';
import { iso, obj, OP_PROPERTY, propertyValue, SD_PUBLIC_COMMENT } from './jira-shapes';
import { MENTION_MARKUP, textToAdf, type MentionTarget } from '../shared/adf';
import type { JiraPeople } from './jira-people';
import type { JiraSession } from './jira-session';

export function createJiraComments(s: JiraSession, reads: JiraReads, people: JiraPeople) {
  const { cloud, jira } = s;

  /**
   * E-11, E-15, E-16 tag people as `[~e-mail]`: each becomes an ADF mention of their account (found by
   * Jira's user search, cached), so Jira notifies them. Someone Jira does not know stays plain text.
   */
  async function mentionTargets(body: string, ctx: ErrorContext): Promise<Map<string, MentionTarget>> {
    const targets = new Map<string, MentionTarget>();
    for (const m of body.matchAll(MENTION_MARKUP)) {
      const ref = m[1]!;
      if (targets.has(ref) || !ref.includes('@')) continue;
      const user = await people.findUser(ref, ctx);
      if (user.found) targets.set(ref, { id: user.accountId, text: `@${user.displayName}` });
      else activityLog('warn', 'no Jira account to mention', { email: ref, ticket: ctx.ticket });
    }
    return targets;
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
    const existing = (await reads.allComments(key, ctx)).find(
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
    const mentions = await mentionTargets(body, ctx);
    // v3 (an ADF body) is the endpoint that carries comment properties on create.
    const comment = obj(
      await jira(ctx, () =>
        cloud.issueComments.addComment({
          issueIdOrKey: key,
          body: textToAdf(body, (ref) => mentions.get(ref)),
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

  return { addComment };
}
