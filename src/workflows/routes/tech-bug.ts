/**
 * R-05: support investigates. The agent concludes with `resolve` (user error with documentation, or
 * fixed → S-15), `needs-input`, or `escalate-bug` with steps to reproduce → a linked bug ticket in the
 * DEV project; while it is open the customer gets a status update every N business days (S-13); when
 * it is done the customer is told and the ticket closes by S-15.
 */
import { jira } from '../activities';
import { awaitConfirmation, awaitLinkedIssue, handleUntilClosed, linkedClosedUnfixed } from '../closing';
import { internalNote } from '../steps';
import type { Command, TicketState } from '../state';
import { fillTemplate } from '../templates';

export async function techBug(t: TicketState): Promise<void> {
  await handleUntilClosed(t, escalateBug);
}

/** R-05's command in the support loop: `escalate-bug` opens the DEV bug and follows it. */
export async function escalateBug(t: TicketState, c: Command): Promise<boolean> {
  if (c.kind !== 'escalate-bug') return false;
  const { jira: j, templates } = t.settings;
  const issue = await jira.readIssue({ key: t.key });
  const bug = await jira.createLinkedIssue({
    opKey: t.opKey('R-05:bug'),
    project: j.devProject,
    issueType: j.issueTypes.devBug,
    summary: `[${t.key}] ${issue.summary}`,
    description: `Reported in ${t.key} by ${issue.reporter ?? 'a customer'}.\n\nSteps to reproduce:\n${c.steps}\n\nOriginal report:\n${issue.description}`,
    linkTo: t.key,
    linkType: j.linkTypes.relates,
  });
  t.recordLinked({ key: bug.key, project: j.devProject, status: j.statuses.toDo, from: null, by: null });
  await internalNote(
    t,
    'R-05',
    `Bug ticket ${bug.key} created${c.by ? ` by ${c.by}` : ''} with the steps to reproduce.`,
  );

  // The generic status update speaks of the configuration team (CS); a bug has its own wording.
  const statusTemplate = templates.bugStatusUpdate ?? templates.statusUpdate ?? '';
  if ((await awaitLinkedIssue(t, bug.key, 'awaiting-bug-fix', statusTemplate)) !== 'done') return true;
  if (await linkedClosedUnfixed(t, bug.key)) return true; // Won't Fix, Cannot Reproduce, ...: back to the agent
  const pending = await awaitConfirmation(t, fillTemplate(templates.bugFixed ?? '', { key: t.key, linked: bug.key }));
  if (pending) t.commands.unshift(pending);
  return true;
}
