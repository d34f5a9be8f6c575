/**
 * trade shows, résumés, vendors. Organization "Non-platform Emails", reporter Anonymous (so no
 * further mail goes out), assignee the on-duty agent, closed as Won't Do. When it looks like it needs
 * attention (an existing customer, legal, security), the Support Supervisor evaluates it instead.
 */
import { jira } from '../activities';
import { handleUntilClosed } from '../closing';
import { closeTicket, internalNote, slack } from '../steps';
import type { TicketState } from '../state';

export async function nonPlatform(t: TicketState): Promise<void> {
  const attention = t.reasons.filter((r) => r.toLowerCase().startsWith('attention:'));
  if (attention.length) {
    const supervisor = t.settings.roles.supportSupervisor;
    t.setStage('needs-supervisor', `${supervisor} to evaluate it (${attention.join('; ')})`);
    await internalNote(
      t,
      'R-25',
      `Support Supervisor (${supervisor}): this looks like a non-platform request but may need attention — ${attention.join('; ')}. Not closed; please evaluate.`,
    );
    await slack(
      t,
      'R-25',
      supervisor,
      `${t.key} looks non-platform but may need attention (${attention.join('; ')}). Please evaluate.`,
    );
    await handleUntilClosed(t);
    return;
  }
  const issue = await jira.readIssue({ key: t.key });
  if (issue.participants.length) await jira.removeRequestParticipants({ key: t.key, emails: issue.participants });
  await jira.updateIssueFields({ key: t.key, organization: t.settings.nonPlatformOrganization, reporter: null });
  t.log('R-25', `Organization ${t.settings.nonPlatformOrganization}, reporter Anonymous`);
  await closeTicket(t, 'R-25', t.settings.jira.resolutions.wontDo);
}
