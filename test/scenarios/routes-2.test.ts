import { fileURLToPath } from 'node:url';
import { describeScenarios } from '../helpers/scenarios';

// The route scenarios are split in two files so that two jest workers share them.
describeScenarios(
  'a scenario per route (R-01..R-25), part 2 of 2',
  fileURLToPath(new URL('./routes', import.meta.url)),
  [2, 2],
);
