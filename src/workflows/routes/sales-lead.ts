/**
 * R-04: a sales lead gets the standard first reply and the `sales-lead` label; the sales lead hears of
 * it on Slack and is reminded every N business days until `lead-contacted`; the contact is summarised
 * in an internal note (S-17) and the ticket closes.
 */
import { addBusinessDays } from '../business-calendar';
import { jira } from '../activities';
import { closeAsConfirmed, tellAssignee } from '../closing';
import { escalateToSupervisor } from '../escalation';
import { repliesReachSomeone } from '../patches';
import { closeTicket, internalNote, publicComment, slack } from '../steps';
import type { TicketState } from '../state';
import { fillTemplate } from '../templates';
import { waitFor } from '../waiting';

export async function salesLead(t: TicketState): Promise<void> {
  const { roles, templates, sla, jira: j } = t.settings;
  await jira.updateIssueFields({ key: t.key, addLabels: ['sales-lead'] });
  await publicComment(t, 'R-04', fillTemplate(templates.salesLeadReply ?? '', { key: t.key }));
  await slack(
    t,
    'R-04',
    roles.salesLead,
    `New sales lead ${t.key}: please contact them, then run: deskflow lead-contacted ${t.key} --note "..."`,
  );

  let reminders = 0;
  const listen = repliesReachSomeone(); // the lead's own messages reach the assignee
  let remindAt: Date | null = null;
  while (!t.closed) {
    // A message from the lead does not move the reminder to the sales lead.
    remindAt ??= addBusinessDays(new Date(), sla.salesLeadReminderBusinessDays, t.settings.calendar);
    t.setStage('awaiting-sales-contact', `${roles.salesLead} to contact the lead (lead-contacted)`, remindAt);
    const wake = await waitFor(t, {
      until: remindAt,
      commands: ['lead-contacted', 'confirm', 'escalate'],
      customer: listen,
    });
    if (wake.kind === 'customer') {
      await tellAssignee(
        t,
        'R-04',
        `${t.key} (sales lead, waiting for ${roles.salesLead} to make contact): the lead wrote again.`,
      );
      continue;
    }
    remindAt = null;
    if (wake.kind === 'timeout') {
      reminders++;
      await slack(
        t,
        'R-04',
        roles.salesLead,
        `Reminder ${reminders}: has the lead in ${t.key} been contacted? When done: deskflow lead-contacted ${t.key} --note "..."`,
      );
      continue;
    }
    if (wake.kind !== 'command') continue;
    const c = wake.command;
    if (c.kind === 'lead-contacted') {
      await internalNote(t, 'S-17', `Sales lead contacted${c.by ? ` (reported by ${c.by})` : ''}: ${c.note}`);
      await closeTicket(t, 'R-04', j.resolutions.done);
    } else if (c.kind === 'confirm') {
      await closeAsConfirmed(t, c.note, c.by);
    } else if (c.kind === 'escalate') {
      await escalateToSupervisor(t, c.note, c.by);
    }
  }
}
