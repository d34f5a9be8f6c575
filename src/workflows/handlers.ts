/**
 * Message handlers, registered before the workflow's first await. Signals only record events; agent
 * commands are updates whose validators refuse, with the reason and no change, a command that does
 * not fit the ticket's current stage.
 */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import {
  approvalTicketSignal,
  approveUpdate,
  classifyUpdate,
  commentAddedSignal,
  configCompleteUpdate,
  confirmUpdate,
  escalateBugUpdate,
  escalateUpdate,
  leadContactedUpdate,
  linkedIssueChangedSignal,
  needsInputUpdate,
  resolveUpdate,
  statusQuery,
  ticketCreatedSignal,
  ticketEditedSignal,
  type CommandResult,
  type NoteInput,
  type Stage,
} from './messages';
import type { Command, TicketState } from './state';
import { sameEmail } from './templates';
import { taken } from './patches';

/** Error type of every refused command: the CLI shows the message as the reason. */
export const ERR_INVALID_COMMAND = 'ERR_INVALID_COMMAND';

const AGENT_STAGES: Stage[] = [
  'with-support',
  'awaiting-customer',
  'awaiting-confirmation',
  'awaiting-cs',
  'awaiting-bug-fix',
  'awaiting-training-booking',
  'needs-supervisor',
];

function refuse(message: string): never {
  throw ApplicationFailure.create({ type: ERR_INVALID_COMMAND, message, nonRetryable: true });
}

function requireOpen(t: TicketState): void {
  if (t.closed || t.stage === 'closed') refuse(`${t.key} is closed`);
  if (t.stage === 'starting') refuse(`${t.key} is still being set up; try again in a moment`);
}

function requireStage(t: TicketState, command: string, allowed: Stage[]): void {
  requireOpen(t);
  if (!allowed.includes(t.stage)) {
    refuse(`${command} does not apply to ${t.key} now: it is ${t.stage}, waiting for ${t.waitingFor}`);
  }
  if (t.commands.length) refuse(`${t.key} is still carrying out "${t.commands[0]?.kind}"; try again in a moment`);
}

function requireText(value: string | undefined, what: string): void {
  if (!value || !value.trim()) refuse(`${what} is required`);
}

function accept(t: TicketState, command: Command, message: string): CommandResult {
  t.commands.push({ ...command, acceptedIn: t.stage });
  t.log('agent', `${command.kind}${command.by ? ` by ${command.by}` : ''} accepted`);
  return { message, stage: t.stage };
}

/**
 * The customer-facing question an agent last sent (resolve asks to confirm, needs-input asks for
 * input) and how many customer replies there were then: the same command again before the customer
 * answered would post the same comment twice, so it needs `--again`.
 */
interface LastAsk {
  kind: 'resolve' | 'needs-input';
  stage: Stage;
  customerReplies: number;
  by?: string;
}

function refuseRepeat(t: TicketState, last: LastAsk | null, kind: LastAsk['kind'], again?: boolean): void {
  if (again || !last || last.kind !== kind) return;
  if (t.stage !== last.stage || t.customerReplies !== last.customerReplies) return;
  const asked = kind === 'resolve' ? 'asked to confirm the resolution' : 'asked for input';
  refuse(
    `${t.key}: the customer was already ${asked}${last.by ? ` (by ${last.by})` : ''} and has not answered; nothing was posted. Use --again to post it once more`,
  );
}

