/**
 * The configuration file's schema: roles and people, Jira project keys and field ids, SLA goals,
 * the business calendar, templates and classification rules. Secrets never live here (see env.ts).
 */
import { z } from 'zod';
import { parseIsoDuration } from '../shared/durations';

const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an e-mail address');
export const isoDuration = z.string().refine((s) => {
  try {
    parseIsoDuration(s);
    return true;
  } catch {
    return false;
  }
}, 'must be an ISO-8601 duration such as PT2H or P1D');
const duration = isoDuration;

/** The people and mailboxes the procedures name, as roles (ROUTING.md: "Nothing in code names a person"). */
export const rolesSchema = z.object({
  onDutyAgents: z.array(email).min(1),
  supportSupervisor: email,
  supportChannel: z.string().regex(/^#[\w-]+$/, 'must be a Slack channel such as #support'),
  salesLead: email,
  opsOwner: email,
  sunlightTeslaOwner: email,
  integrationsOwner: email,
  onboardingApprover: email,
  onboardingTeam: z.array(email).min(1),
  onboardingParticipants: z.array(email),
  onboardingClosingParticipants: z.array(email),
  csQaAssignee: email,
  configTeam: z.array(email).min(1),
  internalDomains: z.array(z.string().min(1)).min(1),
  /** Account manager and calendar link used when the ticket's organization has none of its own. */
  defaultAccountManager: email,
});

export const accountSchema = z.object({
  accountManager: email,
  calendarUrl: z.string().url().optional(),
});

export const jiraSchema = z.object({
  supportProject: z.string().min(1),
  csProject: z.string().min(1),
  devProject: z.string().min(1),
  serviceDeskId: z.string().min(1),
  botEmail: email,
  /**
   * Who is who in Jira (README, "Who acted"): deskflow's own account id (default: learned from Jira's
   * "myself" at start), the account ids of apps and integrations besides `app` accounts, and of staff
   * besides `atlassian` accounts.
   */
  identity: z.object({
    botAccountId: z.string().min(1).optional(),
    appAccountIds: z.array(z.string().min(1)),
    staffAccountIds: z.array(z.string().min(1)),
  }),
  issueTypes: z.object({ csTask: z.string(), csTicket: z.string(), devBug: z.string() }),
  fields: z.object({
    requestType: z.string(),
    organizations: z.string(),
    needsConfiguration: z.string(),
    qaAssignee: z.string(),
  }),
  statuses: z.object({
    waitingForSupport: z.string(),
    waitingForCustomer: z.string(),
    inProgress: z.string(),
    onHold: z.string(),
    toDo: z.string(),
    done: z.string(),
    closed: z.string(),
  }),
  resolutions: z.object({ done: z.string(), wontDo: z.string(), duplicate: z.string() }),
  linkTypes: z.object({ duplicate: z.string(), relates: z.string() }),
  onboardingEpic: z.string(),
  needsConfigurationValue: z.string(),
});

export const calendarSchema = z.object({
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as America/Los_Angeles'),
  /** Extra non-working days (YYYY-MM-DD) on top of `holidays`. */
  extraHolidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
  holidays: z.enum(['us-federal', 'none']),
});

export const slaSchema = z.object({
  firstResponse: duration,
  warnAtFraction: z.number().gt(0).lt(1),
  followUpBusinessDays: z.number().int().min(1),
  closeAfterBusinessDays: z.number().int().min(1),
  unansweredAttempts: z.number().int().min(1),
  salesLeadReminderBusinessDays: z.number().int().min(1),
  approvalReminderEvery: duration,
  approvalRemindersBeforeEscalation: z.number().int().min(1),
  csTicketTimeout: duration,
});

export const classificationRuleSchema = z.object({
  route: z.string(),
  /**
   * Regular expressions (case-insensitive, matched against whitespace-collapsed text) and their weights.
   * A negative weight counts against the route. `in: 'summary'` matches the subject line only.
   * `attention: true` marks a sign that the ticket needs a person: it adds its weight like any
   * pattern, and when this rule's route wins it adds the reason "attention: <why>".
   */
  patterns: z.array(
    z.object({
      re: z.string().refine((re) => {
        try {
          new RegExp(re, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'must be a valid regular expression'),
      weight: z.number(),
      why: z.string(),
      in: z.enum(['text', 'summary']).optional(),
      attention: z.boolean().optional(),
    }),
  ),
  /** Score added when the reporter's domain matches one of these (or is a subdomain of one). */
  reporterDomains: z.array(z.string()).optional(),
  /** Score added when the reporter is one of the addresses of these roles (e.g. "onboardingTeam"). */
  reporterRoles: z.array(z.string()).optional(),
  /** The weight of a reporterDomains or reporterRoles match (default 2). */
  reporterWeight: z.number().optional(),
});

export const classificationSchema = z.object({
  threshold: z.number().min(0).max(1),
  rules: z.array(classificationRuleSchema),
});

export const routeSchema = z.object({
  requestType: z.string(),
});

export const configSchema = z
  .object({
    roles: rolesSchema,
    accounts: z.record(z.string(), accountSchema),
    domainOrganizations: z.record(z.string(), z.string()),
    nonPlatformOrganization: z.string(),
    jira: jiraSchema,
    calendar: calendarSchema,
    sla: slaSchema,
    routes: z.record(z.string(), routeSchema),
    templates: z.record(z.string(), z.string()),
    links: z.record(z.string(), z.string()),
    classification: classificationSchema,
    aha: z.object({
      productId: z.string(),
      /** E-mail sent as the ideas' `created_by` (Aha! requires it; an unknown address becomes a portal user). */
      createdBy: z.email(),
    }),
    worker: z.object({ taskQueue: z.string(), maxCachedWorkflows: z.number().int().min(1) }),
    /**
     * A ticket's workflow continues as a new run at its next parked wait once its history has this many
     * events or bytes (or when Temporal suggests it), so a ticket open for a year keeps a short history.
     */
    history: z.object({
      maxEventsPerRun: z.number().int().min(20),
      maxBytesPerRun: z.number().int().min(10_000),
    }),
  })
  .strict();

export type DeskflowConfig = z.infer<typeof configSchema>;
export type Roles = z.infer<typeof rolesSchema>;
export type JiraSettings = z.infer<typeof jiraSchema>;
export type CalendarSettings = z.infer<typeof calendarSchema>;
export type SlaSettings = z.infer<typeof slaSchema>;
export type ClassificationSettings = z.infer<typeof classificationSchema>;
