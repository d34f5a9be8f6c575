/**
 * R-07..R-09, R-12..R-16: changes the configuration team (CS project) makes. Support collects the
 * documents on the SS ticket (asking the customer when the equipment sheet is missing, R-07), creates
 * the linked CS ticket (a Task for a channel-partner invite, R-09), keeps the customer informed every N
 * business days while it is open (S-13), and when it is done tells the customer and closes by S-15.
 */
import { jira } from '../activities';
import { awaitConfirmation, awaitLinkedIssue, handleUntilClosed, linkedClosedUnfixed } from '../closing';
import { internalNote, publicComment } from '../steps';
import type { TicketState } from '../state';
import { emailDomain, fillTemplate } from '../templates';

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

export async function csTicket(t: TicketState): Promise<void> {
  const route = t.route as string;
  const step = STEP[route] ?? 'S-12';
  const { jira: j, templates, links } = t.settings;
  const issue = await jira.readIssue({ key: t.key });

  // R-16: a Sunlight partner (not Sunlight itself) follows the partner process.
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

  const outcome = await awaitLinkedIssue(t, cs.key, 'awaiting-cs', templates.statusUpdate ?? '');
  if (outcome === 'closed') return;
  if (outcome === 'agent' || (await linkedClosedUnfixed(t, cs.key))) return handleUntilClosed(t);
  const pending = await awaitConfirmation(t, fillTemplate(templates.csDone ?? '', { key: t.key, linked: cs.key }));
  if (pending) t.commands.unshift(pending);
  if (!t.closed) await handleUntilClosed(t);
}
