/**
 * The sandbox: one HTTP server standing in for Jira Service Management (at the root), Slack's Web
 * API (/slack/api/) and Aha! (/aha/api/v1/), with a control and read API under /_sandbox/ and a
 * plain HTML page at /. Used by `npm start`, `npm run sandbox`, the scenario runner and the tests.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { defaultConfig } from '../config/defaults';
import { AhaService } from './aha';
import { Chaos, ChaosSettingsError, parseChaosSettings, statusChanges } from './chaos';
import { renderIssuePage, renderPage, type PagePeople } from './html';
import { asRecord, HttpError, json, readRequest, type Reply, type Request } from './http';
import { JiraModel, JiraValidationError, type JiraPermissions } from './jira-model';
import { jiraRouter } from './jira-routes';
import { withoutEmailAddresses } from './jira-privacy';
import { DEFAULT_WORKFLOWS, workflowProblem, type Workflows } from './jira-workflow';
import { SlackService, type SlackWorkspaceOptions } from './slack';
import { DEFAULT_ACTOR_EMAIL, emptyState, ONBOARDING_EPIC, projectDef, type StoredState } from './state';
import {
  SandboxError,
  type AddCommentInput,
  type CreateTicketInput,
  type EditIssueInput,
  type ExistingTicketInput,
  type FaultInput,
  type NormalizedComment,
  type NormalizedIssue,
  type SandboxService,
  type SandboxState,
  type TransitionInput,
} from './types';
import { WebhookQueue, type WebhookFaults } from './webhooks';
import { importExistingTicket } from './existing';

export * from './types';
export type { WebhookFaults } from './webhooks';
export type { TransitionDef, Workflows } from './jira-workflow';
export type { JiraPermissions } from './jira-model';

export interface SandboxOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where Jira webhooks are delivered (the relay's /webhooks/jira). */
  webhookUrl?: string;
  /** HMAC-SHA256 secret for X-Hub-Signature; unsigned when absent. */
  webhookSecret?: string;
  /** Who the page at / offers to act as (default: the default configuration's people). */
  people?: PagePeople;
  /**
   * Put `emailAddress` back into the users of webhook bodies. Off by default: Jira Cloud's webhooks carry
   * accountId, displayName and accountType only. For old tests of e-mail-based payloads only.
   */
  webhookEmails?: boolean;
  /** JSON file the state is saved to and loaded from (npm start); in memory only when absent. */
  dataFile?: string;
  /** E-mail domains whose users are staff (agents); everyone else is a customer. */
  internalDomains?: string[];
  /** The clock used for timestamps (the scenario runner passes virtual time). */
  now?: () => Date;
  /** JSM request type names (default: every requestType of defaultConfig.routes). */
  requestTypes?: string[];
  /** E-mails with a Slack account besides staff (default: every person in defaultConfig.roles). */
  slackUsers?: string[];
  /** The Slack workspace: the bot's scopes and the channels that exist (default: README's scopes, #support). */
  slack?: SlackWorkspaceOptions;
  /** Aha! site that idea URLs point at (default https://sighten.aha.io). */
  ahaSiteUrl?: string;
  /** Webhook retry backoff (default 100 ms doubling to 5 s). */
  webhookRetry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How strictly the sandbox Jira behaves like Jira Cloud (see SandboxSettings; strict by default). */
  settings?: SandboxSettings;
}

/** Jira Cloud behaviours a test may tune; the defaults are Jira Cloud's as an API-token client sees it. */
export interface SandboxSettings {
  /** How long (sandbox clock) a write takes to reach JQL search unless reconciled; default 2000 ms. */
  searchLagMs?: number;
  /** Issue property keys registered for indexing (searchable in JQL); default none. */
  searchableProperties?: string[];
  /** Webhooks delivered late, twice or out of order (seeded); default none of it. */
  webhooks?: WebhookFaults;
  /** Each project's workflow (transitions, screens, post-functions); default DEFAULT_WORKFLOWS. */
  workflows?: Workflows;
  /**
   * Who holds which permission (by e-mail) and whether the desk is restricted. Default: deskflow's bot
   * account is a Jira administrator (it may create customers), nobody else; the desk is restricted, so
   * a customer must be added to it before becoming a reporter or participant. JSM customers cannot be
   * watchers; the people of `partnerDomains` (default EverBright's) may browse and watch like staff.
   */
  permissions?: Partial<JiraPermissions>;
}

