/**
 * S-02..S-11: what happens to every ticket before its route takes over — assignment, classification,
 * the request type, reporter, participants, organization, and the first reply.
 */
import { ActivityFailure, ApplicationFailure, log } from '@temporalio/workflow';
import { parseForwarded } from '../classification/forwarded';
import { jira, local } from './activities';
import type { TicketCreatedEvent } from './messages';
import { tellAssignee } from './closing';
import {
  acknowledgeBeforeOrganizationNote,
  completeSteps,
  csRouteFirstReply,
  repliesReachSomeone,
  taken,
} from './patches';
import { CS_ROUTES } from './routes/cs-ticket';
import { assign, internalNote, publicComment, slack, transition } from './steps';
import type { TicketState } from './state';
import { emailDomain, fillTemplate, isInternal, sameEmail } from './templates';
import { Rerouted, waitFor } from './waiting';

/** Routes that answer the customer with their own first reply instead of the acknowledgement (S-10). */
const OWN_FIRST_REPLY = new Set(['sales.lead', 'project.legal_contact', 'project.training', 'feature_request']);
/** Routes that set reporter, participants and organization themselves (R-20, R-25). */
const OWN_TICKET_FIELDS = new Set(['onboarding.everbright', 'non_platform']);

/** S-02: the on-duty agent with the fewest open tickets (ties go to the first listed). */
export async function assignOnDutyAgent(t: TicketState): Promise<void> {
  const agents = t.settings.roles.onDutyAgents;
  const load = await jira.countOpenIssuesByAssignee({ project: t.settings.jira.supportProject, assignees: agents });
  const agent = agents.reduce((best, a) => ((load[a] ?? 0) < (load[best] ?? 0) ? a : best), agents[0] as string);
  await assign(t, 'S-02', agent);
}

/** S-03: classify, and below the confidence threshold wait for an agent's decision. */
export async function classify(t: TicketState, ticket: TicketCreatedEvent): Promise<void> {
  const c = await local.classifyTicket({
    summary: ticket.summary,
    description: ticket.description,
    reporter: ticket.reporter,
  });
  t.setRoute(c.route, c.requestType, c.confidence, c.reasons);
  t.log('S-03', `Classified as ${c.route} (confidence ${c.confidence.toFixed(2)}): ${c.reasons.join('; ')}`);
  if (c.confidence >= t.settings.classificationThreshold && t.rerouteTo === null) return;
  if (t.rerouteTo === null) {
    t.setStage('awaiting-triage', `an agent's classify decision (best guess ${c.route})`);
    await internalNote(
      t,
      'S-03',
      `Needs triage: deskflow is not sure what this ticket is. Best guess: ${c.route} (confidence ${c.confidence.toFixed(2)}; ${c.reasons.join('; ') || 'no rule matched'}). Choose with: deskflow classify ${t.key} --route ROUTE`,
    );
    await slack(
      t,
      'S-03',
      t.settings.roles.supportChannel,
      `${t.key} needs triage: "${ticket.summary}". Best guess ${c.route} (confidence ${c.confidence.toFixed(2)}).`,
    );
    await waitForTriage(t);
  }
  applyAgentRoute(t);
}

/** Waits for `classify`; a customer's message meanwhile reaches the assignee (or the support channel). */
async function waitForTriage(t: TicketState): Promise<void> {
  const listen = repliesReachSomeone();
  while (t.rerouteTo === null) {
    try {
      const wake = await waitFor(t, { commands: [], customer: listen });
      if (wake.kind === 'customer') {
        await tellAssignee(
          t,
          'S-03',
          `${t.key} is waiting for triage (deskflow classify) and the customer wrote again.`,
        );
      }
    } catch (err) {
      if (!(err instanceof Rerouted)) throw err; // Rerouted: the decision arrived.
    }
  }
}

/** Takes the route an agent chose with `classify`. */
export function applyAgentRoute(t: TicketState): void {
  const choice = t.rerouteTo;
  if (!choice) return;
  t.rerouteTo = null;
  const requestType = t.settings.routes[choice.route]?.requestType ?? t.requestType ?? '';
  t.setRoute(choice.route, requestType, 1, [`chosen by an agent${choice.by ? ` (${choice.by})` : ''}`]);
}

/**
 * S-04..S-08: request type, reporter, participants and watchers, organization. Returns the "Organization
 * unknown" note when it is to be posted after the acknowledgement (S-10), else null.
 */
