/**
 * R-20, E-01..E-17: EverBright new-partner onboarding, a stage of the ticket workflow (one workflow
 * per ticket keeps one id for every webhook, command and query). The config team works for days and
 * the approver answers when he answers: every wait here is a durable timer or condition.
 */
import {
  hasOnboardingFields,
  mergeOnboardingForms,
  parseOnboardingForm,
  type OnboardingForm,
} from '../classification/onboarding-form';
import { parseForwarded } from '../classification/forwarded';
import { jira } from './activities';
import { APPROVAL_QUESTION } from './approval-ticket';
import { readApproval } from './approval-words';
import { tellAssignee } from './closing';
import { completeSteps, onboardingFormForwarded, repliesReachSomeone, strictApprovals, taken } from './patches';
import { authorOf } from './identity';
import { parseIsoDuration } from '../shared/durations';
import type { Stage } from './messages';
import { assign, closeTicket, internalNote, slack, transition } from './steps';
import type { Command, OnboardingContacts, ResumeAt, TicketState } from './state';
import { emailDomain, fillTemplate, isInternal, sameEmail } from './templates';
import { waitFor, type Wake, type WaitOptions } from './waiting';

type Form = OnboardingContacts;

/** Where a continued run picks the onboarding up (see resumeOnboarding). */
type OnboardingResume = Extract<ResumeAt, { at: 'onboarding' }>;

const APPROVES =
  /\b(approved?|approval granted|go ahead|ok(ay)? to (push|go) live|push (it |them |the products )?live|good to go)\b/i;
