/**
 * One mapping from Jira, Slack and Aha! failures to Temporal failures, shared by every activity.
 *
 * - 429 (jira.js RateLimitError, Slack rate_limited, Aha! 429): retryable, with `nextRetryDelay` set to the
 *   server's Retry-After, so Temporal waits exactly as long as the service asked.
 * - 5xx and network failures: retryable; the activity's retry policy supplies the backoff.
 * - Any other 4xx: our request was wrong (unknown field, bad value, missing permission). Retrying cannot help,
 *   so it fails non-retryable with a message naming the ticket, the field and the value.
 */
import { ApplicationFailure, asyncLocalStorage, log } from '@temporalio/activity';
import { isApiError, isNetworkError, isRateLimitError } from 'jira.js';
import { ErrorCode as SlackErrorCode } from '@slack/web-api';

/** Every failure type an activity raises. Workflows branch on these strings. */
export enum ActivityErrorType {
  /** Rate limited; retried after the server's delay. */
  RateLimited = 'ERR_RATE_LIMITED',
  /** 5xx or network failure; retried with backoff. */
  Unavailable = 'ERR_SERVICE_UNAVAILABLE',
  /** Jira answered 400 to our request (bad field or value). */
  JiraRejected = 'ERR_JIRA_REJECTED',
  /** Slack answered ok:false to our request. */
  SlackRejected = 'ERR_SLACK_REJECTED',
  /** Aha! answered 4xx to our request. */
  AhaRejected = 'ERR_AHA_REJECTED',
  /** The issue, user, status, epic… named in the request does not exist. */
  NotFound = 'ERR_NOT_FOUND',
  /** A person named by e-mail has no account where one is required. */
  UserNotFound = 'ERR_USER_NOT_FOUND',
  /** No transition leads to the requested status. */
  InvalidTransition = 'ERR_INVALID_TRANSITION',
  /** 401/403: the credentials are wrong or lack a permission. */
  PermissionDenied = 'ERR_PERMISSION_DENIED',
  /** The service answered something we could not understand. */
  UnexpectedResponse = 'ERR_UNEXPECTED_RESPONSE',
}

/** What the failing call was about; used to write a message an agent can act on. */
export interface ErrorContext {
  /** Ticket key (or another subject, e.g. "#support", the Aha! product). */
  ticket: string;
  /** What we were doing, e.g. "update fields", "add comment". */
  action: string;
  /** Field → value we sent, keyed by the field id the service reports errors under. */
  fields?: Record<string, { name: string; value: unknown }>;
}

type Service = 'Jira' | 'Slack' | 'Aha!';

/** Logs through the activity logger when running inside an activity; silent elsewhere (e.g. a script). */
export function activityLog(
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  meta?: Record<string, unknown>,
): void {
  if (asyncLocalStorage.getStore() === undefined) return;
  log[level](message, meta);
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
}

/** Names fields and values: `components=["X"]: Component name 'X' is not valid`. */
function describeFieldErrors(ctx: ErrorContext, errors: Record<string, unknown>): string[] {
  return Object.entries(errors).map(([fieldId, message]) => {
    const sent = ctx.fields?.[fieldId];
    const name = sent?.name ?? fieldId;
    const value = sent ? `=${show(sent.value)}` : '';
    return `${name}${value}: ${String(message)}`;
  });
}

function sentFields(ctx: ErrorContext): string {
  const entries = Object.values(ctx.fields ?? {});
  return entries.map((f) => `${f.name}=${show(f.value)}`).join(', ');
}

function jiraBodyDetail(body: unknown): {
  messages: string[];
  errors: Record<string, unknown>;
} {
  if (body && typeof body === 'object') {
    const b = body as {
      errorMessages?: unknown;
      errors?: unknown;
      message?: unknown;
    };
    const messages = Array.isArray(b.errorMessages) ? b.errorMessages.map(String) : [];
    if (typeof b.message === 'string') messages.push(b.message);
    const errors = b.errors && typeof b.errors === 'object' ? (b.errors as Record<string, unknown>) : {};
    return { messages, errors };
  }
  return {
    messages: typeof body === 'string' && body ? [body.slice(0, 300)] : [],
    errors: {},
  };
}