export function registerHandlers(t: TicketState): void {
  setHandler(statusQuery, () => t.status());
  let lastAsk: LastAsk | null = null;
  const STAGE_AFTER: Record<LastAsk['kind'], Stage> = {
    resolve: 'awaiting-confirmation',
    'needs-input': 'awaiting-customer',
  };
  const remember = (kind: LastAsk['kind'], by?: string) => {
    lastAsk = { kind, stage: STAGE_AFTER[kind], customerReplies: t.customerReplies, by };
  };

  setHandler(ticketCreatedSignal, (e) => {
    t.created ??= e;
  });
  setHandler(commentAddedSignal, (e) => {
    if (t.recordComment(e))
      t.log(
        e.byStaff ? 'S-01' : 'S-14',
        `${e.authorKind === 'app' ? 'App' : e.byStaff ? 'Staff' : 'Customer'} ${e.public ? 'public comment' : 'internal note'} by ${e.author ?? e.authorAccountId ?? 'unknown'}`,
      );
  });
  setHandler(linkedIssueChangedSignal, (e) => {
    t.recordLinked(e);
  });
  setHandler(ticketEditedSignal, (e) => {
    if (e.status) {
      t.closedInJira ??= { status: e.status, by: e.by };
      return;
    }
    // Reassigned in Jira: S-13 reminders and the TicketAssignee search attribute follow (issue 9).
    if (e.assignee !== undefined && taken('follow-jira-assignee')) {
      if (e.assignee !== t.assignee) {
        t.setAssignee(e.assignee);
        t.log('S-02', `Assigned in Jira to ${e.assignee ?? 'nobody'} by ${e.by ?? 'someone'}`);
      }
      if (e.fields.every((f) => f === 'assignee')) return;
    }
    t.edits++;
    t.log('E-02', `Ticket edited (${e.fields.join(', ')}) by ${e.by ?? 'unknown'}`);
  });
  setHandler(approvalTicketSignal, (e) => {
    t.approvalTicket ??= e;
  });

  setHandler(
    resolveUpdate,
    ({ note, by }) => {
      remember('resolve', by);
      return accept(
        t,
        { kind: 'resolve', note: note ?? '', by },
        `${t.key}: the customer is asked to confirm; the ticket closes after ${t.settings.sla.closeAfterBusinessDays} business day(s) without an answer (S-15)`,
      );
    },
    {
      validator: ({ note, again }) => {
        requireStage(t, 'resolve', AGENT_STAGES);
        refuseRepeat(t, lastAsk, 'resolve', again);
        requireText(note, '--note (what was done, for the customer)');
      },
    },
  );
  setHandler(
    needsInputUpdate,
    ({ question, by }) => {
      remember('needs-input', by);
      return accept(
        t,
        { kind: 'needs-input', question, by },
        `${t.key}: the question goes to the customer; ${t.settings.sla.unansweredAttempts} unanswered attempts close the ticket (S-16)`,
      );
    },
    {
      validator: ({ question, again }) => {
        requireStage(t, 'needs-input', AGENT_STAGES);
        refuseRepeat(t, lastAsk, 'needs-input', again);
        requireText(question, '--question');
      },
    },
  );
  setHandler(
    confirmUpdate,
    ({ note, by }) =>
      accept(t, { kind: 'confirm', note: note ?? '', by }, `${t.key}: closing as confirmed by the customer (S-14)`),
    { validator: (_: NoteInput) => requireStage(t, 'confirm', [...AGENT_STAGES, 'awaiting-sales-contact']) },
  );
  setHandler(
    leadContactedUpdate,
    ({ note, by }) =>
      accept(
        t,
        { kind: 'lead-contacted', note: note ?? '', by },
        `${t.key}: contact noted; closing the sales lead (R-04)`,
      ),
    {
      validator: ({ note }) => {
        requireStage(t, 'lead-contacted', ['awaiting-sales-contact']);
        requireText(note, '--note (how the lead was contacted)');
      },
    },
  );
  setHandler(
    escalateBugUpdate,
    ({ steps, by }) =>
      accept(t, { kind: 'escalate-bug', steps, by }, `${t.key}: creating the linked bug ticket (R-05)`),
    {
      validator: ({ steps }) => {
        requireStage(t, 'escalate-bug', ['with-support', 'awaiting-customer', 'awaiting-confirmation']);
        if (t.route !== 'tech.bug') refuse(`escalate-bug applies to technical support tickets; ${t.key} is ${t.route}`);
        requireText(steps, '--steps (steps to reproduce)');
      },
    },
  );
  setHandler(
    escalateUpdate,
    ({ note, by }) => accept(t, { kind: 'escalate', note: note ?? '', by }, `${t.key}: escalating (priority High)`),
    {
      validator: (_: NoteInput) =>
        requireStage(t, 'escalate', [
          ...AGENT_STAGES,
          'awaiting-sales-contact',
          'onboarding-awaiting-form',
          'onboarding-awaiting-cs-ticket',
          'onboarding-awaiting-config',
          'onboarding-awaiting-approval',
          'onboarding-awaiting-go-live',
        ]),
    },
  );
  setHandler(
    configCompleteUpdate,
    ({ note, by }) =>
      accept(
        t,
        { kind: 'config-complete', note: note ?? '', by },
        `${t.key}: configuration complete; asking the approver (E-10, E-11)`,
      ),
    {
      validator: (_: NoteInput) => {
        if (['onboarding-awaiting-approval', 'onboarding-awaiting-go-live'].includes(t.stage)) {
          refuse(`configuration complete was already recorded for ${t.key}; nothing changed`);
        }
        requireStage(t, 'config-complete', ['onboarding-awaiting-config']);
      },
    },
  );
  setHandler(
    approveUpdate,
    ({ note, by, onBehalfOf }) => {
      const approver = t.settings.roles.onboardingApprover;
      if (by && onBehalfOf && sameEmail(onBehalfOf, approver) && note?.trim()) {
        // A staff member records the approver's approval (given by phone, in a meeting): the
        // approval is the approver's, and the note says who recorded it.
        return accept(
          t,
          { kind: 'approve', note: `${note} (recorded by ${by} for ${approver})`, by: approver },
          `${t.key}: approval by ${approver} recorded by ${by}; asking the config team to push the products live (E-14)`,
        );
      }
      if (by && !sameEmail(by, approver)) {
        // Accepted only to leave a trace on the ticket (E-13): the approval itself is refused.
        t.commands.push({ kind: 'approval-refused', note: note ?? '', by });
        refuse(
          `only ${t.settings.roles.onboardingApprover} can approve ${t.key}; the attempt by ${by} is noted on the ticket`,
        );
      }
      return accept(
        t,
        { kind: 'approve', note: note ?? '', by },
        `${t.key}: approved; asking the config team to push the products live (E-14)`,
      );
    },
    {
      validator: (_: NoteInput) => {
        if (t.stage === 'onboarding-awaiting-go-live') refuse(`${t.key} is already approved; nothing changed`);
        requireStage(t, 'approve', ['onboarding-awaiting-approval']);
      },
    },
  );
  setHandler(
    classifyUpdate,
    ({ route, by }) => {
      t.rerouteTo = { route, by };
      t.log('S-03', `Agent ${by ?? ''} classified as ${route}`.replace('  ', ' '));
      return { message: `${t.key}: route set to ${route}`, stage: t.stage };
    },
    {
      validator: ({ route }) => {
        requireOpen(t);
        if (!t.settings.routes[route])
          refuse(`unknown route "${route}"; known routes: ${Object.keys(t.settings.routes).join(', ')}`);
        if (route === t.route && t.stage !== 'awaiting-triage') refuse(`${t.key} is already routed as ${route}`);
        if (t.stage.startsWith('onboarding-')) refuse(`${t.key} is in the onboarding flow; it cannot be re-routed`);
      },
    },
  );
}
