/**
 * The supervisor board: a read-only page of the open tickets by stage, with each one's next deadline in
 * the support time zone, first-response SLA at risk first, each linking to its run in the Temporal Web UI.
 * Its own small HTTP server, behind a token: `Authorization: Bearer <token>`, or `/?token=<token>` once
 * in a browser (kept in an HttpOnly cookie, and dropped from the address bar).
 *
 *   GET /              the board (HTML, refreshes every 15 s)
 *   GET /api/tickets   the same as JSON
 *   GET /healthz       200, no token needed
 */
import type { Client } from '@temporalio/client';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeskflowConfig } from '../config';
import { formatInstant } from '../shared/instants';
import { openTickets, STAGE_ORDER, type BoardTicket } from './tickets';

export interface BoardOptions {
  client: Client;
  config: DeskflowConfig;
  namespace: string;
  /** The token every request but /healthz must carry (at least 16 characters). */
  token: string;
  /** e.g. http://localhost:8233: the board links each ticket to its run there. */
  temporalUiUrl?: string;
  port: number;
  host?: string;
  now?: () => Date;
}

export interface Board {
  url: string;
  close(): Promise<void>;
}

const COOKIE = 'deskflow_board';

function esc(s: unknown): string {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** "in 1 h 20 min", "45 min overdue". */
export function relative(iso: string, now: Date): string {
  const ms = new Date(iso).getTime() - now.getTime();
  const minutes = Math.round(Math.abs(ms) / 60000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const text = d ? (h ? `${d} d ${h} h` : `${d} d`) : h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
  return ms >= 0 ? `in ${text}` : `${text} overdue`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#172b4d;background:#f4f5f7}
header{background:#0747a6;color:#fff;padding:.9em 1.5em}header h1{margin:0;font-size:1.3em}header p{margin:.2em 0 0;opacity:.85}
main{padding:1em 1.5em;max-width:84em}h2{font-size:1.05em;margin:1.4em 0 .4em}h2 .n{color:#5e6c84;font-weight:400}h2 .why{color:#5e6c84;font-weight:400;font-size:.9em;margin-left:.6em}
table{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff;border:1px solid #dfe1e6;border-radius:6px}
col.k{width:5.5em}col.s{width:32%}col.r{width:15%}col.a{width:18%}col.d{width:13em}col.f{width:11em}
th,td{text-align:left;padding:.45em .7em;border-bottom:1px solid #ebecf0;vertical-align:top}th{font-size:.8em;color:#5e6c84;text-transform:uppercase}
tr.risk td{background:#ffebe6}a{color:#0052cc;font-weight:600}.sub{color:#5e6c84}.badge{display:inline-block;border-radius:3px;padding:0 .4em;font-size:.8em;font-weight:700}
.breached{background:#de350b;color:#fff}.atrisk{background:#ffab00;color:#172b4d}.ok{background:#e3fcef;color:#006644}.empty{color:#5e6c84}`;

/**
 * What each stage means for the desk, shown under its heading: a supervisor reads who has to act without
 * knowing the procedure's stage names (the SOP step where one applies).
 */
export const STAGE_MEANING: Readonly<Record<string, string>> = {
  starting: 'deskflow is reading the ticket',
  'awaiting-triage': 'classification unsure: an agent picks the route with deskflow classify (S-03)',
  'with-support': 'an agent resolves, asks the customer or confirms; the assignee is reminded at the deadline (S-13)',
  'awaiting-customer': "waiting for the customer's answer; deskflow follows up at the deadline",
  'awaiting-confirmation': 'resolved; closes by itself at the deadline unless the customer answers',
  'awaiting-sales-contact': 'handed to sales: waiting for the lead to be contacted',
  'awaiting-cs': 'waiting on the linked CS ticket',
  'awaiting-bug-fix': 'waiting on the linked DEV bug',
  'awaiting-training-booking': 'waiting for the customer to book the training',
  'onboarding-awaiting-form':
    'EverBright onboarding: a line of the form is missing; the onboarding team corrects it (E-02)',
  'onboarding-awaiting-cs-ticket': 'onboarding: waiting for the desk automation to create the CS ticket (E-08)',
  'onboarding-awaiting-config': 'onboarding: the config team configures the installer (E-10)',
  'onboarding-awaiting-approval': 'onboarding: waiting for the approval to push live (E-11, E-12)',
  'onboarding-awaiting-go-live': 'onboarding: the config team pushes the installer live (E-14, E-15)',
  'needs-supervisor': 'the support supervisor must evaluate it',
};

function row(t: BoardTicket, o: { uiUrl?: string; namespace: string; tz: string; now: Date }): string {
  const link = o.uiUrl
    ? `${o.uiUrl}/namespaces/${encodeURIComponent(o.namespace)}/workflows/${encodeURIComponent(t.workflowId)}/${encodeURIComponent(t.runId)}/history`
    : undefined;
  const key = link
    ? `<a href="${esc(link)}" title="open the run in the Temporal Web UI">${esc(t.key)}</a>`
    : esc(t.key);
  const summary = t.summary ? t.summary.replace(new RegExp(`^${t.key} · `), '') : '';
  const sla = t.slaBreached
    ? '<span class="badge breached">SLA missed</span>'
    : t.slaAtRisk && t.slaDeadline
      ? `<span class="badge atrisk">first reply ${esc(relative(t.slaDeadline, o.now))}</span>`
      : t.slaDeadline
        ? `<span class="badge ok">first reply ${esc(relative(t.slaDeadline, o.now))}</span>`
        : t.stage === 'starting'
          ? '<span class="sub">—</span>'
          : // SlaDeadline is cleared by the first public reply; a ticket adopted past its deadline has none either.
            '<span class="sub" title="support has replied (or deskflow adopted the ticket after its deadline)">clock stopped</span>';
  const deadline = t.nextDeadline
    ? `${esc(formatInstant(t.nextDeadline, o.tz))}<br><span class="sub">${esc(relative(t.nextDeadline, o.now))}</span>`
    : '<span class="sub">none</span>';
  return `<tr class="${t.slaAtRisk ? 'risk' : ''}" data-ticket="${esc(t.key)}"><td>${key}</td><td>${esc(summary)}</td><td>${esc(t.route ?? 'unclassified')}</td><td>${esc(t.assignee ?? 'unassigned')}</td><td>${deadline}</td><td>${sla}</td></tr>`;
}

function table(tickets: BoardTicket[], o: Parameters<typeof row>[1]): string {
  return `<table><colgroup><col class="k"><col class="s"><col class="r"><col class="a"><col class="d"><col class="f"></colgroup><thead><tr><th>Ticket</th><th>Summary</th><th>Route</th><th>Assignee</th><th title="when deskflow acts next on its own: reminder, follow-up, closing, escalation">Next deadline</th><th title="the first-response SLA (S-01)">First response</th></tr></thead><tbody>${tickets.map((t) => row(t, o)).join('')}</tbody></table>`;
}

export function renderBoard(
  tickets: BoardTicket[],
  o: { uiUrl?: string; namespace: string; tz: string; now: Date },
): string {
  const risk = tickets.filter((t) => t.slaAtRisk);
  const stages = [...new Set([...STAGE_ORDER, ...tickets.map((t) => t.stage)])];
  const sections = stages
    .map((stage) => {
      const list = tickets.filter((t) => t.stage === stage);
      return list.length
        ? `<h2 id="stage-${esc(stage)}">${esc(stage)} <span class="n">(${list.length})</span>${STAGE_MEANING[stage] ? ` <span class="why">${esc(STAGE_MEANING[stage])}</span>` : ''}</h2>${table(list, o)}`
        : '';
    })
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>deskflow — supervisor board</title><meta http-equiv="refresh" content="15"><style>${STYLE}</style></head><body>
<header><h1>deskflow — open tickets</h1><p>${tickets.length} open · ${risk.length} with the first-response SLA at risk · deadlines in ${esc(o.tz)} · ${esc(formatInstant(o.now.toISOString(), o.tz))}</p></header>
<main>${risk.length ? `<h2 id="at-risk">First-response SLA at risk <span class="n">(${risk.length})</span></h2>${table(risk, o)}` : ''}
${sections || '<p class="empty">No open tickets.</p>'}</main></body></html>`;
}

export async function startBoard(options: BoardOptions): Promise<Board> {
  if (options.token.length < 16) throw new Error('the board token must be at least 16 characters');
  const now = options.now ?? (() => new Date());
  const tz = options.config.calendar.timeZone;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://board');
    if (url.pathname === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end();
    const queryToken = url.searchParams.get('token') ?? undefined;
    if (sameToken(queryToken, options.token)) {
      url.searchParams.delete('token');
      res.writeHead(303, {
        'set-cookie': `${COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`,
        location: `${url.pathname}${url.search}`,
      });
      return void res.end();
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!sameToken(bearer, options.token) && !sameToken(cookieToken(req), options.token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
      return void res.end('the supervisor board needs its token: open /?token=… or send Authorization: Bearer …\n');
    }
    if (url.pathname === '/api/tickets') {
      const tickets = await openTickets(options.client, now());
      const body = JSON.stringify({ tickets });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return void res.end(body);
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const tickets = await openTickets(options.client, now());
      const html = renderBoard(tickets, { uiUrl: options.temporalUiUrl, namespace: options.namespace, tz, now: now() });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(html);
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`the board cannot list tickets: ${(err as Error).message}\n`);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
