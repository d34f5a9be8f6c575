/**
 * Tickets deskflow did not see arrive (issue 9): a run started by a later event, by `deskflow adopt` or by
 * the S-01 queue sweep reads the ticket as it is in Jira and takes it from there. Only a ticket nobody has
 * touched runs intake (S-02..S-11); an assigned ticket keeps its assignee, a ticket support already answered
 * gets no acknowledgement and no SLA alert, a ticket with an open CS/DEV issue waits for it, and a resolved
 * or closed ticket starts nothing.
 *
 * A customer's reply after the ticket's last run closed it starts a run too (`reopen`): within the reopen
 * window the ticket goes back to its last assignee under the closing rules; later, the customer is asked to
 * open a new request.
 */
import { ActivityFailure, ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { TicketFacts } from '../activities/contract';
import { parseIsoDuration } from '../shared/durations';
import { jira, local } from './activities';
import { handleUntilClosed, resumeLinkedIssue } from './closing';
import { confirmsResolution } from './customer-reply';
import { escalateBug } from './routes/tech-bug';
import { watchFirstResponse } from './sla';
import { slack, transition } from './steps';
import type { TicketState } from './state';
import { fillTemplate, firstLine } from './templates';

/** What a run that did not see the ticket arrive does with it. */
export type Plan =
  /** Nobody has touched it: intake, as for a new ticket. */
  | { kind: 'new' }
  /** Resolved, closed, unknown to Jira, or answered: the run ends. */
  | { kind: 'nothing' }
  /** Taken over as it is: the route's wait to resume at. */
  | { kind: 'resume'; first: () => Promise<void> };

const DEFAULT_REOPEN_WINDOW = 'P14D';
const DEFAULT_TOO_LATE =
  'Hello,\n\nThis request ({key}) was closed some time ago, so we cannot reopen it. Please open a new request and mention {key} in it.\n\nRegards,\nSighten Support';
/** A reply after closing that only thanks us asks for nothing: it does not reopen the ticket. */
const ONLY_THANKS =
  /^\s*((ok(ay)?|great|perfect|awesome|wonderful)[,!.\s]+)?(many\s+thanks|thanks?|thank\s+you|thx|ty)(\s+(so|very)\s+much|\s+a\s+lot|\s+again|\s+for\s+(your|the)\s+help)?[\s,!.]*(regards[\s\S]{0,60})?$/i;

/** The facts of a ticket nobody at the desk has acted on yet: open, unassigned, unanswered, nothing linked. */
export function genuinelyNew(f: TicketFacts): boolean {
  return f.statusCategory === 'new' && !f.assignee && !f.firstPublicReplyAt && f.linked.length === 0;
}

/** The ticket's facts, or null when Jira does not know it (a 404). */
export async function readFacts(t: TicketState): Promise<TicketFacts | null> {
  try {
    return await jira.readTicketFacts({ key: t.key });
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'ERR_NOT_FOUND')
      return null;
    throw err;
  }
}

function endHere(t: TicketState, why: string): Plan {
  t.closed = true;
  t.log('S-01', `Nothing to do: ${why}`);
  t.setStage('closed', `nothing: ${why}`);
  return { kind: 'nothing' };
}

/** Takes the ticket as Jira has it: assignee, route (from its request type), first reply, linked issues. */
async function takeOver(t: TicketState, f: TicketFacts): Promise<void> {
  t.created ??= {
    key: t.key,
    summary: f.summary,
    description: f.description,
    reporter: f.reporter,
    participants: [],
    created: f.created,
  };
  t.reporter ??= f.reporter;
  if (f.firstPublicReplyAt) t.firstResponseAt ??= f.firstPublicReplyAt;
  const byType = Object.entries(t.settings.routes).find(([, r]) => r.requestType === f.requestType)?.[0];
  if (byType && f.requestType) {
    t.setRoute(byType, f.requestType, null, [`request type ${f.requestType} in Jira`]);
  } else {
    const c = await local.classifyTicket({ summary: f.summary, description: f.description, reporter: f.reporter });
    t.setRoute(c.route, f.requestType ?? c.requestType, c.confidence, c.reasons);
  }
  for (const l of f.linked) {
    t.recordLinked({ key: l.key, project: l.project, status: l.status, from: null, by: null });
  }
  t.setAssignee(f.assignee);
}

