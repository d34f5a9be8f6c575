/**
 * The default configuration: the people and mailboxes of the SOPs (ROUTING.md), staff at sighten.io,
 * and Jira names that match the local sandbox. A configuration file overrides any of it.
 */
import type { DeskflowConfig } from './schema';
import { defaultClassificationRules } from './classification-rules';

export const defaultConfig: DeskflowConfig = {
  roles: {
    onDutyAgents: ['alex.morgan@sighten.io', 'jamie.chen@sighten.io'],
    supportSupervisor: 'support.supervisor@sighten.io',
    supportChannel: '#support',
    salesLead: 'jordan.chriss@sighten.io',
    opsOwner: 'ops.owner@sighten.io',
    sunlightTeslaOwner: 'kira.gaza@sighten.io',
    integrationsOwner: 'bhargav.gor@sighten.io',
    onboardingApprover: 'david.ellis@goeverbright.com',
    onboardingTeam: ['onboarding@goeverbright.com', 'david.ellis@goeverbright.com'],
    onboardingParticipants: [
      'allsales@goeverbright.com',
      'Alice.Reeve@goeverbright.com',
      'Tim.LoCascio@goeverbright.com',
      'jordana.norring@goeverbright.com',
    ],
    onboardingClosingParticipants: ['training@goeverbright.com', 'marko.spasic@goeverbright.com'],
    csQaAssignee: 'cherish.sharma@sighten.io',
    configTeam: ['riley.ortiz@sighten.io', 'sasha.novak@sighten.io', 'taylor.brooks@sighten.io'],
    internalDomains: ['sighten.io'],
    defaultAccountManager: 'account.management@sighten.io',
  },
  accounts: {},
  domainOrganizations: {},
  nonPlatformOrganization: 'Non-platform Emails',
  jira: {
    supportProject: 'SS',
    csProject: 'CS',
    devProject: 'DEV',
    serviceDeskId: '1',
    botEmail: 'deskflow@sighten.io',
    identity: { appAccountIds: [], staffAccountIds: [] },
    issueTypes: { csTask: 'Task', csTicket: 'CS Ticket', devBug: 'Bug' },
    fields: {
      requestType: 'customfield_10010',
      organizations: 'customfield_10002',
      needsConfiguration: 'customfield_10100',
      qaAssignee: 'customfield_10101',
    },
    statuses: {
      waitingForSupport: 'Waiting for support',
      waitingForCustomer: 'Waiting for customer',
      inProgress: 'In Progress',
      onHold: 'On Hold',
      toDo: 'To Do',
      done: 'Done',
      closed: 'Closed',
    },
    resolutions: { done: 'Done', wontDo: "Won't Do", duplicate: 'Duplicate' },
    linkTypes: { duplicate: 'Duplicate', relates: 'Relates' },
    onboardingEpic: 'EverBright Configurations CS Onboarding',
    needsConfigurationValue: 'Integrated Finance',
  },
  calendar: { timeZone: 'America/Los_Angeles', holidays: 'us-federal', extraHolidays: [] },
  sla: {
    firstResponse: 'PT2H',
    warnAtFraction: 0.8,
    followUpBusinessDays: 2,
    closeAfterBusinessDays: 1,
    unansweredAttempts: 2,
    salesLeadReminderBusinessDays: 2,
    approvalReminderEvery: 'PT24H',
    approvalRemindersBeforeEscalation: 3,
    csTicketTimeout: 'PT1H',
    reopenWindow: 'P14D',
    queueSweepEvery: 'PT20M',
  },
  routes: {
    'general.how_to': { requestType: 'General Inquiry' },
    'general.financier_partner_status': { requestType: 'General Inquiry' },
    'general.other': { requestType: 'General Inquiry' },
    'sales.lead': { requestType: 'Sales Inquiry' },
    'tech.bug': { requestType: 'Technical Support' },
    'data.incentive_override': { requestType: 'Company-specific Data Change' },
    'data.equipment': { requestType: 'Company-specific Data Change' },
    'data.company_change': { requestType: 'Company-specific Data Change' },
    'data.channel_partner_invite': { requestType: 'Company-specific Data Change' },
    'config.feature_toggle': { requestType: 'Company-specific Data Change' },
    'config.utility_degradation': { requestType: 'Company-specific Data Change' },
    'config.other': { requestType: 'Company-specific Data Change' },
    'finance.non_integrated': { requestType: 'Company-specific Data Change' },
    'finance.deactivate_integrated': { requestType: 'Company-specific Data Change' },
    'data.installer_contracts': { requestType: 'Company-specific Data Change' },
    'finance.sunlight': { requestType: 'Company-specific Data Change' },
    'finance.sunlight_tesla': { requestType: 'Company-specific Data Change' },
    'finance.other_financier': { requestType: 'Company-specific Data Change' },
    'finance.integration_question': { requestType: 'Company-specific Data Change' },
    'onboarding.everbright': { requestType: 'Company-specific Data Change Onboarding' },
    'project.legal_contact': { requestType: 'Project-specific Data Change' },
    'project.training': { requestType: 'Project-specific Data Change' },
    'project.other': { requestType: 'Project-specific Data Change' },
    feature_request: { requestType: 'Feature Request' },
    non_platform: { requestType: 'Non-Platform Request' },
  },
  templates: {
    acknowledgement:
      'Hello,\n\nThank you for contacting Sighten Support. We have received your request ({key}) and are looking into it. We will update you here.\n\nRegards,\nSighten Support',
    salesLeadReply:
      'Hello,\n\nThank you for your interest in Sighten! I have passed your request to our sales team, who will contact you shortly to talk about pricing and a demo.\n\nRegards,\nSighten Support',
    resolvedAskConfirm:
      'Hello,\n\n{note}\n\nWe believe this resolves your request. Please reply to confirm, or tell us if anything is still not working. If we do not hear from you within one business day, we will close this ticket.\n\nRegards,\nSighten Support',
    needsInput:
      'Hello,\n\nTo continue with your request we need some information from you:\n\n{question}\n\nRegards,\nSighten Support',
    needsInputReminder:
      'Hello,\n\nWe are still waiting for your answer to our question (reminder {attempt} of {attempts}):\n\n{question}\n\nIf we do not hear from you within one business day, we will close this ticket.\n\nRegards,\nSighten Support',
    closedUnresponsive:
      'Hello,\n\nWe have not heard back from you, so we are closing this ticket. Reply at any time if you still need help.\n\nRegards,\nSighten Support',
    reopenTooLate:
      'Hello,\n\nThis request ({key}) was closed some time ago, so we cannot reopen it. Please open a new request and mention {key} in it, and we will be glad to help.\n\nRegards,\nSighten Support',
    closedResolved:
      'Hello,\n\nWe have not heard back, so we are closing this ticket as resolved. Reply at any time if you still need help.\n\nRegards,\nSighten Support',
    statusUpdate:
      'Hello,\n\nA quick update: your request is still being worked on by our configuration team ({linked}). We will let you know as soon as it is done.\n\nRegards,\nSighten Support',
    bugStatusUpdate:
      'Hello,\n\nA quick update: our development team is still working on the problem you reported ({linked}). We will let you know as soon as it is fixed.\n\nRegards,\nSighten Support',
    csDone: 'Our configuration team has completed the change you requested ({linked}).',
    bugFixed: 'Our development team has fixed the problem you reported ({linked}).',
    legalContact:
      'Legal contact information on a project is managed by its financier: please contact your financier to update it.',
    training:
      "Hello,\n\nWe would be glad to set up training. Please book a time on your account manager's calendar: {calendarUrl}\n\nRegards,\nSighten Support",
    trainingFollowUp: 'Were you able to book your training appointment? Please reply to confirm once it is scheduled.',
    featureRequestThanks:
      'Hello,\n\nThank you for the suggestion! We have logged it with our product team, who review every request.\n\nRegards,\nSighten Support',
    csAskDocuments:
      'Hello,\n\nThank you for your request ({key}). To pass it to our configuration team we need {documents}: please attach it to this ticket (or reply to this e-mail with the file attached). As soon as we have it we will open the request with our configuration team and keep you updated here.\n\nRegards,\nSighten Support',
    sunlightPartner:
      'Hello,\n\nThank you for your request ({key}). Requests from Sunlight Financial partners follow the Sunlight partner process; we are taking it from here and will update you on this ticket.\n\nRegards,\nSighten Support',
    collectDocuments:
      'Hello,\n\nThank you. We have opened a request with our configuration team ({linked}) and will keep you updated here.{documentsNote}\n\nRegards,\nSighten Support',
    onboardingWrongSender:
      'Hello,\n\nPartner onboarding requests can only be processed when they come from the EverBright onboarding team. Please ask your account manager to loop in {onboardingMailbox} and submit the request through the onboarding process.\n\nRegards,\nSighten Support',
    onboardingComplete:
      'Hello,\n\nConfiguration is complete, and the account is ready to launch. Please coordinate with {accountManager} to schedule Onboarding training. {accountManager} please confirm all required documents have been submitted.\n\nRegards,\nSighten Support',
  },
  links: {
    incentiveOverrideSop: 'https://sighten.atlassian.net/wiki/spaces/SS/pages/incentive-override',
    featureToggleSop: 'https://sighten.atlassian.net/wiki/spaces/SS/pages/2388918295',
    utilityDegradationSop: 'https://sighten.atlassian.net/wiki/spaces/SS/pages/utility-degradation',
    sunlightPartnerSop: 'https://sighten.atlassian.net/wiki/spaces/SS/pages/532021314',
    otherFinancierSop: 'https://sighten.atlassian.net/wiki/spaces/SS/pages/other-financier',
    trainingDocs: 'https://help.sighten.io',
    defaultCalendarUrl: 'https://calendly.com/sighten-accounts',
  },
  classification: { threshold: 0.5, rules: defaultClassificationRules },
  aha: { productId: 'SIGHTEN', createdBy: 'deskflow@sighten.io' },
  worker: { taskQueue: 'deskflow', maxCachedWorkflows: 300 },
  history: { maxEventsPerRun: 1000, maxBytesPerRun: 512 * 1024 },
};
