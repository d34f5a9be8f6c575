/**
 * R-07..R-09, R-12..R-16: changes the configuration team (CS project) makes. Support collects the
 * documents on the SS ticket (asking the customer when none is attached, R-07/R-08) before it creates the
 * linked CS ticket (a Task for a channel-partner invite, R-09), tells the customer once what happens next
 * (S-10), keeps them informed every N business days while it is open (S-13), passes documents sent later
 * on to the CS ticket, and when it is done tells the customer and closes by S-15. A Sunlight partner
 * (not Sunlight itself) follows the partner process instead (R-16).
 */
import { jira } from '../activities';
import { addBusinessDays } from '../business-calendar';
import {
  askCustomer,
  awaitConfirmation,
  awaitLinkedIssue,
  handleUntilClosed,
  linkedClosedUnfixed,
  tellAssignee,
} from '../closing';
import { copyDocuments } from '../documents';
import { csRouteFirstReply, documentsAsFiles } from '../patches';
import { internalNote, publicComment } from '../steps';
import type { TicketState } from '../state';
import { emailDomain, fillTemplate } from '../templates';
import { waitFor } from '../waiting';

const STEP: Record<string, string> = {
  'data.equipment': 'R-07',
  'data.company_change': 'R-08',
  'data.channel_partner_invite': 'R-09',
  'config.other': 'R-12',
  'finance.non_integrated': 'R-13',
  'finance.deactivate_integrated': 'R-14',
  'data.installer_contracts': 'R-15',
  'finance.sunlight': 'R-16',
};

/** The routes whose first reply is their own (S-10): every CS route. */
export const CS_ROUTES = new Set(Object.keys(STEP));

/** R-07/R-08: what the customer is asked to attach before the CS ticket is created. */
const DOCUMENTS: Record<string, string> = {
  'data.equipment': 'the equipment spec sheet(s)',
  'data.company_change':
    'the documents for the change (for example the product sheet, the rules or the contract template)',
};

export async function csTicket(t: TicketState): Promise<void> {
  if (!csRouteFirstReply()) return csTicketLegacy(t);
  const route = t.route as string;
  const step = STEP[route] ?? 'S-12';
  const { templates } = t.settings;
  let issue = await jira.readIssue({ key: t.key });

  // R-16: a Sunlight partner (not Sunlight itself) follows the partner process.
  if (route === 'finance.sunlight' && !/sunlight/i.test(emailDomain(issue.reporter) ?? '')) {
    return sunlightPartner(t);
  }

  // R-07/R-08: the documents come first; without them the customer is asked (S-10: the route's first reply).
  const documents = DOCUMENTS[route];
  if (documents && issue.attachments.length === 0) {
    t.ownFirstReply = true;
    const got = await collectDocuments(t, step, documents);
    if (got === 'closed') return;
    if (got === 'agent') return handleUntilClosed(t);
    issue = await jira.readIssue({ key: t.key });
  }

  const cs = await createCsTicket(t, step, issue);
  await publicComment(
    t,
    step,
    fillTemplate(templates.collectDocuments ?? '', { key: t.key, linked: cs, documentsNote: '' }),
  );
  t.ownFirstReply = true;
  await followCsTicket(t, cs);
}

async function createCsTicket(
  t: TicketState,
  step: string,
  issue: { summary: string; description: string; reporter: string | null; attachments: string[] },
): Promise<string> {
  const route = t.route as string;
  const { jira: j } = t.settings;
  const cs = await jira.createLinkedIssue({
    opKey: t.opKey(`${step}:cs`),
    project: j.csProject,
    issueType: route === 'data.channel_partner_invite' ? j.issueTypes.csTask : j.issueTypes.csTicket,
    summary: `[${t.key}] ${issue.summary}`,
    description: `Requested in ${t.key} by ${issue.reporter ?? 'a customer'}${t.organization ? ` (${t.organization})` : ''}.\n\n${issue.description}${issue.attachments.length ? `\n\nDocuments on ${t.key}: ${issue.attachments.join(', ')}` : ''}`,
    linkTo: t.key,
    linkType: j.linkTypes.relates,
  });
  t.documents = [...issue.attachments];
  t.recordLinked({ key: cs.key, project: j.csProject, status: j.statuses.toDo, from: null, by: null });
  if (documentsAsFiles() && issue.attachments.length) await copyDocuments(t, step, cs.key, issue.attachments);
  await internalNote(
    t,
    step,
    `Configuration ticket ${cs.key} created for the config team${issue.attachments.length ? ` with the documents ${issue.attachments.join(', ')}` : ' (no documents attached)'}.`,
  );
  return cs.key;
}

/**
 * R-07/R-08: ask for the documents and wait. A reply that brings them moves on; a reply without them is
 * passed to the assignee and the CS ticket is created with what there is; no reply: asked again, then
 * closed as unresponsive (S-16). An agent's command hands the ticket to the support loop.
 */
