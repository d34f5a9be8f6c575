import { fileURLToPath } from 'node:url';
import { describeScenarios } from '../helpers/scenarios';

describeScenarios('EverBright onboarding (E-01..E-17)', fileURLToPath(new URL('./onboarding', import.meta.url)));
