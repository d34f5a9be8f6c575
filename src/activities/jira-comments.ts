/**
 * Comments: public or internal, posted once per opKey (the `deskflow` comment property, looked for
 * before posting).
 */
import type { AddCommentInput, AddCommentResult } from './contract';
import { activityLog, type ErrorContext } from './errors';
import type { JiraReads } from './jira-read';
import { iso, obj, OP_PROPERTY, propertyValue, SD_PUBLIC_COMMENT } from './jira-shapes';
import { textToAdf } from '../shared/adf';
import type { JiraSession } from './jira-session';

export function createJiraComments(s: JiraSession, reads: JiraReads) {
  const { cloud, jira } = s;

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
    // v3 (an ADF body) is the endpoint that carries comment properties on create.
    const comment = obj(
      await jira(ctx, () =>
        cloud.issueComments.addComment({
          issueIdOrKey: key,
          body: textToAdf(body),
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
