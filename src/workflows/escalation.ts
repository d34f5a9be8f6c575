/**
 * `deskflow escalate` outside onboarding: the Support Supervisor takes a look. Internal note tagging
 * the supervisor, priority High, and a Slack message (mirrored, S-17). Onboarding has its own (E-16).
 */
import { jira } from './activities';
import { internalNote, slack } from './steps';
import type { TicketState } from './state';

export async function escalateToSupervisor(t: TicketState, note: string, by?: string): Promise<void> {
  const supervisor = t.settings.roles.supportSupervisor;
  await internalNote(
    t,
    'escalate',
    `Escalated to the Support Supervisor (${supervisor})${by ? ` by ${by}` : ''}${note ? `: ${note}` : ''}`,
  );
  await jira.updateIssueFields({ key: t.key, priority: 'High' });
  await slack(
    t,
    'escalate',
    supervisor,
    `${t.key} was escalated to you${by ? ` by ${by}` : ''}${note ? `: ${note}` : ''}`,
  );
}
