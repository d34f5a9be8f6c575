/**
 * A bot that is not a Jira administrator cannot create customers (issue 14 item 3): when S-05 must make a
 * new sender the reporter, the refusal names the missing permission, and the ticket is not lost: support
 * is told on Slack and the ticket stays with them.
 */
import { loadConfig } from '../../src/config';
import { statusWhen, useSandboxedWorkflows } from '../helpers/sandboxed-workflows';

const config = loadConfig({ overrides: { calendar: { holidays: 'none' } } });
// The bot holds no Jira Administrator permission.
const t = useSandboxedWorkflows(config, { settings: { permissions: { jiraAdmins: [] } } });

/** S-05: an agent forwards a customer's e-mail; the original sender (new to Jira) becomes the reporter. */
const FORWARDED = {
  summary: 'Fwd: How do I add a second inverter to a design?',
  description:
    '---------- Forwarded message ---------\nFrom: Luis Ortega <luis@canyonsolarworks.com>\nDate: Mon, Nov 1, 2027 at 9:12 AM\nSubject: How do I add a second inverter to a design?\nTo: <alex.morgan@sighten.io>\n\nHi Alex, how do I add a second inverter to a design? Thanks, Luis',
  reporter: 'alex.morgan@sighten.io',
};

test('S-05 with a bot that may not create customers: support is told on Slack, naming the permission, and the ticket stays with them', async () => {
  const { worker, taskQueue } = await t.worker(config);
  const start = await t.nextStart();
  await t.sleepUntil(start);
  const { key, handle } = await t.startTicket(taskQueue, start, FORWARDED);
  try {
    await worker.runUntil(async () => {
      const s = await statusWhen(handle, (status) => status.timeline.some((e) => e.step === 'error'));
      const told = t.sandbox.state().slack.find((m) => m.to === config.roles.supportChannel && m.text.includes(key));
      expect(told?.text).toContain('Jira Administrator global permission');
      expect(told?.text).toContain('luis@canyonsolarworks.com');
      expect(s.stage).not.toBe('closed');
      expect(t.sandbox.issue(key)!.status).not.toBe('Closed');
    });
  } finally {
    await handle.terminate('test over').catch(() => undefined);
  }
}, 120_000);
