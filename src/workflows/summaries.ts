/**
 * What the Temporal Web UI shows next to each activity and timer of a ticket's history: the SOP step it
 * serves and why ("S-15 close after one business day without an answer: move SS-12 to Closed"), instead
 * of a bare "addComment" or "5 (2d)". Only metadata: the commands stay the same, so recorded histories
 * replay unchanged.
 */
import type { Stage } from './messages';

/** One line per SOP step of /work/shared/design/ROUTING.md: what the step is for. */
export const STEP_PURPOSES: Readonly<Record<string, string>> = {
  'S-01': 'first response within the SLA',
  'S-02': 'assign the on-duty agent',
  'S-03': 'classify the request',
  'S-04': 'set the request type',
  'S-05': 'make the customer the reporter',
  'S-06': 'staff become watchers, not participants',
  'S-07': 'complete the organization',
  'S-08': "add the route's watchers",
  'S-09': 'assign per route',
  'S-10': 'tell the customer the next steps',
  'S-11': 'back to Awaiting Support after an acknowledgement',
  'S-12': 'handle the ticket by its route',
  'S-13': 'follow up regularly',
  'S-14': 'close when the customer confirms',
  'S-15': 'close after one business day without an answer',
  'S-16': 'close after the unanswered requests for input',
  'S-17': 'mirror Slack in an internal note',
  'R-02': 'hand the financier question to Ops',
  'R-04': 'hand the lead to sales',
  'R-05': 'file the bug in DEV',
  'R-07': 'collect the documents and open a CS ticket',
  'R-17': 'hand it to the Tesla/Sunlight owner',
  'R-19': 'hand it to the integrations owner',
  'R-22': 'book the training',
  'R-23': 'transfer to the account owner',
  'R-24': 'record the idea in Aha!',
  'R-25': 'close the non-platform request',
  'E-01': "only the onboarding team's tickets",
  'E-02': 'read the onboarding form',
  'E-03': 'organization is the installer',
  'E-04': 'watch: the account manager and the approver',
  'E-05': 'reporter is the onboarding team',
  'E-06': 'set the onboarding request type',
  'E-07': 'add the onboarding participants',
  'E-08': 'ask for configuration: the CS ticket',
  'E-09': 'set up the CS ticket',
  'E-10': 'wait for the configuration',
  'E-11': 'ask the approver',
  'E-12': 'remind the approver on Slack',
  'E-13': 'the approval',
  'E-14': 'ask the config team to push live',
  'E-15': 'tell everyone it is live and close',
  'E-16': 'escalate to a person',
  'E-17': 'installers are never copied',
};

/** "S-15 close after one business day without an answer[: action]"; an unknown step shows its id. */
export function stepSummary(step: string, action?: string): string {
  const purpose = STEP_PURPOSES[step];
  const head = purpose ? `${step} ${purpose}` : step;
  return oneLine(action ? `${head}: ${action}` : head);
}

/** The step a wait in this stage serves, for the timer's summary. */
const STAGE_STEPS: Partial<Record<Stage, string>> = {
  'awaiting-triage': 'S-03',
  'with-support': 'S-13',
  'awaiting-customer': 'S-16',
  'awaiting-confirmation': 'S-15',
  'awaiting-sales-contact': 'R-04',
  'awaiting-cs': 'S-13',
  'awaiting-bug-fix': 'S-13',
  'awaiting-training-booking': 'R-22',
  'onboarding-awaiting-form': 'E-02',
  'onboarding-awaiting-cs-ticket': 'E-08',
  'onboarding-awaiting-config': 'E-10',
  'onboarding-awaiting-approval': 'E-12',
  'onboarding-awaiting-go-live': 'E-15',
  'needs-supervisor': 'E-16',
};

/** A wait's timer: "S-16 close after the unanswered requests for input: until then, wait for the customer's answer…". */
export function waitSummary(stage: Stage, waitingFor: string): string {
  const step = STAGE_STEPS[stage];
  const action = `wait for ${waitingFor}`;
  return step ? stepSummary(step, action) : oneLine(`${stage}: ${action}`);
}

/** The step an idempotency key names: `<workflow id>/<run id>/<step>:<kind>:<target>/<n>`. */
function stepOfOpKey(opKey: unknown): string | undefined {
  return typeof opKey === 'string' ? /\/([A-Z]-\d{2}):/.exec(opKey)?.[1] : undefined;
}

