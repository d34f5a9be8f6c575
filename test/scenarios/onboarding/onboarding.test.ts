import { fileURLToPath } from 'node:url';
import { describeScenarios } from '../../helpers/scenarios';

// EverBright new-partner onboarding, E-01..E-17 (issue 5): every scenario file in this folder.
describeScenarios('EverBright onboarding scenarios', fileURLToPath(new URL('.', import.meta.url)));
