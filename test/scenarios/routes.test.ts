import { fileURLToPath } from 'node:url';
import { describeScenarios } from '../helpers/scenarios';

describeScenarios('a scenario per route (R-01..R-25)', fileURLToPath(new URL('./routes', import.meta.url)));
