/**
 * The ticket workflow on the time-skipping server with recording activities: the SLA timers (S-01),
 * triage below the confidence threshold (S-03), stage validators on agent commands, and the
 * idempotency keys every write carries.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Classification, DeskflowActivities } from '../../src/activities/contract';
import { defaultConfig } from '../../src/config/defaults';
import {
  classifyUpdate,
  confirmUpdate,
  leadContactedUpdate,
  resolveUpdate,
  statusQuery,
} from '../../src/workflows/messages';
import { useRecordingWorkflows } from '../helpers/recording-activities';

const t = useRecordingWorkflows();
const startTicket = (key: string, classification: Classification, override: Partial<DeskflowActivities> = {}) =>
  t.startTicket(key, classification, { override });

const howTo: Classification = {
  route: 'general.how_to',
  requestType: 'General Inquiry',
  confidence: 0.9,
  reasons: ['asks how to'],
};

test('S-01: a ticket left in triage warns the support channel at 80 % of the goal and the supervisor at the breach', async () => {
  const { worker, handle, calls } = await startTicket('SS-101', { ...howTo, confidence: 0.1 });
  await worker.runUntil(async () => {
    await t.env.sleep('95 minutes');
    const slackBefore = calls.filter((c) => c.name === 'postSlackMessage').map((c) => (c.input as { to: string }).to);
    expect(slackBefore).toEqual([defaultConfig.roles.supportChannel]); // the triage notice only
    await t.env.sleep('2 minutes'); // 97 min: past 96 min (80 % of 2 h)
    await t.env.sleep('24 minutes'); // 121 min: past the breach
    const slack = calls
      .filter((c) => c.name === 'postSlackMessage')
      .map((c) => c.input as { to: string; text: string });
    expect(slack.map((m) => m.to)).toEqual([
      defaultConfig.roles.supportChannel,
      defaultConfig.roles.supportChannel,
      defaultConfig.roles.supportSupervisor,
    ]);
    expect(slack[1]?.text).toMatch(/SLA warning/);
    expect(slack[2]?.text).toMatch(/breach/);
    const status = await handle.query(statusQuery);
    expect(status.stage).toBe('awaiting-triage');
  });
}, 60_000);

test('S-03: below the threshold the ticket waits for classify, then takes the agent’s route', async () => {
  const { worker, handle, calls } = await startTicket('SS-102', { ...howTo, confidence: 0.2 });
  await worker.runUntil(async () => {
    await t.env.sleep('1 minute');
    expect((await handle.query(statusQuery)).stage).toBe('awaiting-triage');
    expect(calls.some((c) => c.name === 'addComment' && /Needs triage/.test((c.input as { body: string }).body))).toBe(
      true,
    );
    await handle.executeUpdate(classifyUpdate, { args: [{ route: 'sales.lead', by: 'agent@sighten.io' }] });
    await t.env.sleep('1 minute');
    const status = await handle.query(statusQuery);
    expect(status.route).toBe('sales.lead');
    expect(status.stage).toBe('awaiting-sales-contact');
    expect(status.reasons.join(' ')).toMatch(/chosen by an agent/);
  });
}, 60_000);

test('a command at the wrong stage is refused with the reason and changes nothing', async () => {
  const { worker, handle, calls } = await startTicket('SS-103', howTo);
  await worker.runUntil(async () => {
    await t.env.sleep('5 minutes');
    const before = await handle.query(statusQuery);
    const writesBefore = calls.length;
    const refused = handle.executeUpdate(leadContactedUpdate, { args: [{ note: 'called them' }] });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/lead-contacted does not apply to SS-103 now: it is with-support/) },
    });
    await expect(handle.executeUpdate(resolveUpdate, { args: [{ note: '  ' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/--note .* is required/) },
    });
    await t.env.sleep('1 minute');
    const after = await handle.query(statusQuery);
    expect(after.stage).toBe(before.stage);
    expect(calls.length).toBe(writesBefore);
  });
}, 60_000);

test('every write carries its own idempotency key, derived from the workflow and the step', async () => {
  const { worker, handle, calls } = await startTicket('SS-104', howTo);
  await worker.runUntil(async () => {
    await t.env.sleep('5 minutes');
    await handle.executeUpdate(resolveUpdate, { args: [{ note: 'Use Export > PDF.' }] });
    await t.env.sleep('3 days');
  });
  const keys = calls
    .filter((c) => ['addComment', 'postSlackMessage'].includes(c.name))
    .map((c) => (c.input as { opKey: string }).opKey);
  expect(keys.length).toBeGreaterThanOrEqual(3);
  expect(new Set(keys).size).toBe(keys.length);
  for (const k of keys) expect(k).toMatch(/^ticket-SS-104\/[\w-]+\/S-\d+/);
  const closing = calls
    .filter((c) => c.name === 'transitionIssue')
    .map((c) => c.input as { to: string; resolution?: string });
  expect(closing.at(-1)).toEqual({ key: 'SS-104', to: 'Closed', resolution: 'Done' });
  expect((await handle.describe()).status.name).toBe('COMPLETED');
}, 60_000);

test('a step Jira refuses for good does not lose the ticket: support is told and it stays with them', async () => {
  const refuse = async () => {
    throw ApplicationFailure.nonRetryable('SS-105: Jira rejected requestType="General Inquiry"', 'ERR_JIRA_REJECTED');
  };
  const { worker, handle, calls } = await startTicket('SS-105', howTo, { updateIssueFields: refuse });
  await worker.runUntil(async () => {
    await t.env.sleep('5 minutes');
    const status = await handle.query(statusQuery);
    expect(status.stage).toBe('with-support');
    expect(status.timeline.some((e) => e.step === 'error' && /updateIssueFields failed for good/.test(e.text))).toBe(
      true,
    );
    const slack = calls
      .filter((c) => c.name === 'postSlackMessage')
      .map((c) => c.input as { to: string; text: string });
    expect(slack).toContainEqual(
      expect.objectContaining({
        to: defaultConfig.roles.supportChannel,
        text: expect.stringMatching(/could not go on with SS-105/),
      }),
    );
    await handle.executeUpdate(confirmUpdate, { args: [{ note: 'customer confirmed by phone' }] });
    await t.env.sleep('1 minute');
  });
  expect((await handle.describe()).status.name).toBe('COMPLETED');
}, 60_000);
