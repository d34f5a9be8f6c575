/**
 * The chaos audit: what each ticket left in the sandbox (comments, status changes, links and the CS
 * tickets behind them, Slack messages, Aha! ideas), compared with an undisturbed run of a ticket of the
 * same kind. An item the reference has and the ticket lacks is lost; one it has more often is a duplicate.
 */
import { defaultConfig } from '../../src/config/defaults';
import type { NormalizedIssue, SandboxState } from '../../src/sandbox/types';
import { SALES_TICKET, SIMPLE_TICKET, type TicketSpec } from './desk';

export type Kind = 'simple' | 'sales' | 'feature' | 'cs' | 'nonplatform';

export const KINDS: Record<Kind, TicketSpec> = {
  simple: SIMPLE_TICKET, // R-01: acknowledgement, then the customer adds a detail
  sales: SALES_TICKET, // R-04: first reply, label, Slack to the sales lead
  feature: {
    // R-24: an Aha! idea, internal note with its link, public thank-you
    summary: 'Suggestion: bulk export of proposals',
    description:
      'It would be great if Sighten had a way to export all proposals in a date range to CSV. Right now we have to download them one by one. Please consider adding this feature.',
    reporter: 'analyst@horizonsolar.com',
  },
  cs: {
    // R-12: a CS ticket linked to the request
    summary: 'Change the default markup on new proposals',
    description:
      'Please change our company settings so that the default markup on new proposals is 12% instead of 10%.',
    reporter: 'finance@redrocksolar.com',
  },
  nonplatform: {
    // R-25: closed at once as Won't Do
    summary: 'Cut your cloud bill by 40%',
    description: 'Hi, we help SaaS companies reduce AWS spend. Do you have 15 minutes this week?',
    reporter: 'sdr@cloudsaver.io',
  },
};

/** The customer's follow-up on a simple ticket once it was acknowledged. */
export const FOLLOW_UP = 'Thanks. One more detail: the garage roof faces west.';

export type Signature = Record<string, string[]>;

const keyPattern = (key: string) => new RegExp(`${key.replace('-', '\\-')}(?!\\d)`, 'g');

/** Who is on duty depends on the load (least open tickets): any of them stands for the same step. */
const onDuty = new RegExp(defaultConfig.roles.onDutyAgents.map((e) => e.replace(/[.]/g, '\\.')).join('|'), 'gi');

function norm(text: string, key: string): string {
  return text
    .replace(keyPattern(key), 'KEY')
    .replace(/\b(SS|CS|DEV)-\d+\b/g, '$1-#')
    .replace(/\b([A-Z]+-I)-\d+\b/g, '$1-#') // Aha! idea reference numbers
    .replace(onDuty, 'ON-DUTY-AGENT')
    .replace(/\s+/g, ' ')
    .trim();
}

function mentions(text: string, key: string): boolean {
  return new RegExp(`${key.replace('-', '\\-')}(?!\\d)`).test(text);
}

/** What one ticket left behind, as sorted lists of comparable items. */
export function signature(
  state: SandboxState,
  transitions: Record<string, { from: string | null; to: string | null }[]>,
  key: string,
): Signature | undefined {
  const byKey = new Map(state.issues.map((i) => [i.key, i]));
  const issue = byKey.get(key);
  if (!issue) return undefined;
  const comments = (i: NormalizedIssue, k: string) =>
    i.comments.map((c) => `${c.public ? 'public' : 'internal'} ${c.author}: ${norm(c.body, k)}`);
  const linked = issue.links.map((l) => byKey.get(l.key)).filter((i): i is NormalizedIssue => i !== undefined);
  return {
    status: [`${issue.status} / ${issue.resolution ?? '-'}`],
    fields: [
      `requestType=${issue.requestType ?? '-'}`,
      `organization=${issue.organization ?? '-'}`,
      `reporter=${issue.reporter ?? '-'}`,
      `labels=${[...issue.labels].sort().join(',')}`,
    ],
    comments: comments(issue, key).sort(),
    transitions: (transitions[key] ?? []).map((t) => `${t.from ?? '-'} → ${t.to ?? '-'}`),
    links: issue.links.map((l) => `${l.type} ${l.direction} ${l.key.replace(/-\d+$/, '')}`).sort(),
    linkedIssues: linked
      .map(
        (i) => `${i.project} ${i.issueType} ${i.status}: ${norm(i.summary, key)} (${comments(i, key).length} comments)`,
      )
      .sort(),
    slack: state.slack
      .filter((m) => mentions(m.text, key))
      .map((m) => `${norm(m.to, key)}: ${norm(m.text, key)}`)
      .sort(),
    aha: state.aha
      .filter((a) => mentions(`${a.name}\n${a.description}`, key))
      .map((a) => norm(a.name, key))
      .sort(),
  };
}

export interface TicketAudit {
  key: string;
  kind: Kind;
  missing: boolean;
  lost: string[];
  duplicated: string[];
  different: string[];
}

function counts(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

/** Compares a ticket with the reference of its kind. */
export function compare(key: string, kind: Kind, actual: Signature | undefined, reference: Signature): TicketAudit {
  const a: TicketAudit = { key, kind, missing: !actual, lost: [], duplicated: [], different: [] };
  if (!actual) return a;
  for (const field of Object.keys(reference)) {
    const want = counts(reference[field] ?? []);
    const got = counts(actual[field] ?? []);
    if (field === 'status' || field === 'fields' || field === 'transitions') {
      const w = (reference[field] ?? []).join(' | ');
      const g = (actual[field] ?? []).join(' | ');
      if (w !== g) {
        // A repeated status change is a duplicate write; anything else is a different outcome.
        const extra = [...got].some(([item, n]) => n > (want.get(item) ?? 0) && (want.get(item) ?? 0) > 0);
        (field === 'transitions' && extra ? a.duplicated : a.different).push(
          `${field}: ${g || '(none)'} (expected ${w || '(none)'})`,
        );
      }
      continue;
    }
    for (const [item, n] of want) {
      const g = got.get(item) ?? 0;
      if (g < n) a.lost.push(`${field}: ${item}${n > 1 ? ` (${g} of ${n})` : ''}`);
    }
    for (const [item, n] of got) {
      const w = want.get(item) ?? 0;
      if (n > w) (w > 0 ? a.duplicated : a.different).push(`${field}: ${item} ×${n} (expected ${w})`);
    }
  }
  return a;
}

/** Identical Slack messages (same recipient, same text) anywhere: a duplicate whatever the ticket. */
export function duplicateSlackMessages(state: SandboxState): string[] {
  const seen = counts(state.slack.map((m) => `${m.to}: ${m.text}`));
  return [...seen].filter(([, n]) => n > 1).map(([m, n]) => `${m.slice(0, 120)} ×${n}`);
}

/** Identical comments (same author, same visibility, same text) on one issue. */
export function duplicateComments(state: SandboxState): string[] {
  const out: string[] = [];
  for (const issue of state.issues) {
    const seen = counts(issue.comments.map((c) => `${c.public ? 'public' : 'internal'} ${c.author}: ${c.body}`));
    for (const [c, n] of seen) if (n > 1) out.push(`${issue.key} ${c.slice(0, 100)} ×${n}`);
  }
  return out;
}
