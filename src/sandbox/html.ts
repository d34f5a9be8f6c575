/** A plain HTML view of the sandbox for a person watching `npm start`: tickets, comments, links, Slack, Aha!. */
import type { NormalizedIssue, SandboxState } from './types';

function esc(s: unknown): string {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;max-width:70em;color:#172b4d}
h1{font-size:1.4em}h2{font-size:1.15em;margin:1.5em 0 .3em}a{color:#0052cc}
.issue{border:1px solid #dfe1e6;border-radius:6px;padding:.6em 1em;margin:.8em 0}
.meta{color:#5e6c84;font-size:.9em}.status{background:#dfe1e6;border-radius:3px;padding:0 .4em;font-weight:600;font-size:.85em}
.c{border-left:3px solid #36b37e;padding:.2em .6em;margin:.4em 0;white-space:pre-wrap}.c.internal{border-color:#ffab00;background:#fffae6}
.tag{font-size:.75em;font-weight:700;text-transform:uppercase}.slack{white-space:pre-wrap;border-left:3px solid #4a154b;padding:.2em .6em;margin:.4em 0}
pre{white-space:pre-wrap;margin:.3em 0}`;

export function renderIssue(i: NormalizedIssue): string {
  const people = [
    ['reporter', i.reporter ?? 'Anonymous'],
    ['assignee', i.assignee ?? 'Unassigned'],
    ['request type', i.requestType],
    ['organization', i.organization],
    ['priority', i.priority],
    ['epic', i.epic],
    ['QA assignee', i.qaAssignee],
    ['needs configuration', i.needsConfiguration],
    ['labels', i.labels.join(', ')],
    ['components', i.components.join(', ')],
    ['participants', i.participants.join(', ')],
    ['watchers', i.watchers.join(', ')],
    ['attachments', i.attachments.join(', ')],
  ]
    .filter(([, v]) => v)
    .map(([k, v]) => `${esc(k)}: ${esc(v)}`)
    .join(' · ');
  const links = i.links
    .map((l) => `${esc(l.type)} (${l.direction}) <a href="/browse/${esc(l.key)}">${esc(l.key)}</a>`)
    .join(', ');
  const comments = i.comments
    .map(
      (c) =>
        `<div class="c${c.public ? '' : ' internal'}"><span class="tag">${c.public ? 'public' : 'internal'}</span> <span class="meta">${esc(c.author)} · ${esc(c.created)}${c.mentions.length ? ` · mentions ${c.mentions.map((m) => `@${esc(m)}`).join(', ')} (notified)` : ''}</span>\n${esc(c.body)}</div>`,
    )
    .join('');
  return `<div class="issue" id="${esc(i.key)}"><a href="/browse/${esc(i.key)}"><b>${esc(i.key)}</b></a> ${esc(i.issueType)} <span class="status">${esc(i.status)}</span>${i.resolution ? ` (${esc(i.resolution)})` : ''} — ${esc(i.summary)}
<div class="meta">${people}</div>${links ? `<div class="meta">links: ${links}</div>` : ''}<pre>${esc(i.description)}</pre>${comments}</div>`;
}

export function renderPage(state: SandboxState, refresh = true): string {
  const issues = [...state.issues].reverse().map(renderIssue).join('\n');
  const slack = [...state.slack]
    .reverse()
    .map((m) => `<div class="slack"><span class="meta">to ${esc(m.to)} · ${esc(m.ts)}</span>\n${esc(m.text)}</div>`)
    .join('\n');
  const aha = [...state.aha]
    .reverse()
    .map(
      (a) =>
        `<div class="issue"><b>${esc(a.referenceNum)}</b> ${esc(a.name)} <span class="meta">${esc(a.tags.join(', '))}</span><pre>${esc(a.description)}</pre></div>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>deskflow sandbox</title>${refresh ? '<meta http-equiv="refresh" content="5">' : ''}<style>${STYLE}</style></head><body>
<h1>deskflow sandbox — Jira Service Management, Slack, Aha!</h1>
<p class="meta">Webhooks delivered: ${state.webhooks.delivered}, pending: ${state.webhooks.pending}. JSON: <a href="/_sandbox/state">/_sandbox/state</a></p>
<h2>Tickets (${state.issues.length})</h2>${issues || '<p class="meta">none yet</p>'}
<h2>Slack messages (${state.slack.length})</h2>${slack || '<p class="meta">none yet</p>'}
<h2>Aha! ideas (${state.aha.length})</h2>${aha || '<p class="meta">none yet</p>'}
</body></html>`;
}

export function renderIssuePage(issue: NormalizedIssue): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(issue.key)}</title><style>${STYLE}</style></head><body><p><a href="/">← all tickets</a></p>${renderIssue(issue)}</body></html>`;
}
