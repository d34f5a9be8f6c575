/** The supervisor board's order and page (issue 13): first-response SLA at risk first, then the nearest deadline. */
import { renderBoard, STAGE_MEANING } from '../../src/board/server';
import { boardOrder, STAGE_ORDER, type BoardTicket } from '../../src/board/tickets';

const ticket = (key: string, over: Partial<BoardTicket> = {}): BoardTicket => ({
  key,
  workflowId: `ticket-${key}`,
  runId: 'run-1',
  summary: `${key} · something`,
  stage: 'with-support',
  route: 'tech.bug',
  assignee: 'alex.morgan@sighten.io',
  nextDeadline: null,
  slaDeadline: null,
  slaBreached: false,
  slaAtRisk: false,
  ...over,
});

test('SLA missed or at risk first, then the nearest deadline, then the key', () => {
  const list = [
    ticket('SS-10'),
    ticket('SS-2', { nextDeadline: '2026-11-26T17:00:00.000Z' }),
    ticket('SS-3', { nextDeadline: '2026-11-25T17:00:00.000Z' }),
    ticket('SS-4', {
      slaAtRisk: true,
      slaDeadline: '2026-11-25T18:10:00.000Z',
      nextDeadline: '2026-11-25T18:10:00.000Z',
    }),
    ticket('SS-9'),
  ].sort(boardOrder);
  expect(list.map((t) => t.key)).toEqual(['SS-4', 'SS-3', 'SS-2', 'SS-9', 'SS-10']);
});

test('the page groups by stage, lists the at-risk ones on top, and links each ticket to its run in the Web UI', () => {
  const now = new Date('2026-11-25T18:00:00.000Z');
  const html = renderBoard(
    [
      ticket('SS-4', {
        stage: 'awaiting-triage',
        slaAtRisk: true,
        slaDeadline: '2026-11-25T18:10:00.000Z',
        nextDeadline: '2026-11-25T18:10:00.000Z',
      }),
      ticket('SS-5', { stage: 'awaiting-customer', nextDeadline: '2026-11-26T18:00:00.000Z' }),
    ],
    { uiUrl: 'http://localhost:8233', namespace: 'default', tz: 'America/Los_Angeles', now },
  );
  expect(html).toContain('<h2 id="at-risk">First-response SLA at risk <span class="n">(1)</span></h2>');
  expect(html.indexOf('id="stage-awaiting-triage"')).toBeLessThan(html.indexOf('id="stage-awaiting-customer"'));
  expect(html).toContain('href="http://localhost:8233/namespaces/default/workflows/ticket-SS-4/run-1/history"');
  expect(html).toContain('first reply in 10 min');
  expect(html).toContain('2026-11-26 10:00 PST<br><span class="sub">in 1 d</span>');
});

test('each stage says who has to act; a ticket whose first-response clock has stopped says so, not "—"', () => {
  const now = new Date('2026-11-25T18:00:00.000Z');
  const html = renderBoard(
    [
      ticket('SS-6', { stage: 'with-support', nextDeadline: '2026-11-27T18:00:00.000Z' }),
      ticket('SS-7', { stage: 'onboarding-awaiting-approval' }),
    ],
    { uiUrl: 'http://localhost:8233', namespace: 'default', tz: 'America/Los_Angeles', now },
  );
  expect(html).toContain(
    '<span class="why">an agent resolves, asks the customer or confirms; the assignee is reminded at the deadline (S-13)</span>',
  );
  expect(html).toContain('<span class="why">onboarding: waiting for the approval to push live (E-11, E-12)</span>');
  expect(html).toContain('>clock stopped</span>');
  // Every stage a ticket can be listed in has its line.
  for (const stage of STAGE_ORDER) expect(STAGE_MEANING[stage]).toBeTruthy();
});
