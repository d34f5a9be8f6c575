/**
 * The ticket workflow's contract: every signal, update and query, with their payloads.
 * The relay, the CLI, the scenario runner and the tests import these definitions; nobody retypes a name.
 * Wire names are the CLI verbs, so `temporal workflow update execute --name resolve` works like `deskflow resolve`.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TicketSnapshot } from './state';

// ---------------------------------------------------------------------------------------------
// Jira events, sent by the relay (always through signalWithStart, so no event is ever lost).
// ---------------------------------------------------------------------------------------------

/** What the `issue created` webhook says about a new SS ticket (also the workflow's start input). */
/**
 * Who acted, from Jira's accountId and accountType (README, "Who acted"): deskflow itself, an app (the
 * desk's automation, integrations), staff, or a customer.
 */
export type ActorKind = 'self' | 'app' | 'staff' | 'customer';

export interface TicketCreatedEvent {
  key: string;
  summary: string;
  description: string;
  /** The reporter's e-mail when known; Jira Cloud's webhooks carry only the account id (below). */
  reporter: string | null;
  /** The reporter's Jira account id: the workflow looks the e-mail up by it when `reporter` is null. */
  reporterAccountId?: string;
  /** The request participants' e-mails where known (the workflow adds those it looks up, below). */
  participants: string[];
  /** Participants named by account id only (Jira Cloud's webhooks): their e-mails are looked up. */
  participantAccountIds?: string[];
  /** ISO timestamp: the first-response SLA (S-01) runs from here. */
  created: string;
}

export interface CommentEvent {
  /** The Jira comment id, used to ignore redelivered webhooks. */
  commentId: string;
  /** The author's e-mail when known; from Jira Cloud's webhooks null (looked up by authorAccountId). */
  author: string | null;
  authorAccountId?: string;
  /** Who wrote it; absent in events recorded before identity came from the account (then byStaff tells). */
  authorKind?: ActorKind;
  body: string;
  public: boolean;
  /** The desk's side wrote it: staff, or an app such as the desk's automation (never a customer). */
  byStaff: boolean;
  created: string;
}

/** A status change of a CS or DEV issue linked to this ticket, or the appearance of a new linked issue. */
export interface LinkedIssueEvent {
  key: string;
  project: string;
  status: string;
  /** The status it left, when known (from the changelog). */
  from: string | null;
  by: string | null;
  /** Its resolution when known (Done, Fixed, Won't Fix, Cannot Reproduce, Duplicate, ...); R-05 reads it. */
  resolution?: string | null;
  /** Who changed it, from Jira Cloud's payloads (their `by` is null: no e-mail). */
  byAccountId?: string;
  byKind?: ActorKind;
  /**
   * When the change happened in Jira (ISO-8601: the webhook's `timestamp`). Jira delivers webhooks late,
   * twice and out of order; an event older than the newest one recorded is ignored. Absent in events
   * recorded before December 2026 and in statuses deskflow read or set itself.
   */
  at?: string;
}

/**
 * The SS ticket itself was edited by someone other than deskflow: a corrected onboarding form (E-02), or
 * the ticket closed by hand in Jira.
 */
export interface TicketEditedEvent {
  fields: string[];
  by: string | null;
  /** Who edited it, from Jira Cloud's payloads (their `by` is null: no e-mail). */
  byAccountId?: string;
  byKind?: ActorKind;
  /** Set when someone moved the ticket to a closing status in Jira. */
  status?: string;
  /** Set when someone (re)assigned the ticket in Jira: the new assignee's e-mail (account id if hidden), null = unassigned. */
  assignee?: string | null;
}

export interface TicketWorkflowInput {
  key: string;
  /** Present when the workflow was started by the `issue created` webhook. */
  created?: TicketCreatedEvent;
  /** Present in a run continued from an earlier one (continue-as-new): the ticket's state and where to resume. */
  carried?: TicketSnapshot;
  /**
   * A customer replied after the ticket's last run closed it: this run reopens it within the reopen window,
   * or answers that a new request is needed (adoption.ts).
   */
  reopen?: boolean;
}

