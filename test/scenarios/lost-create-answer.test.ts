/**
 * Issue 14, the whole stack: R-07's CS ticket is created, but Jira's answer to the create is lost (the
 * sandbox carries the write out, then answers 503). The activity's retry finds the issue through the SS
 * ticket's links, so the ticket ends with one CS issue and the story runs on as usual.
 */
import { fileURLToPath } from 'node:url';
import type { SandboxState } from '../../src/sandbox/types';
import { runScenarioFile } from '../helpers/scenarios';

const r07 = fileURLToPath(new URL('./routes/r07-equipment-cs.json', import.meta.url));
/** The customer's reply without a spec sheet: the step that leads to the CS ticket. */
const REPLY_STEP = 4;

test('R-07 with the CS create answered 503 after it went through: one CS issue, linked once', async () => {
  let csIssues: string[] | undefined;
  let ssLinks: string[] | undefined;
  const result = await runScenarioFile(r07, {
    beforeStep: async (n, run) => {
      if (n === REPLY_STEP) {
        const res = await fetch(`${run.sandboxUrl}/_sandbox/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            service: 'jira',
            status: 503,
            method: 'POST',
            pathEnd: '/issue',
            afterApplying: true,
            count: 1,
          }),
        });
        expect(res.status).toBe(204);
      }
      if (n === REPLY_STEP + 2) {
        // After the retry: the expect step that checks the CS ticket.
        const state = (await (await fetch(`${run.sandboxUrl}/_sandbox/state`)).json()) as SandboxState;
        const ss = run.issueKey('ticket');
        // The CS issues made for this ticket (the seeded onboarding epic is a CS issue too).
        csIssues = state.issues.filter((i) => i.project === 'CS' && i.summary.includes(`[${ss}]`)).map((i) => i.key);
        ssLinks = state.issues.find((i) => i.key === ss)?.links.map((l) => l.key);
      }
    },
  });
  expect(result.failures).toEqual([]);
  expect(csIssues).toHaveLength(1);
  expect(ssLinks).toEqual(csIssues);
}, 180_000);
