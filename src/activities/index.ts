/**
 * All activities, merged for the worker: `createActivities(deps)` satisfies the DeskflowActivities
 * contract (contract.ts). Workflows only see the contract's types.
 */
import type { DeskflowActivities } from './contract';
import type { ActivityDeps } from './clients';
import { createJiraActivities } from './jira';
import { createSlackActivities } from './slack';
import { createAhaActivities } from './aha';
import { createSettingsActivities } from './settings';
import { createTicketFactsActivities } from './ticket-facts';

export { activityDepsFromEnv, createJiraClients, createSlackClient } from './clients';
export type { ActivityDeps, AhaConnection, JiraConnection, SlackConnection } from './clients';
export { ActivityErrorType } from './errors';
export { createJiraActivities } from './jira';
export { createSlackActivities } from './slack';
export { createAhaActivities, createAhaClient } from './aha';
export { createSettingsActivities } from './settings';

export function createActivities(deps: ActivityDeps): DeskflowActivities {
  return {
    ...createJiraActivities(deps),
    ...createTicketFactsActivities(deps),
    ...createSlackActivities(deps),
    ...createAhaActivities(deps),
    ...createSettingsActivities(deps.config),
  };
}