/**
 * deskflow's bot is a Jira administrator, nobody else; the desk is restricted. EverBright's people may
 * browse issues in Jira: the procedures have its approver and account managers watch onboarding tickets
 * (E-04), which Jira allows only to people who may browse them.
 */
const DEFAULT_PERMISSIONS: JiraPermissions = {
  jiraAdmins: [defaultConfig.jira.botEmail],
  deskAdmins: [],
  restrictedDesk: true,
  partnerDomains: [
    defaultConfig.roles.onboardingApprover.slice(defaultConfig.roles.onboardingApprover.indexOf('@') + 1),
  ],
};

export const STRICT_SETTINGS: Required<SandboxSettings> = {
  searchLagMs: 2000,
  searchableProperties: [],
  webhooks: {},
  workflows: DEFAULT_WORKFLOWS,
  permissions: DEFAULT_PERMISSIONS,
};

/**
 * LENIENT: search sees every write at once and every issue property is searchable. Only for tests about
 * something else that need an instant index; deskflow itself must work with STRICT_SETTINGS.
 */
export const LENIENT_SEARCH_SETTINGS: Required<SandboxSettings> = {
  searchLagMs: 0,
  searchableProperties: ['*'],
  webhooks: {},
  workflows: DEFAULT_WORKFLOWS,
  permissions: DEFAULT_PERMISSIONS,
};

export interface Sandbox {
  /** e.g. http://127.0.0.1:8788 — Jira at the root, Slack under /slack/api/, Aha! under /aha/api/v1/. */
  url: string;
  /** `slackApiUrl` for @slack/web-api: `${url}/slack/api/`. */
  slackApiUrl: string;
  /** Aha! API base: `${url}/aha/api/v1`. */
  ahaApiUrl: string;
  /** Resolves when every queued webhook has been acknowledged. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
  /** Everything, normalized (issues, Slack messages, Aha! ideas, webhook counts). */
  state(): SandboxState;
  /** One issue, normalized; undefined when it does not exist. */
  issue(key: string): NormalizedIssue | undefined;
  /** An issue's attachments with their bytes, in the order they were attached. */
  attachmentFiles(key: string): { filename: string; size: number; content: Buffer }[];
  /** Someone attaches a file to an issue in Jira (default: the reporter); jira:issue_updated follows. */
  attach(input: { key: string; filename: string; content: Buffer | string; by?: string }): void;
  /** An SS request arriving by e-mail; sends jira:issue_created (unless `webhook: false`: it is lost). */
  createTicket(input: CreateTicketInput): { key: string };
  /** A ticket that was in Jira before deskflow: created with its history in the past; no webhook is sent. */
  importTicket(input: ExistingTicketInput): { key: string };
  /** Someone edits an issue (assignee, summary, description); jira:issue_updated follows. */
  editIssue(input: EditIssueInput): NormalizedIssue;
  /** Someone comments (public unless `internal`); the webhooks and the desk's status rules follow. */
  addComment(input: AddCommentInput): NormalizedComment;
  /** Someone moves an issue to a status; jira:issue_updated follows. */
  transition(input: TransitionInput): NormalizedIssue;
  /** From now on, answer that service with 503 (until cleared / `until`) or 429 with Retry-After. */
  setFault(fault: FaultInput): void;
  clearFault(service: SandboxService): void;
  /** Back to the seeded state; undelivered webhooks are dropped. */
  reset(): void;
  /** Changes the strictness settings from now on (only the keys given). */
  configure(settings: SandboxSettings): void;
  /** Makes every write so far searchable at once (as if the search lag had passed). */
  reindex(): void;
}

interface ActiveFault {
  status: 503 | 429;
  retryAfterSeconds: number | null;
  remaining?: number;
  until?: number;
  path?: string;
  pathEnd?: string;
  method?: string;
  afterApplying: boolean;
}