export const ticketCreatedSignal = defineSignal<[TicketCreatedEvent]>('ticket-created');
export const commentAddedSignal = defineSignal<[CommentEvent]>('comment-added');
export const linkedIssueChangedSignal = defineSignal<[LinkedIssueEvent]>('linked-issue-changed');
export const ticketEditedSignal = defineSignal<[TicketEditedEvent]>('ticket-edited');
/**
 * E-13: another ticket turned out to be the approval for this onboarding; sent by that ticket's
 * workflow after it linked and closed itself as a duplicate.
 */
export const approvalTicketSignal = defineSignal<[ApprovalTicketEvent]>('approval-ticket');

export interface ApprovalTicketEvent {
  /** The separate ticket's key (the onboarding ticket's own key for an approval given in a comment). */
  key: string;
  by: string | null;
  body: string;
  /** Set by runs since the E-13 rules (December 2026): whether the text states an approval. */
  approves?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Agent decisions (the deskflow CLI). Updates with validators: an agent learns at once, with
// no change made, when a command does not fit the ticket's stage.
// ---------------------------------------------------------------------------------------------

export interface CommandResult {
  /** One line for the agent: what deskflow did or will do. */
  message: string;
  stage: Stage;
}

export interface NoteInput {
  note?: string;
  by?: string;
  /** resolve: ask the customer to confirm again although they were asked and have not answered. */
  again?: boolean;
  /** approve: the staff member in `by` records the approval of this person (the approver). */
  onBehalfOf?: string;
}

export const resolveUpdate = defineUpdate<CommandResult, [NoteInput]>('resolve');
export const needsInputUpdate = defineUpdate<CommandResult, [{ question: string; by?: string; again?: boolean }]>(
  'needs-input',
);
export const confirmUpdate = defineUpdate<CommandResult, [NoteInput]>('confirm');
export const leadContactedUpdate = defineUpdate<CommandResult, [NoteInput]>('lead-contacted');
export const escalateBugUpdate = defineUpdate<CommandResult, [{ steps: string; by?: string }]>('escalate-bug');
export const classifyUpdate = defineUpdate<CommandResult, [{ route: string; by?: string }]>('classify');
export const escalateUpdate = defineUpdate<CommandResult, [NoteInput]>('escalate');
export const approveUpdate = defineUpdate<CommandResult, [NoteInput]>('approve');
export const configCompleteUpdate = defineUpdate<CommandResult, [NoteInput]>('config-complete');

// ---------------------------------------------------------------------------------------------
// What the workflow tells operators and agents.
// ---------------------------------------------------------------------------------------------

export type Stage =
  | 'starting'
  | 'awaiting-triage'
  | 'with-support'
  | 'awaiting-customer'
  | 'awaiting-confirmation'
  | 'awaiting-sales-contact'
  | 'awaiting-cs'
  | 'awaiting-bug-fix'
  | 'awaiting-training-booking'
  | 'onboarding-awaiting-form'
  | 'onboarding-awaiting-cs-ticket'
  | 'onboarding-awaiting-config'
  | 'onboarding-awaiting-approval'
  | 'onboarding-awaiting-go-live'
  | 'needs-supervisor'
  | 'closed';

export interface TimelineEntry {
  at: string;
  /** SOP step id, e.g. "S-10". */
  step: string;
  text: string;
}

export interface TicketStatus {
  key: string;
  route: string | null;
  requestType: string | null;
  confidence: number | null;
  reasons: string[];
  stage: Stage;
  /** Plain words: what deskflow waits for now. */
  waitingFor: string;
  /** ISO timestamp of the next deadline, if any. */
  until: string | null;
  /** First-response SLA deadline (S-01) while it runs. */
  slaDeadline: string | null;
  firstResponseAt: string | null;
  assignee: string | null;
  linkedIssues: string[];
  timeline: TimelineEntry[];
  /** An accepted agent command is still being carried out (the stage is not yet the one it leads to). */
  busy?: boolean;
}

export const statusQuery = defineQuery<TicketStatus>('status');
