/**
 * A start-up check of what deskflow's Jira account may do (GET /rest/api/3/mypermissions): without the
 * Jira Administrator global permission it cannot create customers (S-05 reporter, E-04/E-07/E-15 people
 * new to Jira), and without administering the support project it cannot add customers to a restricted
 * desk. Each missing permission becomes one line naming it and what it affects; the worker still starts.
 */
import type { DeskflowConfig } from '../config';
import type { JiraClients } from './clients';
import { obj } from './jira-shapes';

export async function jiraPermissionWarnings(
  clients: Pick<JiraClients, 'cloud'>,
  config: Pick<DeskflowConfig, 'jira'>,
): Promise<string[]> {
  const { botEmail, supportProject } = config.jira;
  const has = async (permission: string, projectKey?: string): Promise<boolean> => {
    const answer = obj(
      await clients.cloud.permissions.getMyPermissions({
        permissions: permission,
        ...(projectKey ? { projectKey } : {}),
      }),
    );
    return obj(obj(answer.permissions)[permission]).havePermission === true;
  };
  const warnings: string[] = [];
  if (!(await has('ADMINISTER')))
    warnings.push(
      `Jira: ${botEmail} lacks the Jira Administrator global permission, so deskflow cannot create customers (POST /rest/servicedeskapi/customer): a new sender as reporter (S-05) or a new participant or watcher (E-04, E-07, E-15) is refused and the ticket is handed to support.`,
    );
  if (!(await has('ADMINISTER_PROJECTS', supportProject)))
    warnings.push(
      `Jira: ${botEmail} does not administer ${supportProject}, so deskflow cannot add customers to the desk: on a restricted desk, a person new to it cannot become reporter or participant.`,
    );
  return warnings;
}
