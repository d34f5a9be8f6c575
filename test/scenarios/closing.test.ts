import { fileURLToPath } from 'node:url';
import { describeScenarios } from '../helpers/scenarios';

describeScenarios(
  'the closing rules and agent commands (S-01..S-17)',
  fileURLToPath(new URL('./closing', import.meta.url)),
);