export async function updateTicketFields(
  t: TicketState,
  ticket: TicketCreatedEvent,
): Promise<(() => Promise<void>) | null> {
  const route = t.route as string;
  await jira.updateIssueFields({ key: t.key, requestType: t.requestType ?? undefined });
  t.log('S-04', `Request type set to ${t.requestType}`);
  if (OWN_TICKET_FIELDS.has(route)) return null;

  const { internalDomains } = t.settings.roles;
  const issue = await jira.readIssue({ key: t.key });
  let reporter = issue.reporter ?? ticket.reporter;
  const watchers: string[] = [];

  // S-05: a ticket forwarded by staff belongs to the original sender.
  if (reporter && isInternal(reporter, internalDomains)) {
    const fwd = parseForwarded(ticket.description, internalDomains);
    if (fwd?.originalSender && !isInternal(fwd.originalSender, internalDomains)) {
      watchers.push(reporter);
      await jira.updateIssueFields({ key: t.key, reporter: fwd.originalSender });
      t.log('S-05', `Reporter changed from ${reporter} (forwarded) to the original sender ${fwd.originalSender}`);
      reporter = fwd.originalSender;
    }
  }
  t.reporter = reporter;

  // S-06: staff are watchers, not request participants.
  const staff = issue.participants.filter((p) => isInternal(p, internalDomains));
  if (staff.length) {
    await jira.removeRequestParticipants({ key: t.key, emails: staff });
    watchers.push(...staff);
    t.log('S-06', `Moved ${staff.join(', ')} from participants to watchers`);
  }
  const newWatchers = watchers.filter((w) => !issue.watchers.some((x) => sameEmail(x, w)));
  if (newWatchers.length) await jira.addWatchers({ key: t.key, emails: newWatchers });

  // S-07: organization from the reporter's domain, else the customer's existing organization.
  const domain = emailDomain(reporter);
  const mapped = domain ? t.settings.domainOrganizations[domain] : undefined;
  if (mapped && mapped !== issue.organization) {
    await jira.updateIssueFields({ key: t.key, organization: mapped });
    t.organization = mapped;
    t.log('S-07', `Organization set to ${mapped}`);
  } else if (issue.organization) {
    t.organization = issue.organization;
  } else if (reporter && completeSteps() && (await organizationFromEarlierTickets(t, reporter))) {
    // S-07: the organization the customer already has in JSM (their earlier tickets).
  } else {
    const note = () =>
      internalNote(
        t,
        'S-07',
        `Organization unknown: no organization is mapped to ${domain ?? 'the reporter'}'s domain. Please set the Organization field.`,
      );
    if (acknowledgeBeforeOrganizationNote()) return note; // the customer hears from us first
    await note();
  }
  await addRouteWatchers(t, issue.watchers);
  return null;
}

/** S-07: the organization on the customer's most recent other ticket that has one; sets it here too. */
async function organizationFromEarlierTickets(t: TicketState, reporter: string): Promise<boolean> {
  const earlier = await jira.searchIssues({
    jql: `project = ${t.settings.jira.supportProject} AND reporter = "${reporter.replace(/"/g, '')}" AND key != ${t.key} ORDER BY created DESC`,
  });
  const organization = earlier.find((i) => !!i.organization)?.organization;
  if (!organization) return false;
  await jira.updateIssueFields({ key: t.key, organization });
  t.organization = organization;
  t.log('S-07', `Organization set to ${organization}, as on the customer's earlier tickets`);
  return true;
}

/** Routes that are about a customer's account: its account manager is kept in the loop (S-08). */
const ACCOUNT_ROUTE = /^(data|config|finance|project)\./;

/** S-08: the account manager of the ticket's organization watches the account routes (not only hand-overs). */
async function addRouteWatchers(t: TicketState, current: string[]): Promise<void> {
  const org = t.organization;
  if (!org || !ACCOUNT_ROUTE.test(t.route ?? '')) return;
  const am = t.settings.accounts[org]?.accountManager;
  if (!am || current.some((w) => sameEmail(w, am)) || !completeSteps()) return;
  await jira.addWatchers({ key: t.key, emails: [am] });
  t.log('S-08', `${am} (account manager of ${org}) added as watcher`);
}

/** S-10, S-11: acknowledge, then hand the ticket back to the support queue ("Awaiting Support"). */
export async function acknowledge(t: TicketState): Promise<void> {
  const route = t.route as string;
  if (OWN_FIRST_REPLY.has(route) || OWN_TICKET_FIELDS.has(route)) return;
  // A CS route's first reply names the next step (the documents it needs, or the CS request): sent by the route.
  if (CS_ROUTES.has(route) && csRouteFirstReply()) return;
  await publicComment(t, 'S-10', fillTemplate(t.settings.templates.acknowledgement ?? '', { key: t.key }));
  await transition(t, 'S-11', t.settings.jira.statuses.waitingForSupport);
}

/** Jira's own answer that the issue does not exist (the activities' ERR_NOT_FOUND, from a 404). */
function isUnknownIssue(err: unknown): boolean {
  return (
    err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'ERR_NOT_FOUND'
  );
}

/**
 * An event for an issue Jira does not know (a forged or mistyped webhook) must not leave a ticket
 * that posts to Slack and alerts the supervisor: check before the first write.
 */
export async function knownToJira(t: TicketState): Promise<boolean> {
  if (!taken('verify-issue-exists')) return true;
  try {
    await jira.readIssue({ key: t.key });
    return true;
  } catch (err) {
    if (isUnknownIssue(err)) return false;
    throw err;
  }
}

/** Ends the run of an issue Jira does not know: one log line, nothing posted anywhere. */
export function endUnknownIssue(t: TicketState): void {
  log.warn(`${t.key} does not exist in Jira: its run ends without acting`, { ticket: t.key });
  t.closed = true;
  t.setStage('closed', 'nothing: Jira does not know this issue');
}

/**
 * The facts of a ticket that was not started by its `issue created` event (e.g. a comment came first);
 * null when Jira does not know the issue.
 */
export async function readTicket(t: TicketState): Promise<TicketCreatedEvent | null> {
  let issue;
  try {
    issue = await jira.readIssue({ key: t.key });
  } catch (err) {
    if (isUnknownIssue(err)) return null;
    throw err;
  }
  return {
    key: issue.key,
    summary: issue.summary,
    description: issue.description,
    reporter: issue.reporter,
    participants: issue.participants,
    created: issue.created,
  };
}
