/**
 * One ticket's state, kept in one object and exposed whole through the status query, the run's
 * current details in the Temporal UI and the search attributes.
 */
import { log, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { WorkflowSettings } from '../activities/contract';
import type {
  ApprovalTicketEvent,
  CommentEvent,
  LinkedIssueEvent,
  Stage,
  TicketCreatedEvent,
  TicketStatus,
  TimelineEntry,
} from './messages';
import { formatInstant } from '../shared/instants';
import {
  assigneeAttribute,
  nextDeadlineAttribute,
  routeAttribute,
  slaBreachedAttribute,
  slaDeadlineAttribute,
  stageAttribute,
  ticketKeyAttribute,
} from './search-attributes';
import { ignoreStaleLinkedEvents, taken } from './patches';

/** An agent decision waiting to be carried out by the main flow, with the stage it was accepted in. */
export type Command = CommandBody & { acceptedIn?: Stage };

type CommandBody =
  | { kind: 'resolve'; note: string; by?: string }
  | { kind: 'needs-input'; question: string; by?: string }
  | { kind: 'confirm'; note: string; by?: string }
  | { kind: 'lead-contacted'; note: string; by?: string }
  | { kind: 'escalate-bug'; steps: string; by?: string }
  | { kind: 'escalate'; note: string; by?: string }
  | { kind: 'approve'; note: string; by?: string }
  /** An approval by someone who is not the approver: refused, and noted on the ticket (E-13). */
  | { kind: 'approval-refused'; note: string; by: string }
  | { kind: 'config-complete'; note: string; by?: string };

const TIMELINE_LIMIT = 200;

/**
 * A wait a continued run can pick the procedure up at: the support loop (S-13 reminders), the wait for a
 * linked CS or DEV issue (S-13 status updates), or one of the onboarding's long waits on its CS ticket
 * (E-10 configuration, E-11..E-13 approval with the E-12 reminders sent so far, E-15 go-live), then the
 * route's rest as before.
 */
export type ResumeAt =
  | { at: 'with-support' }
  | { at: 'linked-issue'; key: string; stage: 'awaiting-cs' | 'awaiting-bug-fix'; statusTemplate: string }
  | { at: 'onboarding'; wait: 'config' | 'approval' | 'go-live'; cs: string; reminders: number };

/** The onboarding form as E-02 resolved it: the installer and the EverBright account manager. */
export interface OnboardingContacts {
  installerName: string;
  installerContactEmail: string;
  accountManagerName: string;
  accountManagerEmail: string;
}

/** Where a continued run resumes, and the wait's deadline, so it waits until exactly the same instant. */
export type ResumePoint = ResumeAt & { until: string | null };

/**
 * A ticket's state as plain JSON, handed from one run to the next by continue-as-new: every field of
 * TicketState (Maps and Sets as lists) but the run's own bookkeeping (background work, idempotency counters,
 * which carry the run id anyway).
 */
export interface TicketSnapshot {
  fields: Record<string, unknown>;
  maps: Record<string, [string, unknown][]>;
  sets: Record<string, unknown[]>;
  resume: ResumePoint;
}

/** Fields that belong to one run and are not carried. */
const RUN_ONLY = new Set(['pending', 'opCounters', 'publishedAttributes', 'key']);

export class TicketState {
  settings!: WorkflowSettings;
  created: TicketCreatedEvent | null;
  route: string | null = null;
  requestType: string | null = null;
  confidence: number | null = null;
  reasons: string[] = [];
  stage: Stage = 'starting';
  waitingFor = 'the ticket to be read';
  until: string | null = null;
  slaDeadline: string | null = null;
  firstResponseAt: string | null = null;
  /** Set by the S-01 watcher when the deadline passed without a reply. */
  slaMissed = false;
  assignee: string | null = null;
  reporter: string | null = null;
  organization: string | null = null;
  closed = false;
  timeline: TimelineEntry[] = [];

  /** Agent commands accepted by an update and not yet carried out. */
  readonly commands: Command[] = [];
  /**
   * The command the procedure took from the queue and is carrying out, until its next wait (waitFor):
   * the CLI waits for it to report the stage a command led to. Query-only state: no history event.
   */
  carryingOut: string | null = null;
  /** Route chosen by an agent's `classify` while the ticket was already routed. */
  rerouteTo: { route: string; by?: string } | null = null;

  /** Comment ids already seen: a redelivered webhook changes nothing. */
  private readonly seenComments = new Set<string>();
  customerReplies = 0;
  /** Customer replies a wait has already woken for (patch replies-taken-once). */
  customerRepliesTaken = 0;
  lastCustomerReply: CommentEvent | null = null;
  staffPublicComments = 0;
  edits = 0;
  /** Issues linked to this ticket (CS, DEV) and their last known status. */
  readonly linked = new Map<string, LinkedIssueEvent>();
  linkedEvents = 0;
  approvalTicket: ApprovalTicketEvent | null = null;
  /** R-07/R-08: the documents (attachment names) already passed on to the CS ticket. */
  documents: string[] = [];
  /** S-10: the route's own first reply went out (the generic acknowledgement was not sent). */
  ownFirstReply = false;
  /** E-13: an approval that arrived before configuration was complete has been noted on the ticket. */
  earlyApprovalNoted = false;
  /**
   * E-02: the onboarding form the ticket resolved to, carried to a continued run with the rest (snapshots
   * from before it was kept here lack it: null, and E-16 reads the account manager from the description).
   */
  onboardingForm: OnboardingContacts | null = null;
  /** Someone closed the ticket by hand in Jira: deskflow stops writing to it. */
  closedInJira: { status: string; by: string | null } | null = null;

  private readonly opCounters = new Map<string, number>();
  /** The search attribute values last upserted in this run. */
  private publishedAttributes = '';
  private readonly pending = new Set<Promise<void>>();

  constructor(
    readonly key: string,
    created?: TicketCreatedEvent,
  ) {
    this.created = created ?? null;
  }

  /** The state as JSON for the next run (see TicketSnapshot). */
  snapshot(resume: ResumePoint): TicketSnapshot {
    const snap: TicketSnapshot = { fields: {}, maps: {}, sets: {}, resume };
    for (const [name, value] of Object.entries(this)) {
      if (RUN_ONLY.has(name)) continue;
      if (value instanceof Map) snap.maps[name] = [...(value as Map<string, unknown>).entries()];
      else if (value instanceof Set) snap.sets[name] = [...(value as Set<unknown>)];
      else snap.fields[name] = value;
    }
    return snap;
  }

  /** The state a previous run handed over, exactly as it was. */
  static restore(key: string, snap: TicketSnapshot): TicketState {
    const t = new TicketState(key);
    const target = t as unknown as Record<string, unknown>;
    Object.assign(target, snap.fields);
    // A snapshot from before replies-taken-once: every reply it counted had been seen.
    if (!('customerRepliesTaken' in snap.fields)) t.customerRepliesTaken = t.customerReplies;
    for (const [name, entries] of Object.entries(snap.maps)) {
      const map = target[name] as Map<string, unknown>;
      for (const [k, v] of entries) map.set(k, v);
    }
    for (const [name, values] of Object.entries(snap.sets)) {
      const set = target[name] as Set<unknown>;
      for (const v of values) set.add(v);
    }
    return t;
  }

  /** True while work started beside the main flow (the S-01 watcher, S-17 mirrors) is still running. */
  get busyInBackground(): boolean {
    return this.pending.size > 0;
  }

  /** Records a comment event once; returns false for a redelivery. */
  recordComment(e: CommentEvent): boolean {
    if (this.seenComments.has(e.commentId)) return false;
    this.seenComments.add(e.commentId);
    if (e.byStaff) {
      if (e.public) {
        this.staffPublicComments++;
        this.firstResponseAt ??= e.created;
      }
    } else {
      this.customerReplies++;
      this.lastCustomerReply = e;
    }
    return true;
  }

  recordLinked(e: LinkedIssueEvent): void {
    const prev = this.linked.get(e.key);
    if (prev && prev.status === e.status) return;
    // A late delivery of an older change (e.g. "In Progress" after "Done") must not undo the newer one.
    if (prev?.at && e.at && Date.parse(e.at) < Date.parse(prev.at) && ignoreStaleLinkedEvents()) return;
    this.linked.set(e.key, e.at || !prev?.at ? e : { ...e, at: prev.at });
    this.linkedEvents++;
  }

  /**
   * Idempotency key for one side effect: run id + SOP step + how many times this step ran.
   * Deterministic on replay, so a retried activity finds what its first attempt wrote.
   */
  opKey(step: string): string {
    const n = (this.opCounters.get(step) ?? 0) + 1;
    this.opCounters.set(step, n);
    return `${workflowInfo().workflowId}/${workflowInfo().runId}/${step}/${n}`;
  }

  /** Runs a side effect beside the main flow; the workflow waits for all of them before it completes. */
  inBackground(work: Promise<void>): void {
    const tracked: Promise<void> = work
      .catch((err: unknown) => this.log('error', `A background step failed: ${String(err)}`))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  async backgroundFinished(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  log(step: string, text: string): void {
    this.timeline.push({ at: new Date().toISOString(), step, text });
    // The same line in the worker's log (JSON in production), with the ticket and step; not on replay.
    (step === 'error' ? log.warn : log.info)(text, { ticketKey: this.key, step });
    if (this.timeline.length > TIMELINE_LIMIT) this.timeline.splice(0, this.timeline.length - TIMELINE_LIMIT);
  }

  /** Moves to a stage and tells operators what the workflow now waits for, and until when. */
  setStage(stage: Stage, waitingFor: string, until: Date | null = null): void {
    this.stage = stage;
    this.waitingFor = waitingFor;
    this.until = until ? until.toISOString() : null;
    this.publish();
  }

  setRoute(route: string, requestType: string, confidence: number | null, reasons: string[]): void {
    this.route = route;
    this.requestType = requestType;
    this.confidence = confidence;
    this.reasons = reasons;
    this.publish();
  }

  setAssignee(email: string | null): void {
    this.assignee = email;
    this.publish();
  }

  /** The first-response SLA was missed: seen by the watcher, or a first reply after the deadline. */
  get slaBreached(): boolean {
    return this.slaMissed || (!!this.slaDeadline && !!this.firstResponseAt && this.firstResponseAt > this.slaDeadline);
  }

  /** The earliest deadline the ticket runs against: its wait's end, or the first-response SLA while it runs. */
  get nextDeadline(): string | null {
    const sla = this.slaDeadline && !this.firstResponseAt && !this.closed ? this.slaDeadline : null;
    const all = [this.until, sla].filter((d): d is string => !!d).sort();
    return all[0] ?? null;
  }

  /** Search attributes and the UI's current details, refreshed at every change operators care about. */
  publish(): void {
    const sla = this.slaDeadline && !this.firstResponseAt ? this.slaDeadline : null;
    // NextDeadline and SlaBreached: runs from before they existed keep upserting the five attributes only.
    const deadlines = taken('deadline-search-attributes');
    const next = this.nextDeadline;
    const published = JSON.stringify([
      this.stage,
      this.route,
      this.assignee,
      sla,
      ...(deadlines ? [next, this.slaBreached] : []),
    ]);
    // Each upsert is a history event: only a change is written (patched: histories before it upsert every time).
    if (published !== this.publishedAttributes || !taken('upsert-only-changed-attributes')) {
      this.publishedAttributes = published;
      upsertSearchAttributes([
        { key: ticketKeyAttribute, value: this.key },
        { key: stageAttribute, value: this.stage },
        { key: routeAttribute, value: this.route ?? 'unclassified' },
        { key: assigneeAttribute, value: this.assignee ?? 'unassigned' },
        { key: slaDeadlineAttribute, value: sla ? new Date(sla) : null },
        ...(deadlines
          ? [
              { key: nextDeadlineAttribute, value: next ? new Date(next) : null },
              { key: slaBreachedAttribute, value: this.slaBreached },
            ]
          : []),
      ]);
    }
    setCurrentDetails(this.currentDetails());
  }

  /**
   * The Web UI's "Current details": stage, what it waits for, the next deadline (support time zone), the
   * customer (the fixed details may only name a Jira account), route and why. Served by a query, never
   * written to the history: changing this text needs no patch.
   */
  currentDetails(): string {
    const tz = this.settings?.calendar?.timeZone ?? 'UTC';
    const at = (iso: string) => formatInstant(iso, tz);
    const lines = [
      `**${this.key}** — ${this.stage}`,
      `**Waiting for:** ${this.waitingFor}`,
      // The same instant as the NextDeadline search attribute and the board's column of that name.
      this.until ? `**Next deadline:** ${at(this.until)}` : '',
      this.reporter ? `**Customer:** ${this.reporter}` : '',
      this.slaDeadline && !this.firstResponseAt ? `**First response due:** ${at(this.slaDeadline)}` : '',
      this.firstResponseAt ? `**First response:** ${at(this.firstResponseAt)}` : '',
      this.slaBreached ? '**First-response SLA missed**' : '',
      `**Route:** ${this.route ?? 'not classified yet'}${this.requestType ? ` (${this.requestType})` : ''}${this.confidence !== null ? `, confidence ${this.confidence.toFixed(2)}` : ''}`,
      this.reasons.length ? `**Why:** ${this.reasons.join('; ')}` : '',
      `**Assignee:** ${this.assignee ?? 'unassigned'}`,
      this.linked.size ? `**Linked:** ${[...this.linked.keys()].join(', ')}` : '',
    ];
    // Markdown hard line breaks, not paragraphs: the Web UI's panel is short.
    return lines.filter(Boolean).join('  \n');
  }

  status(): TicketStatus {
    return {
      key: this.key,
      route: this.route,
      requestType: this.requestType,
      confidence: this.confidence,
      reasons: [...this.reasons],
      stage: this.stage,
      waitingFor: this.waitingFor,
      until: this.until,
      slaDeadline: this.slaDeadline,
      firstResponseAt: this.firstResponseAt,
      assignee: this.assignee,
      linkedIssues: [...this.linked.keys()],
      timeline: [...this.timeline],
      busy: !this.closed && (this.commands.length > 0 || this.carryingOut !== null || this.rerouteTo !== null),
    };
  }
}
