/**
 * Compares the sandbox's state (and the main workflow's status) with a scenario's expectations.
 * Every expectation is partial; `contains` is a case-insensitive substring; lists of comments,
 * Slack messages and ideas are matched in order, each to a distinct item.
 */
import type { DeskflowConfig } from '../config';
import { AUTOMATION_EMAIL } from '../sandbox/state';
import type { NormalizedIssue, SandboxState, SlackMessage } from '../sandbox/types';
import type { Expectation, IssueExpectation } from './format';

export interface Resolver {
  config: DeskflowConfig;
  /** The issue a REF names, or undefined. */
  issueKey(ref: string): string | undefined;
  /** The main ticket's reporter right now. */
  reporter(): string | null;
}

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();

/** WHO → the set of addresses (or channels) it stands for. */
export function resolveWho(who: string, r: Resolver): string[] {
  if (who === 'reporter') return [lower(r.reporter())];
  // The desk's Jira automation (an app account).
  if (who === 'automation') return [lower(AUTOMATION_EMAIL)];
  if (who.startsWith('role:')) {
    const name = who.slice(5);
    const value = (r.config.roles as Record<string, unknown>)[name];
    if (value === undefined) throw new Error(`unknown role ${who}`);
    return (Array.isArray(value) ? value : [value]).map((v) => lower(String(v)));
  }
  return [lower(who)];
}

function fmt(v: unknown): string {
  return JSON.stringify(v);
}

function checkScalar(path: string, expected: unknown, actual: string | null, failures: string[]): void {
  if (expected !== null && typeof expected === 'object' && 'not' in expected) {
    const not = (expected as { not: string | null }).not;
    if (actual === not) failures.push(`${path}: expected not ${fmt(not)}, got ${fmt(actual)}`);
    return;
  }
  if (actual !== expected) failures.push(`${path}: expected ${fmt(expected)}, got ${fmt(actual)}`);
}

/**
 * Status names as the SOPs write them ("Awaiting Support" in S-11, "waiting on support" in E-10, "to do"
 * in E-14) name the desk's configured statuses: a status matches ignoring case, and the SOPs' words for
 * "Waiting for support" match the configured status.
 */
const SOP_STATUS_WORDS: Record<string, keyof DeskflowConfig['jira']['statuses']> = {
  'awaiting support': 'waitingForSupport',
  'waiting on support': 'waitingForSupport',
};

function statusName(name: string | null, config: DeskflowConfig): string | null {
  if (name === null) return null;
  const key = SOP_STATUS_WORDS[name.trim().toLowerCase()];
  return lower(key ? config.jira.statuses[key] : name).trim();
}

function checkStatus(path: string, expected: unknown, actual: string | null, r: Resolver, failures: string[]): void {
  const negated = expected !== null && typeof expected === 'object' && 'not' in expected;
  const want = negated ? (expected as { not: string | null }).not : (expected as string | null);
  const same = statusName(want, r.config) === statusName(actual, r.config);
  if (negated && same) failures.push(`${path}: expected not ${fmt(want)}, got ${fmt(actual)}`);
  if (!negated && !same) failures.push(`${path}: expected ${fmt(want)}, got ${fmt(actual)}`);
}

function checkPerson(
  path: string,
  expected: string | null,
  actual: string | null,
  r: Resolver,
  failures: string[],
): void {
  if (expected === null) {
    if (actual !== null) failures.push(`${path}: expected nobody, got ${fmt(actual)}`);
    return;
  }
  if (expected === 'Anonymous') {
    if (actual !== null) failures.push(`${path}: expected Anonymous, got ${fmt(actual)}`);
    return;
  }
  const allowed = resolveWho(expected, r);
  if (!allowed.includes(lower(actual)))
    failures.push(
      `${path}: expected ${expected}${expected.startsWith('role:') ? ` (${allowed.join(', ')})` : ''}, got ${fmt(actual)}`,
    );
}

function checkList(
  path: string,
  expected: IssueExpectation['labels'],
  actual: string[],
  r: Resolver,
  failures: string[],
): void {
  const have = actual.map(lower);
  const expand = (items: string[]) =>
    items.flatMap((i) => (i.startsWith('role:') || i === 'reporter' ? resolveWho(i, r) : [lower(i)]));
  if (Array.isArray(expected)) {
    const want = expand(expected);
    const same = want.length === have.length && want.every((w) => have.includes(w));
    if (!same) failures.push(`${path}: expected exactly ${fmt(expected)}, got ${fmt(actual)}`);
    return;
  }
  if (!expected) return;
  for (const item of expected.includes ?? []) {
    const options = expand([item]);
    if (!options.some((o) => have.includes(o)))
      failures.push(`${path}: expected to include ${item}, got ${fmt(actual)}`);
  }
  for (const item of expected.excludes ?? []) {
    const options = expand([item]);
    if (options.some((o) => have.includes(o)))
      failures.push(`${path}: expected not to include ${item}, got ${fmt(actual)}`);
  }
}

/** Ordered matching: each expected item to a distinct later actual item (earliest match first). */
export function matchInOrder<E, A>(expected: E[], actual: A[], matches: (e: E, a: A) => boolean): number {
  let i = 0;
  for (const a of actual) {
    const e = expected[i];
    if (e === undefined) break;
    if (matches(e, a)) i++;
  }
  return i;
}

