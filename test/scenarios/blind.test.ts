import { fileURLToPath } from 'node:url';
import { describeScenarios } from '../helpers/scenarios';

// Scenarios written from the SOPs, ROUTING.md and FORMAT.md only, without reading the code: awkward days,
// outages, onboarding variations, unusual replies. The folder's top level runs here (about 45 s); blind/more
// holds further ones of the same kind (`npm run scenario -- test/scenarios/blind/more/*.json`).
describeScenarios(
  'scenarios written blind, from the procedures and the format only',
  fileURLToPath(new URL('./blind', import.meta.url)),
);
