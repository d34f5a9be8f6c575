/**
 * S-01: every inbound ticket gets a first response within the goal (default 2 hours) from the time it
 * was created. A durable timer warns the support channel before the breach (default at 80 %) and
 * escalates to the Support Supervisor at the breach. The first public comment by support stops it.
 */
import { condition } from '@temporalio/workflow';
import { parseIsoDuration } from '../shared/durations';
import { formatInstant } from '../shared/instants';
import { countSlaBreach, countSlaWarning, recordFirstResponse } from './metrics';
import { slack } from './steps';
import { stepSummary } from './summaries';
import type { TicketState } from './state';
import { taken } from './patches';

export async function watchFirstResponse(t: TicketState, createdAt: Date): Promise<void> {
  const { sla, roles } = t.settings;
  const goal = parseIsoDuration(sla.firstResponse);
  const deadline = new Date(createdAt.getTime() + goal);
  const warnAt = new Date(createdAt.getTime() + goal * sla.warnAtFraction);
  t.slaDeadline = deadline.toISOString();
  t.publish();
  const answered = () => t.firstResponseAt !== null || t.closed;

  const at = (d: Date) => formatInstant(d.toISOString(), t.settings.calendar.timeZone);
  const warnSummary = stepSummary('S-01', `warn ${roles.supportChannel} at ${at(warnAt)} unless support replied`);
  if (await condition(answered, Math.max(0, warnAt.getTime() - Date.now()), { summary: warnSummary }))
    return done(t, createdAt);
  // Back after downtime past the deadline (the worker or Temporal was down): a warning that the SLA
  // "breaches in 0 minutes" next to the breach tells nobody anything; only the breach goes out.
  const pastDeadline = Date.now() >= deadline.getTime() && taken('sla-breach-only-after-downtime');
  if (!pastDeadline) {
    countSlaWarning();
    const minutesLeft = Math.max(0, Math.round((deadline.getTime() - Date.now()) / 60000));
    await slack(
      t,
      'S-01',
      roles.supportChannel,
      `First-response SLA warning: ${t.key} has had no reply for ${Math.round((Date.now() - createdAt.getTime()) / 60000)} minutes; the SLA breaches in ${minutesLeft} minutes (${deadline.toISOString()}).`,
    );
    const breachSummary = stepSummary('S-01', `breach at ${at(deadline)}: escalate to ${roles.supportSupervisor}`);
    if (await condition(answered, Math.max(0, deadline.getTime() - Date.now()), { summary: breachSummary })) {
      return done(t, createdAt);
    }
  }
  t.slaMissed = true;
  countSlaBreach();
  if (taken('deadline-search-attributes')) t.publish(); // SlaBreached = true (an upsert: new runs only)
  const late = Date.now() - deadline.getTime();
  const lateness =
    late >= 60_000 ? ` This alert is ${describeDuration(late)} late: deskflow was not running at the deadline.` : '';
  await slack(
    t,
    'S-01',
    roles.supportSupervisor,
    `First-response SLA breach: ${t.key} has had no reply within ${sla.firstResponse.replace(/^PT/, '').toLowerCase()} (due ${deadline.toISOString()}). Assignee: ${t.assignee ?? 'nobody yet'}.${lateness}`,
  );
  await condition(answered);
  done(t, createdAt);
}

function done(t: TicketState, createdAt: Date): void {
  if (t.firstResponseAt) recordFirstResponse((new Date(t.firstResponseAt).getTime() - createdAt.getTime()) / 1000);
  t.log(
    'S-01',
    t.firstResponseAt ? `First response at ${t.firstResponseAt}` : 'First-response SLA ended: ticket closed',
  );
  t.publish();
}

/** e.g. "2 h 5 min", "45 min", "3 d 1 h". */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m && !d ? `${m} min` : ''].filter(Boolean);
  return parts.join(' ') || '0 min';
}
