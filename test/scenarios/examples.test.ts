import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeScenarios, scenarioFiles } from '../helpers/scenarios';

const here = fileURLToPath(new URL('./examples', import.meta.url));
const shared = fileURLToPath(new URL('../../../shared/scenarios/examples', import.meta.url));

describeScenarios('the shared example scenarios (copied unchanged)', here);

// The copies must stay the contract: where the shared folder is beside the clone, they are identical.
if (existsSync(shared)) {
  test('the copies equal ../shared/scenarios/examples', () => {
    const ours = scenarioFiles(here).map((f) => [basename(f), readFileSync(f, 'utf8')]);
    const theirs = scenarioFiles(shared).map((f) => [basename(f), readFileSync(f, 'utf8')]);
    expect(ours).toEqual(theirs);
  });
}