type Input = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null ? 'nobody' : '');
const list = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(', ') : '');

/** updateIssueFields: the step follows from the fields it sets. */
function fieldsSummary(i: Input): string {
  const key = text(i.key);
  if (i.needsConfiguration !== undefined) return stepSummary('E-08', `${key} needs configuration`);
  if (i.components !== undefined || i.epic !== undefined || i.qaAssignee !== undefined) {
    return stepSummary('E-09', `components, epic and QA assignee on ${key}`);
  }
  if (i.priority !== undefined) return stepSummary('E-16', `${key} priority ${text(i.priority)}`);
  if (Array.isArray(i.addLabels) && i.addLabels.includes('sales-lead')) return stepSummary('R-04', `label ${key}`);
  if (i.reporter === null) return stepSummary('R-25', `${key} anonymous, organization ${text(i.organization)}`);
  const parts: string[] = [];
  if (i.requestType !== undefined) parts.push(stepSummary('S-04', text(i.requestType)));
  if (i.reporter !== undefined) parts.push(stepSummary('S-05', text(i.reporter)));
  if (i.organization !== undefined) parts.push(stepSummary('S-07', text(i.organization)));
  if (Array.isArray(i.addLabels)) parts.push(`labels ${list(i.addLabels)}`);
  return oneLine(parts.length ? `${parts.join('; ')} (${key})` : `update fields of ${key}`);
}

/**
 * The summary of an activity call named only by its input (where the caller gave none): the step its
 * idempotency key names, else the one its fields imply, and what it does to which issue.
 */
export function activitySummary(name: string, input: unknown): string {
  const i = (input && typeof input === 'object' ? input : {}) as Input;
  const key = text(i.key);
  const step = stepOfOpKey(i.opKey);
  const withStep = (action: string) => (step ? stepSummary(step, action) : oneLine(action));
  switch (name) {
    case 'addComment':
      return withStep(`${i.public ? 'reply to the customer' : 'internal note'} on ${key}`);
    case 'postSlackMessage':
      return withStep(`Slack ${text(i.to)} about ${text(i.ticketKey)}`);
    case 'updateIssueFields':
      return fieldsSummary(i);
    case 'readIssue':
      return oneLine(`read ${key} from Jira`);
    case 'assignIssue':
      return oneLine(`assign ${key} to ${text(i.assignee)}`);
    case 'addWatchers':
      return oneLine(`add watchers to ${key}: ${list(i.emails)}`);
    case 'addRequestParticipants':
      return oneLine(`add request participants to ${key}: ${list(i.emails)}`);
    case 'removeRequestParticipants':
      return oneLine(`remove request participants from ${key}: ${list(i.emails)}`);
    case 'transitionIssue':
      return oneLine(`move ${key} to ${text(i.to)}${i.resolution ? ` (${text(i.resolution)})` : ''}`);
    case 'createLinkedIssue':
      return withStep(`open the linked ${text(i.project)} ${text(i.issueType)} for ${text(i.linkTo)}`);
    case 'linkIssues':
      return stepSummary('E-13', `link ${text(i.from)} to ${text(i.to)} as ${text(i.type)}`);
    case 'copyAttachments':
      return stepSummary('R-07', `attach ${text(i.from)}'s documents to ${text(i.to)}: ${list(i.filenames)}`);
    case 'countOpenIssuesByAssignee':
      return oneLine(`count open ${text(i.project)} issues per assignee (least loaded assignee)`);
    case 'searchIssues':
      return stepSummary('E-13', 'find the onboarding this approval is about');
    case 'lookupAccount':
      return oneLine(`look up the e-mail of Jira account ${text(i.accountId)}`);
    case 'findUserByEmail':
      return oneLine(`find the Jira user ${text(i.email)}`);
    case 'createAhaIdea':
      return stepSummary('R-24', `idea for ${text(i.ticketKey)}`);
    case 'loadWorkflowSettings':
      return 'load the configuration and business calendar';
    case 'classifyTicket':
      return stepSummary('S-03', 'classify summary, description and reporter');
    default:
      return oneLine(`${name}${key ? ` ${key}` : ''}`);
  }
}

/** Summaries are single lines; long ones are cut. */
function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
