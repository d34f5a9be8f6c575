/**
 * What a validated Jira webhook means for deskflow: which SS ticket's workflow gets which signal,
 * or why the event is ignored. Pure, so every rule is testable without a server.
 */
import type { DeskflowConfig } from '../../config';
import { bodyToText } from '../../shared/adf';
import type { CommentEvent, LinkedIssueEvent, TicketCreatedEvent, TicketEditedEvent } from '../../workflows/messages';
import { actorKind, isDeskSide, type ActorKind, type Identity } from './identity';
import {
  changeTo,
  emailOf,
  normaliseJiraTimestamp,
  participantsOf,
  type CommentWebhook,
  type IssueWebhook,
  type JiraIssue,
  type JiraUser,
  type ParsedWebhook,
} from './payload';

/** One signal to one SS ticket's workflow (always sent with signalWithStart); `kind` picks the signal. */
export type Delivery =
  | { ticket: string; kind: 'created'; event: TicketCreatedEvent }
  | { ticket: string; kind: 'comment'; event: CommentEvent }
  | { ticket: string; kind: 'linked'; event: LinkedIssueEvent }
  | { ticket: string; kind: 'edited'; event: TicketEditedEvent };

export type MappingResult =
  | { action: 'deliver'; deliveries: Delivery[] }
  /** 200 for deskflow's own echo (expected traffic), 202 for events deskflow does not act on. */
  | { action: 'ignore'; status: 200 | 202; reason: string }
  /** A payload that passed the schema but still lacks what the mapping needs (400). */
  | { action: 'reject'; error: string };

/** SS fields whose edit the ticket workflow cares about (e.g. a corrected onboarding form, E-02). */
const EDIT_FIELDS = new Set(['summary', 'description']);

/** Identity unknown: only an e-mail the payload shows can tell deskflow's own events (old payloads). */
const UNKNOWN_SELF: Identity = { selfAccountId: null };

export function mapWebhook(
  parsed: ParsedWebhook,
  config: DeskflowConfig,
  identity: Identity = UNKNOWN_SELF,
): MappingResult {
  switch (parsed.kind) {
    case 'other':
      if (parsed.webhookEvent === 'issuelink_created') {
        // It names issues by id only; the CS/DEV issue's own created/updated events carry the keys.
        return ignore(202, 'issuelink_created carries issue ids; the linked issue events cover it');
      }
      return ignore(202, `event ${parsed.webhookEvent} is not used by deskflow`);
    case 'comment':
      return mapComment(parsed.event, config, identity);
    case 'issue':
      return mapIssueEvent(parsed.event, config, identity);
  }
}

function ignore(status: 200 | 202, reason: string): MappingResult {
  return { action: 'ignore', status, reason };
}

/** Who acted, for a Jira Cloud user object (with an account type): its account id and kind. */
function actor(
  user: JiraUser | null | undefined,
  config: DeskflowConfig,
  identity: Identity,
): { byAccountId?: string; byKind?: ActorKind } {
  if (!user?.accountType || !user.accountId) return {};
  return { byAccountId: user.accountId, byKind: actorKind(user, config, identity) };
}

/**
 * The e-mail of a user object that is not Jira Cloud's (no accountType: an old or hand-made payload).
 * Jira Cloud's carry none; the workflow looks the address up by account id where it needs one.
 */
function legacyEmail(user: JiraUser | null | undefined): string | null {
  return user?.accountType ? null : emailOf(user);
}

/** The event's own timestamp (ISO), from a Jira date field or the webhook's epoch-millis `timestamp`. */
function instant(text: string | null | undefined, timestamp: number | undefined): string | null {
  if (text) return normaliseJiraTimestamp(text);
  return timestamp !== undefined ? new Date(timestamp).toISOString() : null;
}

function mapComment(event: CommentWebhook, config: DeskflowConfig, identity: Identity): MappingResult {
  const { issue, comment } = event;
  const project = issue.fields.project.key;
  if (project !== config.jira.supportProject) {
    return ignore(202, `comment on ${issue.key}: only ${config.jira.supportProject} comments reach a ticket workflow`);
  }
  const kind = actorKind(comment.author, config, identity);
  if (kind === 'self') return ignore(200, `comment ${comment.id} is deskflow's own`);
  const created = instant(comment.created, event.timestamp);
  if (!created) return { action: 'reject', error: 'comment.created: must be a Jira timestamp' };
  return {
    action: 'deliver',
    deliveries: [
      {
        ticket: issue.key,
        kind: 'comment',
        event: {
          commentId: comment.id,
          author: legacyEmail(comment.author),
          // Jira Cloud's payloads: the account to look the author's e-mail up by, and who it is.
          ...(comment.author.accountType && comment.author.accountId
            ? { authorAccountId: comment.author.accountId, authorKind: kind }
            : {}),
          body: bodyToText(comment.body),
          // JSM marks internal notes jsdPublic=false; plain Jira comments carry no flag and are public.
          public: comment.jsdPublic !== false,
          byStaff: isDeskSide(kind),
          created,
        },
      },
    ],
  };
}

