/**
 * The sandbox Jira's attachment endpoints, as Jira Cloud serves them: the upload (POST
 * /rest/api/3/issue/{key}/attachments, multipart/form-data with `file` parts, refused without the
 * `X-Atlassian-Token: no-check` header and over the size limit), the download (GET
 * /rest/api/3/attachment/content/{id}, by default a 303 to where the bytes are), an attachment's
 * metadata and the site's attachment settings.
 */
import { json, type Reply, type Request, type Router } from './http';
import type { JiraModel } from './jira-model';
import { ATTACHMENT_MAX_BYTES, type StoredIssue, type StoredUser } from './state';

type JiraRequest = Request & { actor: StoredUser };

const NO_ISSUE = 'Issue does not exist or you do not have permission to see it.';

function error(status: number, message: string): Reply {
  return json(status, { errorMessages: [message], errors: {} });
}

/** The `file` parts of a multipart/form-data body; a string when the body is not one. */
async function fileParts(req: Request): Promise<{ filename: string; content: Buffer; mimeType?: string }[] | string> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(type)) return 'the body must be multipart/form-data';
  let form: FormData;
  try {
    form = await new Response(req.raw, { headers: { 'content-type': type } }).formData();
  } catch {
    return 'the multipart body could not be read';
  }
  const files: { filename: string; content: Buffer; mimeType?: string }[] = [];
  for (const part of form.getAll('file')) {
    if (typeof part === 'string') return "each 'file' part must be a file";
    files.push({
      filename: part.name,
      content: Buffer.from(await part.arrayBuffer()),
      ...(part.type ? { mimeType: part.type } : {}),
    });
  }
  return files;
}

export function attachmentRoutes(r: Router, model: JiraModel, P: string): void {
  const api = (req: Request): 2 | 3 => (req.params[0] === '2' ? 2 : 3);
  const base = (req: Request) => `${model.baseUrl()}/rest/api/${api(req)}/attachment`;

  r.on('GET', new RegExp(`^${P}/attachment/meta$`), () =>
    json(200, { enabled: true, uploadLimit: ATTACHMENT_MAX_BYTES }),
  );

  r.on('GET', new RegExp(`^${P}/attachment/content/([^/]+)$`), (req) => {
    const found = model.attachment(req.params[1] ?? '');
    if (!found) return error(404, 'The attachment does not exist or you do not have permission to see it.');
    // Jira Cloud answers with a redirect to the file unless asked not to (redirect=false).
    if (req.query.get('redirect') !== 'false')
      return { status: 303, headers: { Location: `${base(req)}/content/${found.attachment.id}?redirect=false` } };
    return {
      status: 200,
      headers: {
        'Content-Type': found.attachment.mimeType,
        'Content-Disposition': `attachment; filename="${found.attachment.filename.replace(/"/g, '')}"`,
      },
      bytes: Buffer.from(found.attachment.content, 'base64'),
    };
  });

  r.on('GET', new RegExp(`^${P}/attachment/([^/]+)$`), (req) => {
    const found = model.attachment(req.params[1] ?? '');
    if (!found) return error(404, 'The attachment does not exist or you do not have permission to see it.');
    return json(200, model.json.attachmentJson(found.attachment, api(req)));
  });

  r.on('POST', new RegExp(`^${P}/issue/([^/]+)/attachments$`), async (req) => {
    // Jira's XSRF protection for multipart posts: without this header the upload is blocked.
    if (String(req.headers['x-atlassian-token'] ?? '').toLowerCase() !== 'no-check')
      return error(403, 'XSRF check failed');
    const issue: StoredIssue | undefined = model.issue(req.params[1] ?? '');
    if (!issue) return error(404, NO_ISSUE);
    const files = await fileParts(req);
    if (typeof files === 'string') return error(415, files);
    if (files.length === 0) return error(400, "No 'file' part: the attachments go in multipart parts named 'file'.");
    const tooLarge = files.find((f) => f.content.length > ATTACHMENT_MAX_BYTES);
    if (tooLarge)
      return error(
        413,
        `The file '${tooLarge.filename}' is too large to attach (${tooLarge.content.length} bytes; the limit is ${ATTACHMENT_MAX_BYTES}).`,
      );
    const added = model.addAttachments(issue, files, (req as JiraRequest).actor);
    return json(
      200,
      added.map((a) => model.json.attachmentJson(a, api(req))),
    );
  });
}
