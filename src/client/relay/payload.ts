/**
 * Jira Cloud webhook payloads, as far as deskflow reads them, validated with zod so a malformed
 * delivery is refused (400) naming the path that is wrong, before anything reaches Temporal.
 * Shapes follow Jira Cloud's admin webhooks: `webhookEvent`, `user`, `issue` (key + fields),
 * `comment` (JSM adds `jsdPublic`), `changelog.items`.
 */
import { z } from 'zod';
import { describeIssues } from '../../shared/zod-issues';

const issueKey = z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/, 'must be an issue key such as SS-12');

/**
 * Jira user objects: Jira Cloud names people by accountId, displayName and accountType (`atlassian`,
 * `customer`, `app`) and leaves `emailAddress` out of webhooks.
 */
const userSchema = z.looseObject({
  accountId: z.string().optional(),
  accountType: z.string().nullish(),
  emailAddress: z.string().nullish(),
  displayName: z.string().nullish(),
});

/** Text fields arrive as plain strings (wiki markup) or as Atlassian Document Format. */
const adfSchema = z.looseObject({ type: z.string() });
const textSchema = z.union([z.string(), adfSchema]);

const statusSchema = z.looseObject({
  name: z.string(),
  /** `done` for every resolved or closed status, whatever its name. */
  statusCategory: z.looseObject({ key: z.string().optional() }).nullish(),
});

const linkedIssueRefSchema = z.looseObject({
  key: issueKey,
  fields: z.looseObject({ status: statusSchema.nullish() }).optional(),
});

const issueLinkSchema = z.looseObject({
  type: z.looseObject({ name: z.string().optional() }).optional(),
  inwardIssue: linkedIssueRefSchema.optional(),
  outwardIssue: linkedIssueRefSchema.optional(),
});

const issueSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  key: issueKey,
  fields: z.looseObject({
    project: z.looseObject({ key: z.string().min(1) }),
    summary: z.string().nullish(),
    description: textSchema.nullish(),
    reporter: userSchema.nullish(),
    assignee: userSchema.nullish(),
    created: z.string().nullish(),
    status: statusSchema.nullish(),
    resolution: z.looseObject({ name: z.string() }).nullish(),
    issuelinks: z.array(issueLinkSchema).nullish(),
  }),
});

const changelogSchema = z.looseObject({
  items: z.array(
    z.looseObject({
      field: z.string(),
      fieldId: z.string().nullish(),
      fromString: z.string().nullish(),
      // `toString` (the new value) is not declared: zod, like any property read, would find
      // Object.prototype.toString when it is absent. Read it with changeTo() instead.
    }),
  ),
});

const commentSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  body: textSchema,
  author: userSchema,
  created: z.string().nullish(),
  jsdPublic: z.boolean().nullish(),
});

const baseSchema = z.looseObject({
  webhookEvent: z.string().min(1),
  timestamp: z.number().optional(),
  user: userSchema.nullish(),
});

export const issueEventSchema = baseSchema.extend({
  issue: issueSchema,
  changelog: changelogSchema.nullish(),
});

export const commentEventSchema = baseSchema.extend({
  issue: issueSchema,
  comment: commentSchema,
});

export type JiraUser = z.infer<typeof userSchema>;
export type JiraIssue = z.infer<typeof issueSchema>;
export type IssueWebhook = z.infer<typeof issueEventSchema>;
export type CommentWebhook = z.infer<typeof commentEventSchema>;

/** The events deskflow acts on; every other `webhookEvent` is acknowledged and ignored. */
export const ISSUE_EVENTS = ['jira:issue_created', 'jira:issue_updated'] as const;
export const COMMENT_EVENTS = ['comment_created'] as const;

export type ParsedWebhook =
  | { kind: 'issue'; event: IssueWebhook }
  | { kind: 'comment'; event: CommentWebhook }
  | { kind: 'other'; webhookEvent: string };

/** Thrown for a payload that is not what Jira sends; `message` names the offending path. */
export class PayloadError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issues = describeIssues(result.error, '(body)');
    throw new PayloadError(`invalid Jira webhook payload: ${issues.join('; ')}`, issues);
  }
  return result.data;
}

/** Validates a decoded webhook body against the shape its `webhookEvent` implies. */
export function parseWebhook(body: unknown): ParsedWebhook {
  const base = parseWith(baseSchema, body);
  const name = base.webhookEvent;
  if ((ISSUE_EVENTS as readonly string[]).includes(name)) {
    return { kind: 'issue', event: parseWith(issueEventSchema, body) };
  }
  if ((COMMENT_EVENTS as readonly string[]).includes(name)) {
    return { kind: 'comment', event: parseWith(commentEventSchema, body) };
  }
  return { kind: 'other', webhookEvent: name };
}

/**
 * Jira writes offsets without a colon ("2026-11-25T09:00:00.000-0800"); returns the instant as a
 * UTC ISO string, or null when the text is not a timestamp.
 */
export function normaliseJiraTimestamp(text: string): string | null {
  const fixed = text.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(fixed)) return null;
  const ms = Date.parse(fixed);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The new value of a changelog item (Jira's `toString`), if the payload has one. */
export function changeTo(item: object): string | null {
  const value: unknown = Object.getOwnPropertyDescriptor(item, 'toString')?.value;
  return typeof value === 'string' ? value : null;
}

export function emailOf(user: JiraUser | null | undefined): string | null {
  const email = user?.emailAddress?.trim();
  return email ? email.toLowerCase() : null;
}

/** Request participants as a webhook names them: by e-mail (older payloads) or by account id (Jira Cloud). */
export interface Participants {
  emails: string[];
  accountIds: string[];
}

/**
 * JSM keeps request participants in a site-specific custom field (an array of users). Jira's webhook
 * names fields by id only, so every custom field holding a list of users is read as participants; the
 * workflow re-reads the issue when it needs certainty. Jira Cloud names each user by `accountId` and
 * `accountType` and leaves `emailAddress` out: such users count by account id (looked up later, by
 * the workflow); a user without an account type (an older payload) by the e-mail it shows.
 */
export function participantsOf(fields: Record<string, unknown>): Participants {
  const emails = new Set<string>();
  const accountIds = new Set<string>();
  for (const [id, value] of Object.entries(fields)) {
    if (!id.startsWith('customfield_') || !Array.isArray(value) || value.length === 0) continue;
    const users = value.map((v) => userSchema.safeParse(v));
    if (users.some((u) => !u.success || (!u.data.accountId && !u.data.emailAddress))) continue;
    for (const u of users) {
      const { accountId, accountType, emailAddress } = u.data!;
      if (emailAddress && !accountType) emails.add(emailAddress.toLowerCase());
      else if (accountId) accountIds.add(accountId);
    }
  }
  return { emails: [...emails], accountIds: [...accountIds] };
}
