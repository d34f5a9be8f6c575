/**
 * documents reach the CS ticket as files, not names. Jira Cloud has no "copy attachment": a
 * file's content is downloaded (GET /rest/api/3/attachment/content/{id}) and uploaded to the other issue
 * (POST /rest/api/3/issue/{key}/attachments, multipart, X-Atlassian-Token: no-check; jira.js sends it).
 * Safe to retry: the target's attachments are read first, and a file already there with the same name
 * and size is not uploaded again.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { CopyAttachmentsInput, CopyAttachmentsResult } from './contract';
import type { ErrorContext } from './errors';
import { arr, obj, str } from './jira-shapes';
import type { JiraSession } from './jira-session';

interface AttachmentRef {
  id: string;
  filename: string;
  size: number;
}

export function createJiraAttachments(s: JiraSession) {
  const { cloud, jira } = s;

  async function attachmentsOf(key: string, ctx: ErrorContext): Promise<AttachmentRef[]> {
    const issue = obj(await jira(ctx, () => cloud.issues.getIssue({ issueIdOrKey: key, fields: ['attachment'] })));
    return arr(obj(issue.fields).attachment).flatMap((raw) => {
      const a = obj(raw);
      const id = a.id === undefined || a.id === null ? null : String(a.id);
      const filename = str(a.filename);
      return id && filename ? [{ id, filename, size: typeof a.size === 'number' ? a.size : -1 }] : [];
    });
  }

  /** A refusal (4xx) of one file is reported and the others go on; an outage fails the call, to be retried. */
  async function orRefusal(fn: () => Promise<void>): Promise<string | null> {
    try {
      await fn();
      return null;
    } catch (err) {
      if (err instanceof ApplicationFailure && err.nonRetryable) return err.message;
      throw err;
    }
  }

  async function copyAttachments({ from, to, filenames }: CopyAttachmentsInput): Promise<CopyAttachmentsResult> {
    const ctx: ErrorContext = { ticket: from, action: `copy attachments to ${to}` };
    const wanted = filenames ? new Set(filenames) : null;
    const source = (await attachmentsOf(from, ctx)).filter((a) => !wanted || wanted.has(a.filename));
    const result: CopyAttachmentsResult = { copied: [], already: [], failed: [] };
    if (source.length === 0) return result;
    // Each file on the target (name and size) answers for one source file: a retry uploads nothing twice.
    const onTarget = await attachmentsOf(to, { ticket: to, action: `read attachments for a copy from ${from}` });
    const meta = obj(await jira(ctx, () => cloud.issueAttachments.getAttachmentMeta()));
    const limit = typeof meta.uploadLimit === 'number' ? meta.uploadLimit : Infinity;
    for (const a of source) {
      const same = onTarget.findIndex((t) => t.filename === a.filename && t.size === a.size);
      if (same >= 0) {
        onTarget.splice(same, 1);
        result.already.push(a.filename);
        continue;
      }
      if (a.size > limit) {
        result.failed.push({ filename: a.filename, reason: `${a.size} bytes, over ${to}'s limit of ${limit}` });
        continue;
      }
      const fileCtx: ErrorContext = { ticket: from, action: `copy ${a.filename} to ${to}` };
      const refused = await orRefusal(async () => {
        const content = await jira(fileCtx, () => cloud.issueAttachments.getAttachmentContent({ id: a.id }));
        const bytes = ArrayBuffer.isView(content)
          ? new Uint8Array(content.buffer, content.byteOffset, content.byteLength)
          : new Uint8Array(content);
        await jira(fileCtx, () =>
          cloud.issueAttachments.addAttachment({
            issueIdOrKey: to,
            attachments: { filename: a.filename, content: bytes },
          }),
        );
      });
      if (refused) result.failed.push({ filename: a.filename, reason: refused });
      else result.copied.push(a.filename);
    }
    return result;
  }

  return { copyAttachments };
}
