/**
 * Limits on what deskflow's HTTP servers (the webhook relay, the sandbox) accept before anything is
 * parsed further: a body is at most 1 MB, and its JSON is no deeper, longer or wider than a real Jira
 * payload gets. A payload beyond them is refused with the limit it broke, so an oversized or hostile
 * body never reaches the mapping, the sandbox's model or Temporal.
 */

export const LIMITS = {
  /** Whole body, in bytes (Jira Cloud's own webhook bodies stay far below). */
  bodyBytes: 1024 * 1024,
  /** Nesting of objects and arrays (ADF documents nest about 10 deep). */
  depth: 40,
  /** One string value (Jira caps text fields at 32 767 characters; ADF JSON is longer than its text). */
  stringChars: 200_000,
  /** One object key. */
  keyChars: 200,
  /** Members of one object or elements of one array. */
  members: 5_000,
  /** An issue key such as SS-12. */
  issueKeyChars: 40,
  /** X-Atlassian-Webhook-Identifier. */
  deliveryIdChars: 200,
} as const;

/** Jira issue keys: project key (letters, digits, underscore), dash, number. */
const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9]\d{0,11}$/;

export function isIssueKey(key: string): boolean {
  return key.length <= LIMITS.issueKeyChars && ISSUE_KEY.test(key);
}

/**
 * Why a parsed JSON value is out of bounds, naming the path, or null. Walks iteratively, so a deep
 * value cannot exhaust the stack.
 */
export function jsonBoundsProblem(value: unknown): string | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '$', depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.length > LIMITS.stringChars) return `${path}: string longer than ${LIMITS.stringChars} characters`;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= LIMITS.depth) return `${path}: nested deeper than ${LIMITS.depth} levels`;
    if (Array.isArray(v)) {
      if (v.length > LIMITS.members) return `${path}: more than ${LIMITS.members} elements`;
      v.forEach((item, i) => stack.push({ v: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length > LIMITS.members) return `${path}: more than ${LIMITS.members} members`;
    for (const [k, item] of entries) {
      if (k.length > LIMITS.keyChars) return `${path}: a key longer than ${LIMITS.keyChars} characters`;
      stack.push({ v: item, path: `${path}.${k}`, depth: depth + 1 });
    }
  }
  return null;
}
