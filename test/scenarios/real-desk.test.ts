import { fileURLToPath } from 'node:url';
import { describeScenarios } from '../helpers/scenarios';

describeScenarios(
  'a real desk: tickets from before deskflow, lost webhooks, replies after closing, changes made in Jira (issue 9)',
  fileURLToPath(new URL('./real-desk', import.meta.url)),
);