function mapIssueEvent(event: IssueWebhook, config: DeskflowConfig, identity: Identity): MappingResult {
  const { issue } = event;
  const project = issue.fields.project.key;
  const by = legacyEmail(event.user);
  const bySelf = actorKind(event.user, config, identity) === 'self';
  const jira = config.jira;
  if (project === jira.supportProject) {
    if (event.webhookEvent === 'jira:issue_created') return mapTicketCreated(event);
    if (bySelf) return ignore(200, `change to ${issue.key} made by deskflow`);
    const items = event.changelog?.items ?? [];
    const fields = items.map((i) => i.field.toLowerCase()).filter((f) => EDIT_FIELDS.has(f));
    // Someone resolved or closed the ticket in Jira (any done-category status): the workflow must stop writing to it.
    const closedBy = items.find((i) => i.field.toLowerCase() === 'status' && isDoneStatus(changeTo(i), issue, config));
    if (closedBy) fields.push('status');
    // Someone (re)assigned it in Jira: reminders follow the new assignee.
    const assigned = items.find((i) => i.field.toLowerCase() === 'assignee');
    if (assigned) fields.push('assignee');
    if (fields.length === 0) return ignore(202, `update of ${issue.key} changes nothing deskflow follows`);
    const status = closedBy ? (changeTo(closedBy) ?? undefined) : undefined;
    const assignee = assigned
      ? (emailOf(issue.fields.assignee) ?? issue.fields.assignee?.accountId ?? null)
      : undefined;
    return {
      action: 'deliver',
      deliveries: [
        {
          ticket: issue.key,
          kind: 'edited',
          event: {
            fields: [...new Set(fields)],
            by,
            ...actor(event.user, config, identity),
            ...(status ? { status } : {}),
            ...(assignee !== undefined ? { assignee } : {}),
          },
        },
      ],
    };
  }
  if (project === jira.csProject || project === jira.devProject) {
    if (bySelf) return ignore(200, `change to ${issue.key} made by deskflow`);
    return mapLinkedIssue(event, config, identity);
  }
  return ignore(202, `project ${project} is not followed by deskflow`);
}

/**
 * A status in Jira's done category (Resolved, Closed, Done, …): the issue as the webhook shows it after the
 * change says so; a payload without the category falls back to the configured closing statuses.
 */
function isDoneStatus(to: string | null, issue: JiraIssue, config: DeskflowConfig): boolean {
  if (!to) return false;
  const now = issue.fields.status;
  if (now?.name === to && now.statusCategory?.key) return now.statusCategory.key === 'done';
  return [config.jira.statuses.closed, config.jira.statuses.done].includes(to);
}

function mapTicketCreated(event: IssueWebhook): MappingResult {
  const { issue } = event;
  const created = instant(issue.fields.created, event.timestamp);
  if (!created) return { action: 'reject', error: 'issue.fields.created: must be a Jira timestamp' };
  const reporter = legacyEmail(issue.fields.reporter);
  const reporterAccountId = issue.fields.reporter?.accountId;
  const participants = participantsOf(issue.fields);
  const participantAccountIds = participants.accountIds.filter((id) => id !== reporterAccountId);
  const ticket: TicketCreatedEvent = {
    key: issue.key,
    summary: issue.fields.summary ?? '',
    description: bodyToText(issue.fields.description),
    reporter,
    // The account id is what the workflow looks the reporter's e-mail up by (Jira Cloud's payloads).
    ...(reporter === null && reporterAccountId ? { reporterAccountId } : {}),
    participants: participants.emails.filter((p) => p !== reporter),
    // Jira Cloud's payloads: the participants' accounts, whose e-mails the workflow looks up.
    ...(participantAccountIds.length > 0 ? { participantAccountIds } : {}),
    created,
  };
  return { action: 'deliver', deliveries: [{ ticket: issue.key, kind: 'created', event: ticket }] };
}

/** When the change happened: the webhook's own `timestamp` (ms), else the issue's `updated`. */
function eventTime(event: IssueWebhook): { at?: string } {
  if (typeof event.timestamp === 'number' && Number.isFinite(event.timestamp))
    return { at: new Date(event.timestamp).toISOString() };
  const updated = (event.issue.fields as { updated?: unknown }).updated;
  const at = typeof updated === 'string' ? normaliseJiraTimestamp(updated) : null;
  return at ? { at } : {};
}

/** SS keys linked to a CS/DEV issue, in link order, without repeats. */
export function owningTickets(issue: JiraIssue, supportProject: string): string[] {
  const keys = new Set<string>();
  for (const link of issue.fields.issuelinks ?? []) {
    for (const ref of [link.inwardIssue, link.outwardIssue]) {
      if (ref && ref.key.startsWith(`${supportProject}-`)) keys.add(ref.key);
    }
  }
  return [...keys];
}

/** The linked issue's resolution after this event: the changelog's new value, else the issue's field. */
function resolutionOf(event: IssueWebhook): string | null {
  const change = (event.changelog?.items ?? []).find((i) => i.field.toLowerCase() === 'resolution');
  if (change) return changeTo(change) || null;
  return event.issue.fields.resolution?.name ?? null;
}

function mapLinkedIssue(event: IssueWebhook, config: DeskflowConfig, identity: Identity): MappingResult {
  const { issue } = event;
  const statusChange = (event.changelog?.items ?? []).find((i) => i.field.toLowerCase() === 'status');
  if (event.webhookEvent === 'jira:issue_updated' && !statusChange) {
    return ignore(202, `update of ${issue.key} is not a status change`);
  }
  const owners = owningTickets(issue, config.jira.supportProject);
  if (owners.length === 0) return ignore(202, `${issue.key} is not linked to a ${config.jira.supportProject} ticket`);
  const status = (statusChange && changeTo(statusChange)) || issue.fields.status?.name;
  if (!status) return { action: 'reject', error: 'issue.fields.status.name: required for a linked issue event' };
  const linked: LinkedIssueEvent = {
    key: issue.key,
    project: issue.fields.project.key,
    status,
    from: statusChange?.fromString ?? null,
    by: legacyEmail(event.user),
    ...actor(event.user, config, identity),
    ...eventTime(event),
  };
  const resolution = resolutionOf(event);
  if (resolution) linked.resolution = resolution;
  return {
    action: 'deliver',
    deliveries: owners.map((ticket) => ({ ticket, kind: 'linked' as const, event: linked })),
  };
}
