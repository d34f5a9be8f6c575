/** A plain HTML view of the sandbox for a person watching `npm start`: tickets, comments, links, Slack, Aha!. */
import { projectDef } from './state';
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

/** The people the page offers to act as: staff for comments and moves, the onboarding team for the form. */
export interface PagePeople {
  staff: string[];
  onboardingTeam: string;
  accountManager: string;
  /** Where a person copies CLI lines from (`npx deskflow …`). */
  cliHint?: string;
}

const EXAMPLE_CUSTOMERS = ['pat@brightleafsolar.com', 'eng@desertrays.com', 'ops@sunwiseaz.com'];

const ONBOARDING_DESCRIPTION = `Installer name: Summit Solar Co
Installer contact email: owner@summitsolar.co
EverBright account manager: Priya Nair <{am}>`;

const FORM_STYLE = `body{max-width:96em}.panel{background:#f4f5f7;border:1px solid #dfe1e6;border-radius:6px;padding:.8em 1em;margin:.8em 0}
.panel h2{margin-top:0}.panel label{display:block;font-size:.85em;color:#5e6c84;margin:.4em 0 .1em}
input[type=text],input[type=email],textarea{font:inherit;width:100%;box-sizing:border-box;padding:.3em .4em;border:1px solid #c1c7d0;border-radius:3px}
select{font:inherit;padding:.2em;border:1px solid #c1c7d0;border-radius:3px;max-width:100%}
textarea{min-height:4.5em}.row{display:flex;gap:.8em}.row>*{flex:1}button{font:inherit;background:#0052cc;color:#fff;border:0;border-radius:3px;padding:.3em .9em;margin:.5em .4em 0 0;cursor:pointer}
button.secondary{background:#dfe1e6;color:#172b4d}.act{margin-top:.6em;padding-top:.5em;border-top:1px dashed #dfe1e6}.act textarea{min-height:2.6em}
.act .line{display:flex;gap:1em;align-items:center;flex-wrap:wrap;margin-top:.3em;font-size:.9em;color:#5e6c84}.act button{margin:0}
.error{color:#de350b;font-weight:600}.cols{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5em}
code{background:#ebecf0;padding:0 .3em;border-radius:3px}`;

const SCRIPT = `
const dirty = () => [...document.querySelectorAll('input[type=text],input[type=email],textarea')].some((e) => e.value && !e.defaultValue) || document.activeElement?.matches('input,textarea,select');
async function call(path, body, form) {
  const out = form.querySelector('.error');
  out.textContent = '';
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) { out.textContent = (await r.json().catch(() => ({}))).error || 'failed: HTTP ' + r.status; return; }
  form.reset();
  location.reload();
}
document.addEventListener('submit', (ev) => {
  const form = ev.target;
  ev.preventDefault();
  const f = Object.fromEntries(new FormData(form));
  const key = form.dataset.key;
  if (form.dataset.action === 'create') {
    const participants = (f.participants || '').split(',').map((s) => s.trim()).filter(Boolean);
    return call('/_sandbox/tickets', { summary: f.summary, description: f.description, reporter: f.reporter, participants }, form);
  }
  if (form.dataset.action === 'comment') return call('/_sandbox/issues/' + key + '/comments', { by: f.by, body: f.body, internal: f.internal === 'on' }, form);
  if (form.dataset.action === 'move') return call('/_sandbox/issues/' + key + '/transitions', { to: f.to, by: f.by }, form);
});
document.getElementById('onboarding')?.addEventListener('click', () => {
  const form = document.getElementById('new-ticket');
  form.summary.value = 'EverBright - New Partner Onboarding';
  form.reporter.value = form.dataset.onboarding;
  form.description.value = form.dataset.form;
});
setInterval(() => { if (!dirty()) location.reload(); }, 5000);
`;

function options(values: string[], selected?: string): string {
  return values.map((v) => `<option${v === selected ? ' selected' : ''}>${esc(v)}</option>`).join('');
}