function rateLimited(
  service: Service,
  ctx: ErrorContext,
  retryAfterMs: number | undefined,
  cause: Error,
): ApplicationFailure {
  activityLog('warn', `${service} rate limited`, {
    ticket: ctx.ticket,
    action: ctx.action,
    retryAfterMs,
  });
  return ApplicationFailure.create({
    message: `${ctx.ticket}: ${service} rate limited ${ctx.action}${retryAfterMs !== undefined ? `; retry after ${retryAfterMs} ms` : ''}`,
    type: ActivityErrorType.RateLimited,
    nonRetryable: false,
    // Without Retry-After the retry policy's own backoff applies.
    ...(retryAfterMs !== undefined ? { nextRetryDelay: retryAfterMs } : {}),
    // The same delay for the workflow: the SDK does not pass nextRetryDelay on to workflow code, so a
    // local attempt's hand-over to the regular activity reads it here (src/workflows/activities.ts).
    ...(retryAfterMs !== undefined ? { details: [{ retryAfterMs }] } : {}),
    cause,
  });
}

function unavailable(service: Service, ctx: ErrorContext, detail: string, cause: Error): ApplicationFailure {
  activityLog('warn', `${service} unavailable`, {
    ticket: ctx.ticket,
    action: ctx.action,
    detail,
  });
  return ApplicationFailure.create({
    message: `${ctx.ticket}: ${service} unavailable during ${ctx.action}: ${detail}`,
    type: ActivityErrorType.Unavailable,
    nonRetryable: false,
    cause,
  });
}

/** A non-retryable failure: the request itself is wrong. */
export function rejected(
  type: ActivityErrorType,
  message: string,
  cause?: Error,
  details?: unknown,
): ApplicationFailure {
  activityLog('error', message, { type });
  return ApplicationFailure.create({
    message,
    type,
    nonRetryable: true,
    ...(cause ? { cause } : {}),
    ...(details !== undefined ? { details: [details] } : {}),
  });
}

function statusType(status: number, fallback: ActivityErrorType): ActivityErrorType {
  if (status === 401 || status === 403) return ActivityErrorType.PermissionDenied;
  if (status === 404) return ActivityErrorType.NotFound;
  return fallback;
}

/** Maps anything jira.js throws to a Temporal failure. ApplicationFailures pass through unchanged. */
export function jiraFailure(err: unknown, ctx: ErrorContext): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const cause = err instanceof Error ? err : new Error(String(err));
  if (isRateLimitError(err)) return rateLimited('Jira', ctx, err.retryAfterMs, cause);
  if (isNetworkError(err)) return unavailable('Jira', ctx, err.message, cause);
  if (isApiError(err)) {
    if (err.status >= 500) return unavailable('Jira', ctx, `HTTP ${err.status}`, cause);
    const { messages, errors } = jiraBodyDetail(err.body);
    const parts = [...describeFieldErrors(ctx, errors), ...messages];
    if (parts.length === 0) parts.push(`HTTP ${err.status} ${err.statusText}`);
    const sent = Object.keys(errors).length === 0 && ctx.fields ? sentFields(ctx) : '';
    const message = `${ctx.ticket}: Jira rejected ${ctx.action}${sent ? ` (${sent})` : ''}: ${parts.join('; ')}`;
    return rejected(statusType(err.status, ActivityErrorType.JiraRejected), message, cause, {
      status: err.status,
      body: err.body,
    });
  }
  return unexpected('Jira', ctx, cause);
}