function checkIssue(
  ref: string,
  e: IssueExpectation,
  issue: NormalizedIssue | undefined,
  r: Resolver,
  failures: string[],
): void {
  if (e.exists === false) {
    if (issue) failures.push(`${ref}: expected not to exist, but ${issue.key} exists`);
    return;
  }
  if (!issue) {
    failures.push(`${ref}: expected to exist, but there is no such issue`);
    return;
  }
  const p = (k: string) => `${ref}(${issue.key}).${k}`;
  if (e.status !== undefined) checkStatus(p('status'), e.status, issue.status, r, failures);
  for (const k of ['resolution', 'requestType', 'organization', 'priority', 'epic'] as const) {
    if (e[k] !== undefined) checkScalar(p(k), e[k], issue[k], failures);
  }
  for (const k of ['reporter', 'assignee', 'qaAssignee'] as const) {
    if (e[k] !== undefined) checkPerson(p(k), e[k] ?? null, issue[k], r, failures);
  }
  for (const k of ['labels', 'components', 'participants', 'watchers'] as const) {
    if (e[k] !== undefined) checkList(p(k), e[k], issue[k], r, failures);
  }
  if (e.comments) {
    const matched = matchInOrder(e.comments, issue.comments, (want, c) => {
      if (want.public !== undefined && want.public !== c.public) return false;
      if (want.contains !== undefined && !lower(c.body).includes(lower(want.contains))) return false;
      if (want.by !== undefined && !resolveWho(want.by, r).includes(lower(c.author))) return false;
      const mentioned = c.mentions.map(lower);
      if (want.mentions?.some((who) => !resolveWho(who, r).some((e) => mentioned.includes(e)))) return false;
      return true;
    });
    if (matched < e.comments.length) {
      const summary = issue.comments.map(
        (c) =>
          `${c.public ? 'public' : 'internal'} by ${c.author}${c.mentions.length ? ` mentioning ${c.mentions.join(', ')}` : ''}: ${c.body.replace(/\s+/g, ' ').slice(0, 80)}`,
      );
      failures.push(
        `${p('comments')}: expected (in order) ${fmt(e.comments)}; no match for ${fmt(e.comments[matched])}; comments were:\n      ${summary.join('\n      ') || '(none)'}`,
      );
    }
  }
  if (e.commentCount) {
    const counts = {
      public: issue.comments.filter((c) => c.public).length,
      internal: issue.comments.filter((c) => !c.public).length,
    };
    for (const k of ['public', 'internal'] as const) {
      const want = e.commentCount[k];
      if (want !== undefined && want !== counts[k])
        failures.push(`${p(`commentCount.${k}`)}: expected ${want}, got ${counts[k]}`);
    }
  }
  for (const link of e.links ?? []) {
    const target = link.to ? r.issueKey(link.to) : undefined;
    const found = issue.links.some(
      (l) => (!link.type || lower(l.type) === lower(link.type)) && (!link.to || l.key === target),
    );
    if (!found)
      failures.push(`${p('links')}: expected ${fmt(link)}${target ? ` (${target})` : ''}, got ${fmt(issue.links)}`);
  }
}

export function checkExpectations(
  expectation: Expectation,
  state: SandboxState,
  workflowStatus: string | null,
  r: Resolver,
): string[] {
  const failures: string[] = [];
  for (const [ref, value] of Object.entries(expectation)) {
    if (['slack', 'noSlack', 'slackCount', 'aha', 'workflow'].includes(ref)) continue;
    const key = r.issueKey(ref);
    checkIssue(ref, value as IssueExpectation, key ? state.issues.find((i) => i.key === key) : undefined, r, failures);
  }
  const slackMatches = (want: { to?: string; contains?: string }, m: SlackMessage): boolean => {
    if (want.contains !== undefined && !lower(m.text).includes(lower(want.contains))) return false;
    if (want.to !== undefined) {
      const targets = want.to.startsWith('#') ? [lower(want.to)] : resolveWho(want.to, r);
      if (!targets.includes(lower(m.to))) return false;
    }
    return true;
  };
  for (const unwanted of expectation.noSlack ?? []) {
    const found = state.slack.filter((m) => slackMatches(unwanted, m));
    if (found.length) {
      const sent = found.map((m) => `to ${m.to}: ${m.text.replace(/\s+/g, ' ').slice(0, 100)}`);
      failures.push(`noSlack: expected no message like ${fmt(unwanted)}; found:\n      ${sent.join('\n      ')}`);
    }
  }
  if (expectation.slack) {
    const matched = matchInOrder(expectation.slack, state.slack, slackMatches);
    if (matched < expectation.slack.length) {
      const sent = state.slack.map((m) => `to ${m.to}: ${m.text.replace(/\s+/g, ' ').slice(0, 100)}`);
      failures.push(
        `slack: expected (in order) ${fmt(expectation.slack)}; no match for ${fmt(expectation.slack[matched])}; messages were:\n      ${sent.join('\n      ') || '(none)'}`,
      );
    }
  }
  if (expectation.slackCount !== undefined && expectation.slackCount !== state.slack.length) {
    failures.push(`slackCount: expected ${expectation.slackCount}, got ${state.slack.length}`);
  }
  if (expectation.aha) {
    const matched = matchInOrder(
      expectation.aha,
      state.aha,
      (want, idea) =>
        want.contains === undefined || lower(`${idea.name}\n${idea.description}`).includes(lower(want.contains)),
    );
    if (matched < expectation.aha.length)
      failures.push(`aha: expected (in order) ${fmt(expectation.aha)}, got ${fmt(state.aha.map((i) => i.name))}`);
  }
  if (expectation.workflow && expectation.workflow.status !== workflowStatus) {
    failures.push(`workflow.status: expected ${expectation.workflow.status}, got ${workflowStatus ?? 'no workflow'}`);
  }
  return failures;
}
