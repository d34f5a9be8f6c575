/**
 * What the Temporal Web UI shows of a ticket's run (issue 13): the run's fixed summary (ticket key and
 * subject, set by the relay), and on every activity and timer the SOP step it serves and why.
 */
import { temporal } from '@temporalio/proto';
import { fileURLToPath } from 'node:url';
import { ticketRunMetadata } from '../../src/client/ticket-metadata';
import { createDataConverter, SCENARIO_CODEC_KEYS } from '../../src/shared/data-converter';
import { activitySummary, stepSummary, waitSummary } from '../../src/workflows/summaries';
import { runScenarioFile } from '../helpers/scenarios';

type IPayload = temporal.api.common.v1.IPayload;
const converter = createDataConverter(SCENARIO_CODEC_KEYS);

async function decode(payload: IPayload | null | undefined): Promise<string | undefined> {
  if (!payload) return undefined;
  const [plain] = converter.payloadCodecs?.length
    ? await converter.payloadCodecs.reduceRight(
        async (acc, codec) => codec.decode(await acc),
        Promise.resolve([payload] as IPayload[]),
      )
    : [payload];
  const data = plain?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as string) : undefined;
}

test('summaries name the SOP step; unknown input still gets a line', () => {
  expect(stepSummary('S-15', 'move SS-1 to Closed (Done)')).toBe(
    'S-15 close after one business day without an answer: move SS-1 to Closed (Done)',
  );
  expect(stepSummary('E-11')).toBe('E-11 ask the approver');
  expect(
    activitySummary('addComment', { key: 'SS-3', public: true, opKey: 'ticket-SS-3/run-1/S-16:public:SS-3/1' }),
  ).toBe('S-16 close after the unanswered requests for input: reply to the customer on SS-3');
  expect(activitySummary('updateIssueFields', { key: 'SS-3', requestType: 'Technical Support' })).toBe(
    'S-04 set the request type: Technical Support (SS-3)',
  );
  expect(waitSummary('awaiting-confirmation', 'the customer to confirm')).toBe(
    'S-15 close after one business day without an answer: wait for the customer to confirm',
  );
});

test('the relay starts a run with a fixed summary (key and subject) and details (who, when, what)', () => {
  const created = {
    key: 'SS-7',
    summary: 'Production estimate is zero',
    description: 'The PV Watts estimate shows 0 kWh.\nThis looks broken.',
    reporter: 'eng@desertrays.com',
    participants: [],
    created: '2026-11-23T18:00:00.000Z',
  };
  const m = ticketRunMetadata('SS-7', created, 'America/Los_Angeles');
  expect(m.staticSummary).toBe('SS-7 · Production estimate is zero');
  expect(m.staticDetails.split('  \n')).toEqual([
    'Support ticket **SS-7**: Production estimate is zero',
    '**From:** eng@desertrays.com',
    '**Created:** 2026-11-23 10:00 PST',
    '**Description:** The PV Watts estimate shows 0 kWh. This looks broken.',
    'Route, stage and deadlines: see Current details.',
  ]);
  expect(ticketRunMetadata('SS-8', undefined, 'UTC', 'a comment event').staticSummary).toBe('SS-8 · support ticket');
});

// The time-skipping server keeps activity and timer metadata (not the start's: the browser test checks
// that against the dev server's Web UI).
test('a ticket run in the Web UI: a summary on every timer, and on the activities', async () => {
  const file = fileURLToPath(new URL('../scenarios/examples/needs-input-two-attempts.json', import.meta.url));
  const result = await runScenarioFile(file, { keepHistories: true });
  expect(result.failures).toEqual([]);
  const events = result.histories.flatMap((h) => h.history.events ?? []);

  const timers = events.filter((e) => e.timerStartedEventAttributes);
  const timerSummaries = await Promise.all(timers.map((e) => decode(e.userMetadata?.summary)));
  expect(timerSummaries.length).toBeGreaterThan(0);
  for (const s of timerSummaries) expect(s).toMatch(/^[SRE]-\d{2} /);
  expect(timerSummaries).toContainEqual(
    expect.stringMatching(/^S-16 close after the unanswered requests for input: wait for the customer's answer/),
  );
  // Deadlines in the support time zone, not raw UTC.
  for (const s of timerSummaries) expect(s).toMatch(/until \d{4}-\d{2}-\d{2} \d{2}:\d{2} P[SD]T$/);

  const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes || e.markerRecordedEventAttributes);
  const activitySummaries = await Promise.all(
    scheduled.filter((e) => e.userMetadata?.summary).map((e) => decode(e.userMetadata?.summary)),
  );
  expect(activitySummaries).toContainEqual(
    expect.stringMatching(/^S-16 close after the unanswered requests for input: reply to the customer on SS-\d+$/),
  );
}, 240_000);