/** Maps what @slack/web-api throws. */
export function slackFailure(err: unknown, ctx: ErrorContext): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const cause = err instanceof Error ? err : new Error(String(err));
  const coded = err as {
    code?: unknown;
    retryAfter?: unknown;
    statusCode?: unknown;
    data?: { error?: unknown };
  };
  switch (coded.code) {
    case SlackErrorCode.RateLimitedError:
      return rateLimited(
        'Slack',
        ctx,
        typeof coded.retryAfter === 'number' ? coded.retryAfter * 1000 : undefined,
        cause,
      );
    case SlackErrorCode.RequestError:
      return unavailable('Slack', ctx, cause.message, cause);
    case SlackErrorCode.HTTPError: {
      const status = typeof coded.statusCode === 'number' ? coded.statusCode : 0;
      if (status >= 500 || status === 0) return unavailable('Slack', ctx, `HTTP ${status}`, cause);
      return rejected(
        statusType(status, ActivityErrorType.SlackRejected),
        `${ctx.ticket}: Slack rejected ${ctx.action}: HTTP ${status}`,
        cause,
      );
    }
    case SlackErrorCode.PlatformError: {
      const error = String(coded.data?.error ?? 'unknown_error');
      if (error === 'ratelimited') return rateLimited('Slack', ctx, undefined, cause);
      if (['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'].includes(error)) {
        return unavailable('Slack', ctx, error, cause);
      }
      const sent = ctx.fields ? sentFields(ctx) : '';
      const type = ['invalid_auth', 'not_authed', 'account_inactive', 'missing_scope', 'token_revoked'].includes(error)
        ? ActivityErrorType.PermissionDenied
        : error === 'not_in_channel'
          ? ActivityErrorType.PermissionDenied
          : error.endsWith('_not_found')
            ? ActivityErrorType.NotFound
            : ActivityErrorType.SlackRejected;
      const why = slackErrorHint(error, coded.data);
      return rejected(
        type,
        `${ctx.ticket}: Slack rejected ${ctx.action}${sent ? ` (${sent})` : ''}: ${error}${why ? ` (${why})` : ''}`,
        cause,
      );
    }
    default:
      return unexpected('Slack', ctx, cause);
  }
}

/** What an agent or admin can do about a Slack refusal, where Slack's code alone does not say it. */
function slackErrorHint(error: string, data: unknown): string {
  const needed = (data as { needed?: unknown } | undefined)?.needed;
  switch (error) {
    case 'missing_scope':
      return `the Slack app's bot token lacks the scope ${typeof needed === 'string' ? needed : '(not named by Slack)'}: add it under OAuth & Permissions and reinstall the app`;
    case 'not_in_channel':
      return 'deskflow is not a member of the channel: invite the app, or grant it chat:write.public or channels:join';
    case 'channel_not_found':
      return 'no such channel, or a private channel deskflow is not in';
    default:
      return '';
  }
}

/** An Aha! HTTP error, thrown by the fetch wrapper in aha.ts. */
export class AhaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`Aha! answered HTTP ${status}`);
    this.name = 'AhaHttpError';
  }
}

/** No answer from Aha! at all (DNS, refused or reset connection, timeout). */
export class AhaNetworkError extends Error {
  constructor(cause: unknown) {
    super(
      `Aha! unreachable: ${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)}`,
      { cause },
    );
    this.name = 'AhaNetworkError';
  }
}

/** Maps Aha! failures (AhaHttpError or AhaNetworkError). */
export function ahaFailure(err: unknown, ctx: ErrorContext): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const cause = err instanceof Error ? err : new Error(String(err));
  if (err instanceof AhaHttpError) {
    if (err.status === 429) return rateLimited('Aha!', ctx, err.retryAfterMs, cause);
    if (err.status >= 500) return unavailable('Aha!', ctx, `HTTP ${err.status}`, cause);
    const detail =
      err.body && typeof err.body === 'object' && 'errors' in err.body
        ? JSON.stringify((err.body as { errors: unknown }).errors)
        : typeof err.body === 'string'
          ? err.body.slice(0, 300)
          : JSON.stringify(err.body ?? null);
    const sent = ctx.fields ? sentFields(ctx) : '';
    return rejected(
      statusType(err.status, ActivityErrorType.AhaRejected),
      `${ctx.ticket}: Aha! rejected ${ctx.action}${sent ? ` (${sent})` : ''}: HTTP ${err.status} ${detail}`,
      cause,
    );
  }
  if (err instanceof AhaNetworkError) return unavailable('Aha!', ctx, err.message, err);
  return unexpected('Aha!', ctx, cause);
}

function unexpected(service: Service, ctx: ErrorContext, cause: Error): ApplicationFailure {
  // Unknown errors (a schema mismatch, a bug) stay retryable: a deploy can fix them without losing the ticket.
  activityLog('error', `${service} call failed unexpectedly`, {
    ticket: ctx.ticket,
    action: ctx.action,
    error: cause.message,
  });
  return ApplicationFailure.create({
    message: `${ctx.ticket}: ${service} ${ctx.action} failed: ${cause.message}`,
    type: ActivityErrorType.UnexpectedResponse,
    nonRetryable: false,
    cause,
  });
}