const DECLINES = /\b(not approved|don't|do not|hold off|not yet|wait)\b/i;

export async function onboarding(t: TicketState): Promise<void> {
  const issue = await jira.readIssue({ key: t.key });
  if (!(await checkSender(t, issue.reporter, issue.description))) return;
  const form = await readForm(t);
  if (!form) return;
  await updateOnboardingTicket(t, form, issue.participants);
  const cs = await awaitCsTicket(t);
  if (!cs) return;
  await updateCsTicket(t, cs, form);
  await fromConfiguration(t, cs, form);
}

/** E-10..E-15: from the wait for the configuration on. */
async function fromConfiguration(t: TicketState, cs: string, form: Form): Promise<void> {
  if (!(await awaitConfigComplete(t, cs, form))) return;
  await fromApproval(t, cs, form, await requestApproval(t, cs, form));
}

/** E-14, E-15: push live once approved (null: the ticket closed meanwhile), wait until live, close. */
async function fromApproval(t: TicketState, cs: string, form: Form, approvedBy: string | null): Promise<void> {
  if (approvedBy === null) return;
  await pushLive(t, cs, form, approvedBy);
  await fromGoLive(t, cs, form);
}

async function fromGoLive(t: TicketState, cs: string, form: Form): Promise<void> {
  if (!(await awaitLive(t, cs, form))) return;
  await closeOnboarding(t, form);
}

/**
 * A run continued at one of the onboarding's long waits (E-10, E-11..E-13, E-15): the same wait with the
 * same form, CS ticket, reminders sent and deadline, then the procedure as before.
 */
export async function resumeOnboarding(t: TicketState, r: OnboardingResume, until: Date | null): Promise<void> {
  const form = t.onboardingForm;
  if (!form) throw new Error(`${t.key}: a continued onboarding run needs the form the previous run read (E-02)`);
  if (r.wait === 'config') return fromConfiguration(t, r.cs, form);
  if (r.wait === 'go-live') return fromGoLive(t, r.cs, form);
  await fromApproval(t, r.cs, form, await requestApproval(t, r.cs, form, { reminders: r.reminders, next: until }));
}

/**
 * Since onboarding-continues-as-new, the onboarding's long waits hand a long history to a new run like the
 * support waits do (waiting.ts); runs that reached them before keep waiting in the same run.
 */
function parked(resume: OnboardingResume): { resume?: ResumeAt } {
  return taken('onboarding-continues-as-new') ? { resume } : {};
}

/**
 * E-01: only the onboarding team's requests are processed. A form a staff member forwarded into the desk
 * counts as its original sender's (S-05); the staff member becomes a watcher.
 */
async function checkSender(t: TicketState, reporter: string | null, description: string): Promise<boolean> {
  const { roles, templates, jira: j } = t.settings;
  const sender = reporter ?? t.created?.reporter ?? null;
  if (roles.onboardingTeam.some((m) => sameEmail(m, sender))) return true;
  if (sender && isInternal(sender, roles.internalDomains) && onboardingFormForwarded()) {
    const original = parseForwarded(description, roles.internalDomains)?.originalSender ?? null;
    if (original && roles.onboardingTeam.some((m) => sameEmail(m, original))) {
      await jira.addWatchers({ key: t.key, emails: [sender] });
      t.log('E-01', `Forwarded by ${sender}: the form is from ${original}, of the onboarding team`);
      return true;
    }
  }
  const mailbox = roles.onboardingTeam[0] ?? '';
  await internalNote(
    t,
    'E-01',
    `Onboarding request from ${sender ?? 'an unknown sender'}, not from the onboarding team (${roles.onboardingTeam.join(', ')}): redirected and closed.`,
  );
  await closeTicket(
    t,
    'E-01',
    j.resolutions.wontDo,
    fillTemplate(templates.onboardingWrongSender ?? '', { key: t.key, onboardingMailbox: mailbox }),
  );
  return false;
}

/**
 * E-02: parse the form; a missing field is reported (internal note, Slack to the onboarding team) and
 * the flow waits for the correction: the description edited (the relay's `ticket-edited` signal), or
 * the onboarding team replying on the ticket with the missing lines (e.g. "Installer contact email: ...")
 * or the whole form. A correction that still lacks something is reported again; a reply with no form
 * line in it (e.g. "on it") is not.
 */
async function readForm(t: TicketState): Promise<Form | null> {
  const { roles } = t.settings;
  const team = [...roles.onboardingTeam, roles.onboardingApprover];
  let fromComments: OnboardingForm = { missing: [] };
  let reported: string | null = null;
  let correctedBy: string | null = null;
  for (;;) {
    const issue = await jira.readIssue({ key: t.key });
    const f = mergeOnboardingForms(parseOnboardingForm(issue.description), fromComments);
    if (!f.missing.length && f.installerName && f.installerContactEmail && f.accountManagerEmail) {
      t.organization = f.installerName;
      const form: Form = {
        installerName: f.installerName,
        installerContactEmail: f.installerContactEmail,
        accountManagerEmail: f.accountManagerEmail,
        accountManagerName: f.accountManagerName || f.accountManagerEmail,
      };
      t.onboardingForm = form;
      if (reported !== null) {
        await internalNote(
          t,
          'E-02',
          `The onboarding form is now complete${correctedBy ? ` (completed in a comment by ${correctedBy})` : ' (ticket edited)'}: installer ${form.installerName}, contact ${form.installerContactEmail}, account manager ${form.accountManagerName} <${form.accountManagerEmail}>. Continuing the onboarding.`,
        );
      }
      return form;
    }
    const missing = f.missing.join(', ');
    if (missing !== reported) {
      reported = missing;
      await internalNote(
        t,
        'E-02',
        `The onboarding form is missing: ${missing}. Waiting for the onboarding team to correct the ticket.`,
      );
      let reached = false;
      for (const member of roles.onboardingTeam) {
        const sent = await slack(
          t,
          'E-02',
          member,
          `Onboarding ticket ${t.key} is missing: ${missing}. Please edit the ticket description with the complete form, or reply on the ticket with the missing line(s), e.g. "${exampleLine(f.missing[0])}".`,
        );
        reached ||= sent;
      }
      if (!reached && completeSteps()) {
        // Nobody of the onboarding team is on Slack: support asks them another way (never a silent stall).
        await slack(
          t,
          'E-02',
          t.assignee ?? roles.supportChannel,
          `Onboarding ticket ${t.key} is missing: ${missing}, and nobody of the onboarding team (${roles.onboardingTeam.join(', ')}) could be reached on Slack. Please ask them for the complete form by e-mail or on the ticket.`,
        );
      }
    }
    for (;;) {
      const wake = await onboardingWait(
        t,
        'onboarding-awaiting-form',
        `the onboarding team to complete the form (missing: ${missing})`,
        { edits: true, customer: true },
      );
      if (wake === null) return null;
      if (wake.kind === 'edit') {
        reported = null; // an edit that still leaves something out is reported again
        correctedBy = null;
        break;
      }
      if (wake.kind !== 'customer') continue;
      const reply = t.lastCustomerReply;
      if (!reply) continue;
      const author = await authorOf(reply);
      if (!team.some((m) => sameEmail(m, author))) {
        // Not the onboarding team: as in every other onboarding wait, customer communication is needed (E-16).
        await escalateOnboarding(t, {
          kind: 'escalate',
          note: `message from ${reply.author ?? 'a customer'}: ${reply.body}`,
        });
        continue;
      }
      const correction = parseOnboardingForm(reply.body);
      if (!hasOnboardingFields(correction)) {
        // Not a correction ("checking with the account manager"): the assignee hears of it.
        if (repliesReachSomeone()) await teamWrote(t, `waiting for the onboarding form (missing: ${missing})`);
        continue;
      }
      fromComments = mergeOnboardingForms(fromComments, correction);
      correctedBy = author;
      break;
    }
  }
}

function exampleLine(missing: string | undefined): string {
  if (missing === 'installer name') return 'Installer name: ...';
  if (missing === 'installer contact email') return 'Installer contact email: ...';
  return 'EverBright account manager: Name <email>';
}

/** E-03..E-08 with E-17: no installer address is ever reporter or participant. */
async function updateOnboardingTicket(t: TicketState, form: Form, currentParticipants: string[]): Promise<void> {
  const { roles, jira: j, routes } = t.settings;
  const mailbox = roles.onboardingTeam[0] as string;
  await jira.updateIssueFields({
    key: t.key,
    organization: form.installerName, // E-03
    reporter: mailbox, // E-05
    requestType: routes['onboarding.everbright']?.requestType, // E-06
  });
  // E-04; one who may not watch (a JSM customer, not a partner working in Jira) becomes a participant.
  await jira.addWatchers({
    key: t.key,
    emails: [form.accountManagerEmail, roles.onboardingApprover],
    customersAsParticipants: true,
  });
  const installerDomain = emailDomain(form.installerContactEmail);
  const installers = currentParticipants.filter(
    (p) => sameEmail(p, form.installerContactEmail) || emailDomain(p) === installerDomain,
  );
  if (installers.length) await jira.removeRequestParticipants({ key: t.key, emails: installers }); // E-17
  const participants = [...roles.onboardingParticipants, form.accountManagerEmail].filter(
    (p) => !sameEmail(p, form.installerContactEmail) && emailDomain(p) !== installerDomain,
  );
  await jira.addRequestParticipants({ key: t.key, emails: participants }); // E-07
  t.log(
    'E-03',
    `Organization ${form.installerName}; reporter ${mailbox}; watchers ${form.accountManagerEmail}, ${roles.onboardingApprover}; participants ${participants.join(', ')}`,
  );
  await jira.updateIssueFields({ key: t.key, needsConfiguration: j.needsConfigurationValue }); // E-08
  t.log(
    'E-08',
    `"Needs Configuration?" set to ${j.needsConfigurationValue}: the desk automation creates the CS ticket`,
  );
}

/** E-08: wait for the CS ticket the desk automation creates; alert support when it does not appear. */
async function awaitCsTicket(t: TicketState): Promise<string | null> {
  const { jira: j, sla, roles } = t.settings;
  let alerted = false;
  for (;;) {
    const found = [...t.linked.values()].find((l) => l.project === j.csProject);
    if (found) return found.key;
    const timeout = new Date(Date.now() + parseIsoDuration(sla.csTicketTimeout));
    const wake = await onboardingWait(
      t,
      'onboarding-awaiting-cs-ticket',
      'the desk automation to create the linked CS ticket',
      { linked: true, until: timeout },
    );
    if (wake === null) return null;
    if (wake.kind !== 'timeout') continue;
    // The webhook may have been missed: look at the ticket's links before alerting anyone.
    const issue = await jira.readIssue({ key: t.key });
    for (const l of issue.links.filter((x) => x.project === j.csProject)) {
      t.recordLinked({ key: l.key, project: l.project, status: l.status, from: null, by: null });
    }
    if (!alerted && ![...t.linked.values()].some((l) => l.project === j.csProject)) {
      alerted = true;
      await slack(
        t,
        'E-08',
        roles.supportChannel,
        `${t.key}: no CS ticket appeared ${sla.csTicketTimeout.replace(/^PT/, '').toLowerCase()} after "Needs Configuration?" was set. Please check the desk automation.`,
      );
    }
  }
}

/** E-09: components, epic, QA assignee, and the config-team member with the fewest open CS tickets. */
async function updateCsTicket(t: TicketState, cs: string, form: Form): Promise<void> {
  const { jira: j, roles } = t.settings;
  await jira.updateIssueFields({
    key: cs,
    components: [form.installerName],
    epic: j.onboardingEpic,
    qaAssignee: roles.csQaAssignee,
  });
  const load = await jira.countOpenIssuesByAssignee({ project: j.csProject, assignees: roles.configTeam });
  const member = roles.configTeam.reduce(
    (best, m) => ((load[m] ?? 0) < (load[best] ?? 0) ? m : best),
    roles.configTeam[0] as string,
  );
  await assign(t, 'E-09', member, cs);
  t.log(
    'E-09',
    `${cs}: component ${form.installerName}, epic ${j.onboardingEpic}, QA ${roles.csQaAssignee}, assignee ${member} (open CS tickets: ${load[member] ?? 0})`,
  );
}

/** E-10: the config team puts the CS ticket On Hold when configured (not live), or an agent says so. */
async function awaitConfigComplete(t: TicketState, cs: string, form: Form): Promise<boolean> {
  const { jira: j } = t.settings;
  for (;;) {
    const status = t.linked.get(cs)?.status;
    if (status === j.statuses.onHold || status === j.statuses.done) break;
    const wake = await onboardingWait(
      t,
      'onboarding-awaiting-config',
      `the config team to configure ${form.installerName} (${cs} On Hold, or config-complete)`,
      {
        linked: true,
        commands: ['config-complete'],
        ...parked({ at: 'onboarding', wait: 'config', cs, reminders: 0 }),
      },
    );
    if (wake === null) return false;
    if (wake.kind === 'command') {
      t.log('E-10', `Config complete reported${wake.command.by ? ` by ${wake.command.by}` : ''}`);
      break;
    }
  }
  await transition(t, 'E-10', j.statuses.waitingForSupport);
  return true;
}

/**
 * E-11..E-13: ask the approver in an internal comment; remind him on Slack every 24 hours and after the
 * configured number of reminders tell the Support Supervisor. Approval comes from `deskflow approve`,
 * from the approver's comment on the ticket, or from a separate approval ticket. Returns who approved.
 * A continued run passes the reminders sent so far and the next one's time (null: the supervisor was told).
 */
async function requestApproval(
  t: TicketState,
  cs: string,
  form: Form,
  resumed?: { reminders: number; next: Date | null },
): Promise<string | null> {
  const { roles, sla } = t.settings;
  const approver = roles.onboardingApprover;
  const strict = strictApprovals();
  if (!resumed) {
    const early = t.approvalTicket;
    if (strict && early?.approves && sameEmail(early.by, approver)) {
      // E-13: approved before configuration was complete; recorded then, acted on now (E-10 reached).
      await internalNote(
        t,
        'E-13',
        `Configuration for ${form.installerName} is complete; the approval given earlier by ${approver} (${early.key === t.key ? 'in a comment on this ticket' : `in ${early.key}`}) is acted on now.`,
      );
      return approver;
    }
    await internalNote(
      t,
      'E-11',
      `[~${approver}] Configuration for ${form.installerName} is complete (not live yet). ${APPROVAL_QUESTION} Reply here or run: deskflow approve ${t.key}`,
    );
  }
  const every = parseIsoDuration(sla.approvalReminderEvery);
  let reminders = resumed?.reminders ?? 0;
  // A continued run (asked in an earlier run) waits until the same instant: the reminders keep their rhythm.
  let next = resumed ? resumed.next : new Date(Date.now() + every);
  for (;;) {
    if (t.approvalTicket && strict) {
      const a = t.approvalTicket;
      t.approvalTicket = null;
      if (!sameEmail(a.by, approver)) {
        await internalNote(
          t,
          'E-13',
          `Ticket ${a.key} from ${a.by ?? 'someone'} is about this approval, but only ${approver} can approve. Still waiting.`,
        );
      } else if (a.approves) {
        await internalNote(
          t,
          'E-13',
          `Approval received as a separate ticket ${a.key} from ${a.by}, closed as a duplicate of this one.`,
        );
        return approver;
      } else {
        await notAnApproval(t, a.key, a.by, a.body);
      }
    } else if (t.approvalTicket) {
      const a = t.approvalTicket;
      if ((!a.by || sameEmail(a.by, approver)) && DECLINES.test(a.body)) {
        // "Not approved yet", "hold off": about this onboarding, but no approval. A person reads it.
        t.approvalTicket = null;
        await internalNote(
          t,
          'E-13',
          `Ticket ${a.key}${a.by ? ` from ${a.by}` : ''} is about this onboarding but does not read as an approval; it was closed as a duplicate of this one. Its text: "${a.body.trim().slice(0, 500)}". Still waiting; if it is an approval, run: deskflow approve ${t.key} --by ${approver}`,
        );
      } else if (!a.by || sameEmail(a.by, approver)) {
        await internalNote(
          t,
          'E-13',
          `Approval received as a separate ticket ${a.key}${a.by ? ` from ${a.by}` : ''}, closed as a duplicate of this one.`,
        );
        return a.by ?? approver;
      } else {
        t.approvalTicket = null;
        await internalNote(
          t,
          'E-13',
          `Ticket ${a.key} from ${a.by} looks like an approval, but only ${approver} can approve. Still waiting.`,
        );
      }
    }
    const stillWaiting = reminders > sla.approvalRemindersBeforeEscalation;
    const wake = await onboardingWait(
      t,
      'onboarding-awaiting-approval',
      `${approver} to approve pushing ${form.installerName} live`,
      {
        until: stillWaiting ? null : next,
        customer: true,
        approvalTicket: true,
        // A config-complete accepted just before the wait moved on (e.g. while the CS status change was
        // being handled) is taken here, so it does not stay queued and block every later command.
        commands: ['approve', 'approval-refused', 'config-complete'],
        ...parked({ at: 'onboarding', wait: 'approval', cs, reminders }),
      },
    );
    if (wake === null) return null;
    if (wake.kind === 'timeout') {
      reminders++;
      if (reminders <= sla.approvalRemindersBeforeEscalation) {
        await slack(
          t,
          'E-12',
          approver,
          `Reminder ${reminders}: is ${form.installerName} (${t.key}) approved to push live? Reply on the ticket.`,
        );
      } else {
        await slack(
          t,
          'E-12',
          roles.supportSupervisor,
          `${t.key}: ${approver} has not approved pushing ${form.installerName} live after ${reminders - 1} reminders. Please follow up.`,
        );
      }
      next = new Date(Date.now() + every);
      continue;
    }
    if (wake.kind === 'command') {
      const c = wake.command;
      if (c.kind === 'config-complete') {
        t.log('E-10', `Config complete reported again${c.by ? ` by ${c.by}` : ''}: already recorded, nothing changes`);
        continue;
      }
      if (c.kind === 'approve') {
        await internalNote(
          t,
          'E-13',
          `Approved to push live${c.by ? ` by ${c.by}` : ''}${c.note ? `: ${c.note}` : ''}.`,
        );
        return c.by ?? approver;
      }
      await internalNote(t, 'E-13', `An approval by ${c.by} was refused: only ${approver} can approve pushing live.`);
      continue;
    }
    if (wake.kind === 'customer' && strict) {
      const reply = t.lastCustomerReply;
      if (!reply) continue;
      const author = await authorOf(reply);
      if (sameEmail(author, approver) && readApproval(reply.body).approves) {
        await internalNote(t, 'E-13', `Approved to push live by ${approver} in a comment on the ticket.`);
        return approver;
      }
      if (!fromOnboardingTeam(t, author)) {
        await escalateOnboarding(t, {
          kind: 'escalate',
          note: `message from ${author ?? 'a customer'}: ${reply.body}`,
        });
      } else {
        await teamWrote(t, `waiting for ${approver} to approve pushing ${form.installerName} live; not an approval`);
      }
      continue;
    }
    if (wake.kind === 'customer') {
      const reply = t.lastCustomerReply;
      const author = reply && (await authorOf(reply));
      if (reply && sameEmail(author, approver) && APPROVES.test(reply.body) && !DECLINES.test(reply.body)) {
        await internalNote(t, 'E-13', `Approved to push live by ${approver} in a comment on the ticket.`);
        return approver;
      }
    }
  }
}

/** E-14: the CS ticket goes back to To Do, with the request to push the products live. */
async function pushLive(t: TicketState, cs: string, form: Form, approvedBy: string): Promise<void> {
  const { jira: j } = t.settings;
  await transition(t, 'E-14', j.statuses.toDo, undefined, cs);
  t.recordLinked({ key: cs, project: j.csProject, status: j.statuses.toDo, from: null, by: null });
  await internalNote(
    t,
    'E-14',
    `Approved by ${approvedBy}: please push the products live for ${form.installerName} (${t.key}).`,
    cs,
  );
}

/** E-15 (first half): wait until the config team marks the CS ticket done. */
async function awaitLive(t: TicketState, cs: string, form: Form): Promise<boolean> {
  const { jira: j } = t.settings;
  while (t.linked.get(cs)?.status !== j.statuses.done) {
    const wake = await onboardingWait(
      t,
      'onboarding-awaiting-go-live',
      `the config team to push ${form.installerName} live (${cs} Done)`,
      // Approvals accepted while the first one was being carried out change nothing, but are taken
      // so that they do not stay queued; an attempt by someone else is still noted (E-13).
      {
        linked: true,
        commands: ['approve', 'approval-refused'],
        ...parked({ at: 'onboarding', wait: 'go-live', cs, reminders: 0 }),
      },
    );
    if (wake === null) return false;
    if (wake.kind === 'command') {
      const c = wake.command;
      if (c.kind === 'approval-refused') {
        await internalNote(
          t,
          'E-13',
          `An approval by ${c.by} was refused: only ${t.settings.roles.onboardingApprover} can approve pushing live.`,
        );
      } else {
        t.log('E-13', `Approval${c.by ? ` by ${c.by}` : ''} arrived again: already approved, nothing changes`);
      }
    }
  }
  return true;
}

/** E-15: tell the approver, add the closing participants, reply with the template, close at once. */
async function closeOnboarding(t: TicketState, form: Form): Promise<void> {
  const { roles, templates, jira: j } = t.settings;
  await internalNote(
    t,
    'E-15',
    `[~${roles.onboardingApprover}] ${form.installerName} is complete and the products are live.`,
  );
  await jira.addRequestParticipants({
    key: t.key,
    emails: roles.onboardingClosingParticipants.filter((p) => !sameEmail(p, form.installerContactEmail)),
  });
  await closeTicket(
    t,
    'E-15',
    j.resolutions.done,
    fillTemplate(templates.onboardingComplete ?? '', { key: t.key, accountManager: form.accountManagerName }),
  );
}

/**
 * Every onboarding wait: also takes `escalate` (E-16) and a message from the installer (E-16: customer
 * communication is needed) without leaving the stage. Returns null if the ticket closed meanwhile.
 */
async function onboardingWait(t: TicketState, stage: Stage, waitingFor: string, o: WaitOptions): Promise<Wake | null> {
  for (;;) {
    if (t.closed) return null;
    t.setStage(stage, waitingFor, o.until ?? null);
    // E-13: before the approval is asked for, an approval ticket is noted when it arrives (acted on at E-10).
    const beforeApproval = PRE_APPROVAL.includes(stage) && !t.earlyApprovalNoted && strictApprovals();
    const wake = await waitFor(t, {
      ...o,
      customer: true,
      approvalTicket: o.approvalTicket || beforeApproval,
      commands: [...(o.commands ?? []), 'escalate'],
    });
    if (wake.kind === 'command' && wake.command.kind === 'escalate') {
      await escalateOnboarding(t, wake.command);
      continue;
    }
    if (wake.kind === 'approval-ticket' && !o.approvalTicket) {
      await earlyApproval(t);
      continue;
    }
    if (wake.kind === 'customer' && !o.customer) {
      const reply = t.lastCustomerReply;
      const author = reply && (await authorOf(reply));
      const fromTeam = reply && fromOnboardingTeam(t, author);
      if (reply && !fromTeam)
        await escalateOnboarding(t, {
          kind: 'escalate',
          note: `message from ${reply.author ?? 'a customer'}: ${reply.body}`,
        });
      else if (reply && repliesReachSomeone()) await teamReplied(t, stage, waitingFor);
      continue;
    }
    return wake;
  }
}

/** The onboarding stages before E-11 asks for the approval. */
const PRE_APPROVAL: Stage[] = [
  'onboarding-awaiting-form',
  'onboarding-awaiting-cs-ticket',
  'onboarding-awaiting-config',
];

function fromOnboardingTeam(t: TicketState, author: string | null): boolean {
  const { roles } = t.settings;
  return [...roles.onboardingTeam, roles.onboardingApprover].some((m) => sameEmail(m, author));
}

/**
 * The onboarding team or the approver wrote on the ticket during a wait: an approval before
 * configuration is complete is recorded (E-13, acted on at E-10); anything else reaches the assignee.
 */
async function teamReplied(t: TicketState, stage: Stage, waitingFor: string): Promise<void> {
  const reply = t.lastCustomerReply;
  const approver = t.settings.roles.onboardingApprover;
  if (
    reply &&
    PRE_APPROVAL.includes(stage) &&
    sameEmail(reply.author, approver) &&
    readApproval(reply.body).approves &&
    strictApprovals()
  ) {
    t.approvalTicket ??= { key: t.key, by: approver, body: reply.body, approves: true };
    await earlyApproval(t);
    return;
  }
  await teamWrote(t, waitingFor);
}

async function teamWrote(t: TicketState, waitingFor: string): Promise<void> {
  await tellAssignee(
    t,
    'R-20',
    `${t.key} (EverBright onboarding, ${waitingFor}): the onboarding team wrote on the ticket.`,
  );
}

/** E-13 before E-10: an approval is recorded and acted on once configuration is complete; anything else is told. */
async function earlyApproval(t: TicketState): Promise<void> {
  const a = t.approvalTicket;
  if (!a) return;
  const approver = t.settings.roles.onboardingApprover;
  if (a.approves && sameEmail(a.by, approver)) {
    t.earlyApprovalNoted = true;
    await internalNote(
      t,
      'E-13',
      `Approval by ${approver} received ${a.key === t.key ? 'in a comment' : `as a separate ticket ${a.key}`} before configuration is complete: recorded; it is acted on when the config team is done (E-10), not before.`,
    );
    return;
  }
  t.approvalTicket = null;
  if (!sameEmail(a.by, approver)) {
    await internalNote(
      t,
      'E-13',
      `Ticket ${a.key} from ${a.by ?? 'someone'} is about this onboarding's approval, but only ${approver} can approve.`,
    );
    return;
  }
  await notAnApproval(t, a.key, a.by, a.body);
}

/** E-13: a separate ticket about this onboarding that does not state an approval (a question, a condition). */
async function notAnApproval(t: TicketState, key: string, by: string | null, body: string): Promise<void> {
  const approver = t.settings.roles.onboardingApprover;
  const text = `Ticket ${key}${by ? ` from ${by}` : ''} is about this onboarding but does not read as an approval; it was closed as a duplicate of this one. Its text: "${body.trim().slice(0, 500)}". If it is an approval, run: deskflow approve ${t.key} --by ${approver}`;
  await internalNote(t, 'E-13', text);
  await slack(t, 'E-13', t.assignee ?? t.settings.roles.supportChannel, `${t.key}: ${text}`);
}

/** E-16: customer communication is needed — tag the account manager and the approver, priority High. */
async function escalateOnboarding(t: TicketState, c: Command & { kind: 'escalate' }): Promise<void> {
  const { roles } = t.settings;
  const issue = await jira.readIssue({ key: t.key });
  const am =
    t.onboardingForm?.accountManagerEmail ??
    parseOnboardingForm(issue.description).accountManagerEmail ??
    roles.defaultAccountManager;
  await internalNote(
    t,
    'E-16',
    `[~${am}] [~${roles.onboardingApprover}] Customer communication is needed${c.by ? ` (escalated by ${c.by})` : ''}${c.note ? `: ${c.note}` : ''}. Escalated to the account manager.`,
  );
  await jira.updateIssueFields({ key: t.key, priority: 'High' });
  if (completeSteps() && !sameEmail(t.assignee, am)) {
    // E-16: "escalate the ticket to the account manager": they become the assignee (support stays watcher).
    const previous = t.assignee;
    try {
      await assign(t, 'E-16', am);
      if (previous) await jira.addWatchers({ key: t.key, emails: [previous] });
    } catch (err) {
      t.log('E-16', `Could not assign ${t.key} to ${am}: ${String(err)}; it stays with ${previous ?? 'nobody'}`);
    }
  }
  const reached = await slack(
    t,
    'E-16',
    am,
    `${t.key} (EverBright onboarding) needs you: customer communication is needed${c.note ? ` — ${c.note}` : ''}.`,
  );
  // The account manager must hear of it: when Slack cannot reach them, a person in support takes over.
  if (!reached) {
    await slack(
      t,
      'E-16',
      roles.supportChannel,
      `${t.key} (EverBright onboarding) was escalated, but the account manager ${am} could not be reached on Slack. Please contact them directly${c.note ? ` — ${c.note}` : ''}.`,
    );
  }
}