function permissionsFrom(p: Partial<JiraPermissions> | undefined): JiraPermissions {
  return { ...STRICT_SETTINGS.permissions, ...(p ?? {}) } as JiraPermissions;
}

function roleEmails(): string[] {
  const out: string[] = [];
  for (const v of Object.values(defaultConfig.roles)) {
    for (const s of Array.isArray(v) ? v : [v]) if (typeof s === 'string' && s.includes('@')) out.push(s);
  }
  return out;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const now = options.now ?? (() => new Date());
  const internalDomains = options.internalDomains ?? ['sighten.io'];
  const slackUsers = new Set((options.slackUsers ?? roleEmails()).map((e) => e.toLowerCase()));
  let baseUrl = '';
  let muted = false;
  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  const faults = new Map<SandboxService, ActiveFault>();
  const webhooks = new WebhookQueue({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    ...options.webhookRetry,
    faults: options.settings?.webhooks ?? STRICT_SETTINGS.webhooks,
  });
  // npm run chaos: duplicated, shuffled deliveries and Jira/Slack faults, off until set (src/sandbox/chaos.ts).
  const chaos = new Chaos({ url: options.webhookUrl, secret: options.webhookSecret });
  /** Set while a ticket is created without delivery: its webhooks are handed back to the caller. */
  let captured: unknown[] | undefined;

  /** How long the last save took to serialise the state (ms): the next one waits 20 times as long. */
  let lastSerialiseMs = 0;
  const save = async (): Promise<void> => {
    if (!options.dataFile) return;
    const file = options.dataFile;
    const started = performance.now();
    const text = JSON.stringify(state);
    lastSerialiseMs = performance.now() - started;
    saving = saving.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    await saving;
  };
  // The whole state is written after a change, at most every 100 ms, and less often as it grows: the
  // next save waits 20 times as long as the last one took to serialise, so saving stays under 5 % of the
  // sandbox's time (bench P3: a few MB re-serialised every 100 ms took a large share of a loaded machine).
  const changed = (): void => {
    if (!options.dataFile || saveTimer) return;
    saveTimer = setTimeout(
      () => {
        saveTimer = undefined;
        save().catch((err: unknown) => console.error('sandbox: could not save state:', err));
      },
      Math.max(100, 20 * lastSerialiseMs),
    );
  };

  let state: StoredState = emptyState();
  const model = new JiraModel(state, {
    now,
    internalDomains,
    baseUrl: () => baseUrl,
    requestTypes: options.requestTypes ?? Object.values(defaultConfig.routes).map((r) => r.requestType),
    emit: (payload) => {
      if (muted) return;
      const shaped = options.webhookEmails ? payload : withoutEmailAddresses(payload);
      if (captured) captured.push(shaped);
      else if (!chaos.takeWebhook(shaped)) webhooks.enqueue(shaped);
    },
    changed,
    searchLagMs: options.settings?.searchLagMs ?? STRICT_SETTINGS.searchLagMs,
    searchableProperties: options.settings?.searchableProperties ?? STRICT_SETTINGS.searchableProperties,
    workflows: options.settings?.workflows ?? STRICT_SETTINGS.workflows,
    permissions: permissionsFrom(options.settings?.permissions),
  });
  const slack = new SlackService(state, {
    ...options.slack,
    now,
    isSlackUser: (email) => model.isStaffEmail(email) || slackUsers.has(email.toLowerCase()),
    knownEmails: () => [...model.users().map((u) => u.email), ...slackUsers],
    changed,
  });
  const aha = new AhaService(state, {
    now,
    siteUrl: options.ahaSiteUrl ?? 'https://sighten.aha.io',
    changed,
  });

  const seed = (): void => {
    muted = true;
    try {
      const admin = model.ensureUser(DEFAULT_ACTOR_EMAIL);
      // Staff have Jira accounts from the start; customers get one when they write in or are created.
      for (const email of slackUsers) if (model.isStaffEmail(email)) model.ensureUser(email);
      model.createIssue({
        project: projectDef('CS')!,
        issueType: 'Epic',
        summary: ONBOARDING_EPIC,
        description: 'Onboarding configurations for EverBright partners.',
        actor: admin,
      });
      slack.ensureSeeded();
      model.index.flush(model.issues());
    } finally {
      muted = false;
    }
  };
  const useState = (next: StoredState): void => {
    state = next;
    model.replaceState(next);
    slack.replaceState(next);
    aha.replaceState(next);
  };

  if (options.dataFile) {
    try {
      const loaded = JSON.parse(await readFile(options.dataFile, 'utf8')) as StoredState;
      if (loaded.version !== 1) throw new Error(`unsupported sandbox data version ${String(loaded.version)}`);
      loaded.slack.users ??= [];
      useState(loaded);
      slack.ensureSeeded();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      seed();
    }
  } else {
    seed();
  }

  // ----------------------------------------------------------------------------- faults
  const faultReply = (
    service: SandboxService,
    req: Pick<Request, 'path' | 'method'>,
    afterApplying = false,
  ): Reply | undefined => {
    const f = faults.get(service);
    if (!f || f.afterApplying !== afterApplying) return undefined;
    if (f.path !== undefined && !req.path.includes(f.path)) return undefined;
    if (f.pathEnd !== undefined && !req.path.endsWith(f.pathEnd)) return undefined;
    if (f.method !== undefined && req.method.toUpperCase() !== f.method) return undefined;
    if (f.until !== undefined && now().getTime() >= f.until) {
      faults.delete(service);
      return undefined;
    }
    if (f.remaining !== undefined) {
      f.remaining -= 1;
      if (f.remaining <= 0) faults.delete(service);
    }
    if (f.status === 429) {
      const headers: Record<string, string> =
        f.retryAfterSeconds === null ? {} : { 'Retry-After': String(f.retryAfterSeconds) };
      if (service === 'slack') return json(429, { ok: false, error: 'ratelimited' }, headers);
      if (service === 'aha') return json(429, { error: 'Too many requests' }, headers);
      return json(
        429,
        { errorMessages: ['Rate limit exceeded.'], errors: {} },
        { ...headers, 'X-RateLimit-Reason': 'jira-quota-tenant-based' },
      );
    }
    if (service === 'slack') return json(503, { ok: false, error: 'service_unavailable' });
    if (service === 'aha') return json(503, { error: 'Service Unavailable' });
    return json(503, {
      errorMessages: ['Service Unavailable: the sandbox is simulating an outage.'],
      errors: {},
    });
  };

  // ----------------------------------------------------------------------------- control
  const need = <T>(v: T | undefined, status: number, message: string): T => {
    if (v === undefined) throw new SandboxError(status, message);
    return v;
  };
  const isEmail = (v: unknown): v is string => typeof v === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.trim());
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof JiraValidationError) throw new SandboxError(err.status, err.message);
      throw err;
    }
  };

  /** Changes whose webhooks are never delivered (lost, or sent before anyone listened). */
  const silently = <T>(fn: () => T): T => {
    const was = muted;
    muted = true;
    try {
      return fn();
    } finally {
      muted = was;
    }
  };

  const sandbox: Sandbox = {
    url: '',
    slackApiUrl: '',
    ahaApiUrl: '',
    webhooksIdle: async () => {
      await webhooks.idle();
      await chaos.idle();
    },
    async close() {
      webhooks.close();
      chaos.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (saveTimer) {
        clearTimeout(saveTimer);
        saveTimer = undefined;
        await save();
      }
      await saving;
    },
    state() {
      return {
        issues: model.issues().map((i) => model.normalize(i)),
        slack: state.slack.messages.map((m) => ({
          channel: m.channel,
          to: slack.recipient(m.channel),
          text: m.text,
          ts: m.ts,
          metadata: m.metadata,
          threadTs: m.threadTs,
        })),
        aha: state.aha.map((a) => ({
          id: a.id,
          referenceNum: a.referenceNum,
          name: a.name,
          description: a.description,
          tags: [...a.tags],
          url: aha.url(a),
          created: a.created,
        })),
        webhooks: webhooks.stats(),
        slackCalls: slack.callCounts(),
      };
    },
    issue(key) {
      const i = model.issue(key);
      return i ? model.normalize(i) : undefined;
    },
    attachmentFiles(key) {
      return (model.issue(key)?.attachments ?? []).map((a) => ({
        filename: a.filename,
        size: a.size,
        content: Buffer.from(a.content, 'base64'),
      }));
    },
    attach(input) {
      wrap(() => {
        const issue = model.issue(input.key);
        if (!issue) throw new SandboxError(404, `no issue ${input.key}`);
        const by = input.by ? model.ensureUser(input.by) : model.user(issue.reporterId ?? '');
        if (!by) throw new SandboxError(400, `${input.key} has no reporter: say who attaches the file`);
        const content = typeof input.content === 'string' ? Buffer.from(input.content, 'utf8') : input.content;
        model.addAttachments(issue, [{ filename: input.filename, content }], by);
      });
    },
    createTicket(input) {
      return wrap(() => {
        if (!input || typeof input.summary !== 'string' || !input.summary.trim())
          throw new SandboxError(400, 'summary is required');
        if (!isEmail(input.reporter)) throw new SandboxError(400, 'reporter must be an e-mail address');
        const key = input.key?.trim().toUpperCase();
        if (key !== undefined) {
          if (!/^SS-\d+$/.test(key))
            throw new SandboxError(400, `key must be an SS key such as SS-1, got '${input.key ?? ''}'`);
          if (model.issue(key)) throw new SandboxError(409, `${key} already exists`);
        }
        const participants = input.participants ?? [];
        const bad = participants.find((p) => !isEmail(p));
        if (bad !== undefined) throw new SandboxError(400, `participant '${bad}' is not an e-mail address`);
        const reporter = model.ensureUser(input.reporter);
        // Whoever the desk accepted mail from is one of its customers.
        model.addDeskCustomers([reporter.accountId, ...participants.map((p) => model.ensureUser(p).accountId)]);
        const create = () =>
          model.createIssue({
            project: projectDef('SS')!,
            issueType: 'Service Request',
            summary: input.summary,
            description: typeof input.description === 'string' ? input.description : '',
            actor: reporter,
            key,
            attachments: input.attachments ?? [],
            patch: {
              participants: participants
                .map((p) => model.ensureUser(p).accountId)
                .filter((id) => id !== reporter.accountId),
            },
          });
        const issue = input.webhook === false ? silently(create) : create();
        return { key: issue.key };
      });
    },
    importTicket(input) {
      return wrap(() => {
        if (!isEmail(input?.reporter)) throw new SandboxError(400, 'reporter must be an e-mail address');
        const key = input.key?.trim().toUpperCase();
        if (key !== undefined && model.issue(key)) throw new SandboxError(409, `${key} already exists`);
        const people = [input.assignee, ...(input.comments ?? []).map((c) => c.by)];
        const bad = people.find((p) => p !== undefined && !isEmail(p));
        if (bad !== undefined) throw new SandboxError(400, `'${bad}' is not an e-mail address`);
        const issue = silently(() => importExistingTicket(model, { ...input, key }, now()));
        return { key: issue.key };
      });
    },
    editIssue(input) {
      return wrap(() => {
        const issue = need(model.issue(input?.key ?? ''), 404, `issue ${input?.key ?? ''} does not exist`);
        const by = input.by ?? DEFAULT_ACTOR_EMAIL;
        if (!isEmail(by)) throw new SandboxError(400, 'by must be an e-mail address');
        if (input.assignee !== undefined && input.assignee !== null && !isEmail(input.assignee))
          throw new SandboxError(400, 'assignee must be an e-mail address or null');
        model.updateIssue(
          issue,
          {
            ...(input.summary !== undefined ? { summary: input.summary } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.assignee !== undefined
              ? { assigneeId: input.assignee === null ? null : model.ensureUser(input.assignee).accountId }
              : {}),
          },
          model.ensureUser(by),
        );
        return model.normalize(issue);
      });
    },
    addComment(input) {
      return wrap(() => {
        const issue = need(model.issue(input?.key ?? ''), 404, `issue ${input?.key ?? ''} does not exist`);
        if (!isEmail(input.by)) throw new SandboxError(400, 'by must be an e-mail address');
        if (typeof input.body !== 'string' || !input.body.trim()) throw new SandboxError(400, 'body is required');
        const c = model.addComment(issue, model.ensureUser(input.by), input.body, input.internal !== true);
        return need(
          model.normalize(issue).comments.find((x) => x.id === c.id),
          500,
          'comment vanished',
        );
      });
    },
    transition(input) {
      return wrap(() => {
        const issue = need(model.issue(input?.key ?? ''), 404, `issue ${input?.key ?? ''} does not exist`);
        if (typeof input.to !== 'string' || !input.to) throw new SandboxError(400, 'to (a status name) is required');
        const by = input.by ?? DEFAULT_ACTOR_EMAIL;
        if (!isEmail(by)) throw new SandboxError(400, 'by must be an e-mail address');
        model.transitionIssue(issue, input.to, model.ensureUser(by), input.resolution);
        return model.normalize(issue);
      });
    },
    setFault(fault) {
      if (!fault || !['jira', 'slack', 'aha'].includes(fault.service))
        throw new SandboxError(400, "service must be 'jira', 'slack' or 'aha'");
      if (fault.status !== 503 && fault.status !== 429) throw new SandboxError(400, 'status must be 503 or 429');
      const until = fault.until === undefined ? undefined : new Date(fault.until).getTime();
      if (until !== undefined && Number.isNaN(until)) throw new SandboxError(400, 'until must be a date');
      const count = fault.count ?? (fault.status === 429 && until === undefined ? 1 : undefined);
      if (fault.afterApplying === true && (fault.service !== 'jira' || fault.status !== 503))
        throw new SandboxError(400, 'afterApplying is for Jira 503 faults only');
      faults.set(fault.service, {
        status: fault.status,
        retryAfterSeconds:
          fault.retryAfterSeconds === null ? null : Math.max(0, Math.round(fault.retryAfterSeconds ?? 1)),
        remaining: count,
        until,
        ...(typeof fault.path === 'string' && fault.path ? { path: fault.path } : {}),
        ...(typeof fault.method === 'string' && fault.method ? { method: fault.method.toUpperCase() } : {}),
        ...(typeof fault.pathEnd === 'string' && fault.pathEnd ? { pathEnd: fault.pathEnd } : {}),
        afterApplying: fault.afterApplying === true,
      });
    },
    clearFault(service) {
      faults.delete(service);
    },
    configure(settings) {
      const s = settings ?? {};
      if (s.searchLagMs !== undefined) {
        if (typeof s.searchLagMs !== 'number' || !(s.searchLagMs >= 0))
          throw new SandboxError(400, 'searchLagMs must be a number of milliseconds >= 0');
        model.index.lagMs = s.searchLagMs;
      }
      if (s.searchableProperties !== undefined) {
        if (!Array.isArray(s.searchableProperties) || s.searchableProperties.some((k) => typeof k !== 'string'))
          throw new SandboxError(400, 'searchableProperties must be an array of property keys');
        model.searchableProperties = [...s.searchableProperties];
      }
      if (s.workflows !== undefined) {
        const problem = workflowProblem(s.workflows, (key) => projectDef(key)?.statuses);
        if (problem) throw new SandboxError(400, problem);
        model.workflows = { ...model.workflows, ...s.workflows };
      }
      if (s.permissions !== undefined) {
        const p = s.permissions;
        const emails = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((e) => typeof e === 'string'));
        if (!p || typeof p !== 'object' || !emails(p.jiraAdmins) || !emails(p.deskAdmins))
          throw new SandboxError(400, 'permissions: jiraAdmins and deskAdmins must be lists of e-mails');
        if (!emails(p.partnerDomains))
          throw new SandboxError(400, 'permissions.partnerDomains must be a list of e-mail domains');
        if (p.restrictedDesk !== undefined && typeof p.restrictedDesk !== 'boolean')
          throw new SandboxError(400, 'permissions.restrictedDesk must be true or false');
        model.permissions = { ...model.permissions, ...p };
      }
      if (s.webhooks !== undefined) {
        try {
          webhooks.setFaults(s.webhooks ?? {});
        } catch (err) {
          throw new SandboxError(400, err instanceof Error ? err.message : String(err));
        }
      }
    },
    reindex() {
      model.index.flush(model.issues());
    },
    reset() {
      faults.clear();
      chaos.off();
      webhooks.clear();
      slack.resetCounts();
      useState(emptyState());
      seed();
      changed();
    },
  };

  // ----------------------------------------------------------------------------- routing
  const jira = jiraRouter(model, () => baseUrl);

  const control = (req: Request): Reply | undefined => {
    const p = req.path;
    const body = asRecord(req.body);
    if (req.method === 'GET' && p === '/_sandbox/state') return json(200, sandbox.state());
    if (req.method === 'POST' && p === '/_sandbox/reset') {
      sandbox.reset();
      return json(204);
    }
    if (req.method === 'POST' && p === '/_sandbox/settings') {
      sandbox.configure(body as SandboxSettings);
      return json(204);
    }
    if (req.method === 'POST' && p === '/_sandbox/reindex') {
      sandbox.reindex();
      return json(204);
    }
    if (req.method === 'POST' && p === '/_sandbox/tickets') {
      if (body.deliver !== false) return json(201, sandbox.createTicket(body as unknown as CreateTicketInput));
      // deliver: false (npm run bench): created without a webhook; its payloads are returned for the caller to post.
      captured = [];
      try {
        const created = sandbox.createTicket(body as unknown as CreateTicketInput);
        return json(201, { ...created, webhooks: captured });
      } finally {
        captured = undefined;
      }
    }
    if (p === '/_sandbox/chaos') {
      if (req.method === 'GET') return json(200, chaos.view());
      if (req.method === 'DELETE') {
        chaos.off();
        return json(204);
      }
      if (req.method === 'POST') {
        try {
          chaos.set(parseChaosSettings(body));
        } catch (err) {
          if (err instanceof ChaosSettingsError) throw new SandboxError(400, err.message);
          throw err;
        }
        return json(204);
      }
    }
    if (req.method === 'GET' && p === '/_sandbox/transitions') return json(200, statusChanges(model.issues()));
    if (req.method === 'POST' && p === '/_sandbox/faults') {
      sandbox.setFault(body as unknown as FaultInput);
      return json(204);
    }
    let m = /^\/_sandbox\/faults\/([^/]+)$/.exec(p);
    if (m && req.method === 'DELETE') {
      sandbox.clearFault(m[1] as SandboxService);
      return json(204);
    }
    m = /^\/_sandbox\/issues\/([^/]+)$/.exec(p);
    if (m && req.method === 'GET') {
      const issue = sandbox.issue(decodeURIComponent(m[1]!));
      return issue ? json(200, issue) : json(404, { error: `issue ${m[1]!} does not exist` });
    }
    m = /^\/_sandbox\/issues\/([^/]+)\/comments$/.exec(p);
    if (m && req.method === 'POST')
      return json(
        201,
        sandbox.addComment({
          ...(body as unknown as AddCommentInput),
          key: decodeURIComponent(m[1]!),
        }),
      );
    m = /^\/_sandbox\/issues\/([^/]+)\/transitions$/.exec(p);
    if (m && req.method === 'POST')
      return json(
        200,
        sandbox.transition({
          ...(body as unknown as TransitionInput),
          key: decodeURIComponent(m[1]!),
        }),
      );
    return undefined;
  };

  const jiraActor = (req: Request): string | undefined => {
    const auth = String(req.headers.authorization ?? '');
    const m = /^Basic\s+(\S+)$/i.exec(auth);
    if (!m) return undefined;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return undefined;
    const email = decoded.slice(0, i).trim();
    const token = decoded.slice(i + 1);
    return isEmail(email) && token.length > 0 ? email : undefined;
  };

  const dispatch = (req: Request): Reply | Promise<Reply> => {
    const p = req.path;
    if (p.startsWith('/_sandbox/')) {
      if (req.bodyError) return json(400, { error: 'the body must be JSON' });
      try {
        return control(req) ?? json(404, { error: `no control route ${req.method} ${p}` });
      } catch (err) {
        if (err instanceof SandboxError) return json(err.status, { error: err.message });
        throw err;
      }
    }
    if (p.startsWith('/slack/api/')) {
      const method = p.slice('/slack/api/'.length);
      return faultReply('slack', req) ?? chaos.slackReply(method, req) ?? slack.handle(method, req);
    }
    if (p.startsWith('/aha/api/v1/')) return faultReply('aha', req) ?? aha.handle(req);
    if (p.startsWith('/rest/')) {
      const fault = faultReply('jira', req) ?? chaos.jiraReply(req);
      if (fault) return fault;
      const email = jiraActor(req);
      if (!email)
        return json(401, {
          errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
          errors: {},
        });
      const match = jira.match(req.method, p);
      if (match === undefined)
        return json(404, {
          errorMessages: [`null for uri: ${baseUrl}${p}`],
          errors: {},
        });
      if (match === 'method')
        return json(405, {
          errorMessages: [`Method ${req.method} is not allowed for ${p}.`],
          errors: {},
        });
      const actor = model.ensureUser(email);
      const reply = match.handler({
        ...req,
        params: match.params,
        actor,
      } as Request) as Reply;
      // A write carried out whose answer is lost on the way back (afterApplying faults).
      return (reply.status < 300 ? faultReply('jira', req, true) : undefined) ?? reply;
    }
    if (req.method === 'GET' && (p === '/' || p === '/index.html'))
      return {
        status: 200,
        text: renderPage(
          sandbox.state(),
          req.query.get('refresh') !== 'false',
          options.people ?? pagePeople(defaultConfig),
        ),
      };
    const browse = /^\/browse\/([^/]+)$/.exec(p);
    if (req.method === 'GET' && browse) {
      const issue = sandbox.issue(decodeURIComponent(browse[1]!));
      return issue ? { status: 200, text: renderIssuePage(issue) } : { status: 404, text: 'No such issue' };
    }
    return json(404, { error: `no route ${req.method} ${p}` });
  };

  const server: Server = createServer((rawReq, res) => {
    readRequest(rawReq)
      .then(async (req) => {
        const reply = await dispatch(req);
        const headers: Record<string, string> = { ...(reply.headers ?? {}) };
        let payload: string | Buffer | undefined;
        if (reply.bytes !== undefined) {
          payload = reply.bytes;
        } else if (reply.text !== undefined) {
          headers['Content-Type'] = 'text/html; charset=utf-8';
          payload = reply.text;
        } else if (reply.body !== undefined && reply.status !== 204) {
          headers['Content-Type'] = 'application/json;charset=UTF-8';
          payload = JSON.stringify(reply.body);
        }
        res.writeHead(reply.status, headers);
        res.end(payload);
      })
      .catch((err: unknown) => {
        if (err instanceof HttpError) {
          // Refused before handling (oversized or out-of-bounds body): close, the rest is unread.
          res.writeHead(err.status, { 'Content-Type': 'application/json', Connection: 'close' });
          res.end(JSON.stringify({ errorMessages: [err.message] }), () => res.socket?.destroy());
          return;
        }
        console.error('sandbox: request failed:', err);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            errorMessages: [`Internal server error: ${err instanceof Error ? err.message : String(err)}`],
          }),
        );
      });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  sandbox.url = baseUrl;
  sandbox.slackApiUrl = `${baseUrl}/slack/api/`;
  sandbox.ahaApiUrl = `${baseUrl}/aha/api/v1`;
  return sandbox;
}

/** The page's people from a configuration: on-duty agents and config team as staff, the onboarding team. */
export function pagePeople(config: typeof defaultConfig): PagePeople {
  const r = config.roles;
  return {
    staff: [...new Set([...r.onDutyAgents, r.supportSupervisor, ...r.configTeam])],
    onboardingTeam: r.onboardingTeam[0] ?? r.onboardingApprover,
    accountManager: r.defaultAccountManager.endsWith('goeverbright.com')
      ? r.defaultAccountManager
      : 'priya.nair@goeverbright.com',
  };
}