async function collectDocuments(
  t: TicketState,
  step: string,
  documents: string,
): Promise<'documents' | 'agent' | 'closed'> {
  const { templates, sla } = t.settings;
  await publicComment(t, step, fillTemplate(templates.csAskDocuments ?? '{documents}', { key: t.key, documents }));
  for (let attempt = 1; ; attempt++) {
    const next = addBusinessDays(new Date(), sla.followUpBusinessDays, t.settings.calendar);
    t.setStage('awaiting-customer', `the customer to attach ${documents}`, next);
    const wake = await waitFor(t, { until: next, customer: true, edits: true });
    if (wake.kind === 'command') {
      t.commands.unshift(wake.command);
      return 'agent';
    }
    if (wake.kind === 'customer' || wake.kind === 'edit') {
      const issue = await jira.readIssue({ key: t.key });
      if (issue.attachments.length) return 'documents';
      if (wake.kind === 'edit') continue;
      await tellAssignee(
        t,
        step,
        `${t.key}: the customer replied without attaching ${documents}; the CS ticket is created with what there is.`,
      );
      return 'documents';
    }
    if (wake.kind !== 'timeout') continue;
    if (attempt >= sla.unansweredAttempts) {
      await askCustomer(t, `We still need ${documents} to go on with your request.`);
      return t.closed ? 'closed' : 'agent';
    }
    await publicComment(
      t,
      step,
      fillTemplate(templates.needsInputReminder ?? '{question}', {
        question: `Could you attach ${documents} to this ticket?`,
        attempt: attempt + 1,
        attempts: sla.unansweredAttempts,
        key: t.key,
      }),
    );
  }
}

/** S-13 while the CS ticket is open; then S-15, or back to the agent when it was not done (R-05 rule). */
async function followCsTicket(t: TicketState, cs: string): Promise<void> {
  const { templates } = t.settings;
  const outcome = await awaitLinkedIssue(t, cs, 'awaiting-cs', templates.statusUpdate ?? '');
  if (outcome === 'closed') return;
  if (outcome === 'agent' || (await linkedClosedUnfixed(t, cs))) return handleUntilClosed(t);
  const pending = await awaitConfirmation(t, fillTemplate(templates.csDone ?? '', { key: t.key, linked: cs }));
  if (pending) t.commands.unshift(pending);
  if (!t.closed) await handleUntilClosed(t);
}

/**
 * R-16: a Sunlight partner's request goes to the partner process (the SOP in `links.sunlightPartnerSop`):
 * support handles it with that SOP, no CS ticket; the customer is told so, and `resolve` closes by S-15.
 */
async function sunlightPartner(t: TicketState): Promise<void> {
  const { links, templates } = t.settings;
  const sop = links.sunlightPartnerSop ?? '(SOP link not configured)';
  await internalNote(
    t,
    'R-16',
    `The requester is a Sunlight partner, not Sunlight Financial itself: this follows the Sunlight partner process (SOP: ${sop}), not a CS ticket. When done: deskflow resolve ${t.key} --note "what was done"`,
  );
  await publicComment(t, 'R-16', fillTemplate(templates.sunlightPartner ?? '', { key: t.key }));
  t.ownFirstReply = true;
  await handleUntilClosed(t);
}

/** Before December 2026: the generic acknowledgement, the CS ticket at once, and a second reply. */
async function csTicketLegacy(t: TicketState): Promise<void> {
  const route = t.route as string;
  const step = STEP[route] ?? 'S-12';
  const { jira: j, templates, links } = t.settings;
  const issue = await jira.readIssue({ key: t.key });

  if (route === 'finance.sunlight' && !/sunlight/i.test(emailDomain(issue.reporter) ?? '')) {
    await internalNote(
      t,
      'R-16',
      `The requester is not Sunlight Financial itself: follow the Sunlight partner SOP: ${links.sunlightPartnerSop ?? ''}`,
    );
  }

  const cs = await jira.createLinkedIssue({
    opKey: t.opKey(`${step}:cs`),
    project: j.csProject,
    issueType: route === 'data.channel_partner_invite' ? j.issueTypes.csTask : j.issueTypes.csTicket,
    summary: `[${t.key}] ${issue.summary}`,
    description: `Requested in ${t.key} by ${issue.reporter ?? 'a customer'}${t.organization ? ` (${t.organization})` : ''}.\n\n${issue.description}${issue.attachments.length ? `\n\nDocuments on ${t.key}: ${issue.attachments.join(', ')}` : ''}`,
    linkTo: t.key,
    linkType: j.linkTypes.relates,
  });
  t.recordLinked({ key: cs.key, project: j.csProject, status: j.statuses.toDo, from: null, by: null });
  await internalNote(t, step, `Configuration ticket ${cs.key} created for the config team.`);

  const missingSheet = route === 'data.equipment' && issue.attachments.length === 0;
  await publicComment(
    t,
    step,
    fillTemplate(templates.collectDocuments ?? '', {
      key: t.key,
      linked: cs.key,
      documentsNote: missingSheet
        ? '\n\nPlease attach the equipment spec sheet(s) to this ticket so the team can add the equipment.'
        : '',
    }),
  );
  await followCsTicket(t, cs.key);
}