/** The forms under a ticket: comment on an SS ticket as the customer or as staff; move a CS or DEV issue. */
function actions(i: NormalizedIssue, people: PagePeople): string {
  const project = projectDef(i.project);
  const customer = i.reporter ? [i.reporter] : [];
  const comment =
    i.project === 'SS'
      ? `<form class="act" data-action="comment" data-key="${esc(i.key)}"><textarea name="body" required placeholder="A comment on ${esc(i.key)}, e.g. Thanks, that works now!"></textarea><div class="line"><label>as <select name="by">${options([...customer, ...people.staff])}</select></label><label><input type="checkbox" name="internal"> internal note</label><button type="submit">Comment</button><span class="error"></span></div></form>`
      : '';
  const statuses = (project?.statuses ?? []).filter((st) => st !== i.status);
  const move =
    i.project !== 'SS' && statuses.length
      ? `<form class="act" data-action="move" data-key="${esc(i.key)}"><div class="line"><label>move ${esc(i.key)} to <select name="to">${options(statuses)}</select></label><label>by <select name="by">${options(people.staff)}</select></label><button type="submit">Move</button><span class="error"></span></div></form>`
      : '';
  return comment + move;
}

export function renderPage(state: SandboxState, refresh = true, people?: PagePeople): string {
  const who: PagePeople = people ?? {
    staff: ['alex.morgan@sighten.io'],
    onboardingTeam: 'onboarding@goeverbright.com',
    accountManager: 'priya.nair@goeverbright.com',
  };
  const issues = [...state.issues]
    .reverse()
    .map((i) => renderIssue(i).replace(/<\/div>$/, `${actions(i, who)}</div>`))
    .join('\n');
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
  const form = ONBOARDING_DESCRIPTION.replace('{am}', who.accountManager);
  const create = `<form class="panel" id="new-ticket" data-action="create" data-onboarding="${esc(who.onboardingTeam)}" data-form="${esc(form)}">
<h2>New ticket</h2>
<p class="meta">What a customer e-mails to support. deskflow classifies it (S-03), replies and routes it within seconds; watch the ticket below, the supervisor board and the Temporal Web UI.</p>
<div class="row"><div><label>from (reporter)</label><input type="email" name="reporter" required list="customers" placeholder="pat@brightleafsolar.com"></div>
<div><label>request participants (comma-separated, optional)</label><input type="text" name="participants"></div></div>
<label>subject</label><input type="text" name="summary" required placeholder="PDF export shows blank totals">
<label>description</label><textarea name="description" placeholder="Since this morning every proposal PDF has empty totals."></textarea>
<datalist id="customers">${options(EXAMPLE_CUSTOMERS)}</datalist>
<button type="submit">Create ticket</button><button type="button" class="secondary" id="onboarding">Fill in the EverBright onboarding form</button><span class="error"></span>
<p class="meta">The onboarding form (E-02) is three lines in the description, from ${esc(who.onboardingTeam)} with the subject "EverBright - New Partner Onboarding": <code>Installer name:</code>, <code>Installer contact email:</code>, <code>EverBright account manager: Name &lt;e-mail&gt;</code>.</p>
</form>`;
  const agent = `<div class="panel"><h2>Acting as support</h2><p class="meta">Comment as staff below (a public reply stops the first-response SLA), or use the CLI${who.cliHint ? ` (${esc(who.cliHint)})` : ''}: <code>npx deskflow help</code>, <code>npx deskflow status SS-1</code>, <code>npx deskflow resolve SS-1 --by ${esc(who.staff[0] ?? '')} --note "…"</code>. Move the CS and DEV issues deskflow opens to see it follow them.</p></div>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>deskflow sandbox</title><style>${STYLE}${FORM_STYLE}</style></head><body>
<h1>deskflow sandbox — Jira Service Management, Slack, Aha!</h1>
<p class="meta">Webhooks delivered: ${state.webhooks.delivered}, pending: ${state.webhooks.pending}. JSON: <a href="/_sandbox/state">/_sandbox/state</a>${refresh ? ' · refreshes every 5 s while you are not typing' : ''}</p>
<div class="cols"><div>${create}
<h2>Tickets (${state.issues.length})</h2>${issues || '<p class="meta">none yet</p>'}</div>
<div>${agent}<h2>Slack messages (${state.slack.length})</h2>${slack || '<p class="meta">none yet</p>'}
<h2>Aha! ideas (${state.aha.length})</h2>${aha || '<p class="meta">none yet</p>'}</div></div>
${refresh ? `<script>${SCRIPT}</script>` : `<script>${SCRIPT.replace(/setInterval[^\n]*\n/, '')}</script>`}
</body></html>`;
}

export function renderIssuePage(issue: NormalizedIssue): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(issue.key)}</title><style>${STYLE}</style></head><body><p><a href="/">← all tickets</a></p>${renderIssue(issue)}</body></html>`;
}
