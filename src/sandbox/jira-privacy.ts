/**
 * Jira Cloud's webhooks name people by `accountId`, `displayName` and `accountType` and leave out
 * `emailAddress` (Atlassian shows it only where the user's profile makes it public, which a support
 * desk cannot count on). The sandbox's webhooks do the same unless told otherwise.
 */

/** A deep copy of a webhook body with every `emailAddress` of a user object removed. */
export function withoutEmailAddresses<T>(payload: T): T {
  return strip(payload) as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const isUser = 'accountId' in value;
  for (const [k, v] of Object.entries(value)) {
    if (isUser && k === 'emailAddress') continue;
    out[k] = strip(v);
  }
  return out;
}
