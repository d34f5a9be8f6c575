/**
 * The sandbox Jira's search index. Jira Cloud's enhanced search (/search/jql) is eventually consistent:
 * a write becomes searchable some time after it happened, unless the request names the issue's id in
 * `reconcileIssues`. Here every write of an issue is indexed `lagMs` later by the sandbox clock; until
 * then a search matches the issue as it was (or not at all when it is new). GET issue is always current.
 */
import type { StoredIssue } from './state';

interface Entry {
  /** The copy searches match against; undefined until the issue's first write is indexed. */
  visible?: StoredIssue;
  /** Copies waiting to be indexed, oldest first, each with the sandbox time it becomes visible. */
  pending: { at: number; snapshot: StoredIssue }[];
}

export class SearchIndex {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => Date,
    /** How long a write takes to reach search; 0 = at once. */
    public lagMs: number,
  ) {}

  /** Records a write: the issue as it is now becomes searchable after the lag. */
  written(issue: StoredIssue): void {
    const snapshot = structuredClone(issue);
    const entry = this.entries.get(issue.id) ?? { pending: [] };
    this.entries.set(issue.id, entry);
    if (this.lagMs <= 0) {
      entry.visible = snapshot;
      entry.pending = [];
      return;
    }
    entry.pending.push({ at: this.now().getTime() + this.lagMs, snapshot });
  }

  /** Indexes everything as it is now (seeded or loaded state, or the control API's reindex). */
  flush(issues: StoredIssue[]): void {
    this.entries.clear();
    for (const issue of issues) this.entries.set(issue.id, { visible: structuredClone(issue), pending: [] });
  }

  /** The issues as a search sees them now: indexed copies, and the live issue for each reconciled id. */
  view(live: StoredIssue[], reconcile: ReadonlySet<string>): { live: StoredIssue; matched: StoredIssue }[] {
    const now = this.now().getTime();
    const out: { live: StoredIssue; matched: StoredIssue }[] = [];
    for (const issue of live) {
      if (reconcile.has(issue.id)) {
        out.push({ live: issue, matched: issue });
        continue;
      }
      const entry = this.entries.get(issue.id);
      if (!entry) {
        out.push({ live: issue, matched: issue });
        continue;
      }
      while (entry.pending.length > 0 && entry.pending[0]!.at <= now) entry.visible = entry.pending.shift()!.snapshot;
      if (entry.visible) out.push({ live: issue, matched: entry.visible });
    }
    return out;
  }
}