/** The wait a taken-over ticket resumes at: its open CS or DEV issue, else the support loop (S-13..S-16). */
function resumeAt(t: TicketState, f: TicketFacts): () => Promise<void> {
  const { jira: j, templates } = t.settings;
  const extra = t.route === 'tech.bug' ? escalateBug : undefined;
  const open = f.linked.find((l) => !l.done);
  return async () => {
    if (t.lastCustomerReply && t.customerReplies > 0) {
      // The customer's reply that brought deskflow to this ticket reaches whoever has it.
      await slack(
        t,
        'S-13',
        t.assignee ?? t.settings.roles.supportChannel,
        `${t.key}: the customer replied and the ticket is back with you ("${firstLine(t.lastCustomerReply.body)}").`,
      );
      t.customerRepliesTaken = t.customerReplies; // told: the support loop does not take it again
    }
    if (!open) return handleUntilClosed(t, extra);
    const bug = open.project === j.devProject;
    return resumeLinkedIssue(
      t,
      {
        key: open.key,
        stage: bug ? 'awaiting-bug-fix' : 'awaiting-cs',
        statusTemplate: (bug ? (templates.bugStatusUpdate ?? templates.statusUpdate) : templates.statusUpdate) ?? '',
      },
      extra,
      undefined,
    );
  };
}

/** Adoption: a run that did not see the ticket arrive. */
export async function adopt(t: TicketState, f: TicketFacts): Promise<Plan> {
  if (f.statusCategory === 'done') {
    // A customer's reply to a ticket closed before deskflow knew it: the reopen rules apply as to any closed ticket.
    if (t.lastCustomerReply?.public) return reopen(t, f);
    return endHere(t, `${t.key} is already ${f.status} in Jira`);
  }
  if (genuinelyNew(f)) {
    t.log('S-01', `${t.key} is new in Jira (unassigned, unanswered): intake as usual`);
    return { kind: 'new' };
  }
  await takeOver(t, f);
  const what = [
    f.assignee ? `assigned to ${f.assignee}` : 'unassigned',
    f.firstPublicReplyAt ? `answered ${f.firstPublicReplyAt}` : 'not answered yet',
    ...f.linked.map((l) => `${l.key} ${l.status}`),
  ];
  t.log('S-01', `Adopted ${t.key} as it is in Jira (${f.status}; ${what.join('; ')})`);
  if (!f.firstPublicReplyAt) {
    // S-01 still runs for an unanswered ticket whose deadline lies ahead; one that passed before deskflow was
    // watching is not announced as a breach now (the desk knew it had this ticket).
    const goal = parseIsoDuration(t.settings.sla.firstResponse);
    const created = new Date(f.created);
    if (created.getTime() + goal > Date.now()) t.inBackground(watchFirstResponse(t, created));
    else t.log('S-01', `First response overdue since before deskflow watched ${t.key}: no alert`);
  }
  return { kind: 'resume', first: resumeAt(t, f) };
}

/**
 * A customer replied after the ticket's last run closed it. Within the reopen window the ticket is back
 * with its last assignee (told on Slack) under the closing rules; after it, the customer is asked, once per
 * reply, to open a new request. A reply that only thanks us, or confirms, reopens nothing.
 */
export async function reopen(t: TicketState, f: TicketFacts): Promise<Plan> {
  if (f.statusCategory !== 'done') return adopt(t, f);
  const reply = t.lastCustomerReply;
  if (!reply) return endHere(t, `${t.key} is ${f.status}; no customer reply to act on`);
  if (ONLY_THANKS.test(reply.body) || confirmsResolution(reply.body)) {
    return endHere(t, `${t.key} is ${f.status}; the customer's reply only thanks or confirms`);
  }
  const closedAt = Date.parse(f.resolvedAt ?? '') || Date.now();
  const repliedAt = Date.parse(reply.created) || Date.now();
  const window = parseIsoDuration(t.settings.sla.reopenWindow ?? DEFAULT_REOPEN_WINDOW);
  if (repliedAt - closedAt > window) {
    await jira.addComment({
      key: t.key,
      body: fillTemplate(t.settings.templates.reopenTooLate ?? DEFAULT_TOO_LATE, { key: t.key }),
      public: true,
      // One answer per reply, whichever run gives it.
      opKey: `${workflowInfo().workflowId}/reopen-too-late/${reply.commentId}`,
    });
    t.log('reopen', `The customer replied after the reopen window: asked for a new request`);
    return endHere(t, `${t.key} was closed before the reopen window; the customer was asked for a new request`);
  }
  await takeOver(t, f);
  t.firstResponseAt ??= new Date().toISOString();
  await transition(t, 'reopen', t.settings.jira.statuses.waitingForSupport);
  await slack(
    t,
    'reopen',
    t.assignee ?? t.settings.roles.supportChannel,
    `${t.key} is reopened: the customer replied after it was closed ("${firstLine(reply.body)}"). It is back with you.`,
  );
  t.customerRepliesTaken = t.customerReplies; // told: the support loop does not take it again
  t.log('reopen', `Reopened to ${t.assignee ?? 'the support channel'}`);
  const extra = t.route === 'tech.bug' ? escalateBug : undefined;
  return { kind: 'resume', first: () => handleUntilClosed(t, extra) };
}
