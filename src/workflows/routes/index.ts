/** S-12: each route's handling (ROUTING.md R-01..R-25). */
import type { TicketState } from '../state';
import { onboarding } from '../onboarding';
import { csTicket } from './cs-ticket';
import { featureRequest } from './feature-request';
import { nonPlatform } from './non-platform';
import { legalContact, training } from './project';
import { salesLead } from './sales-lead';
import { accountOwner, handOver, supportAnswers, withSop } from './support-handled';
import { techBug } from './tech-bug';

export type RouteHandler = (t: TicketState) => Promise<void>;

export const routeHandlers: Record<string, RouteHandler> = {
  'general.how_to': supportAnswers,
  'general.financier_partner_status': handOver(
    'R-02',
    (t) => t.settings.roles.opsOwner,
    'Financier partner status is handled by Ops',
  ),
  'general.other': supportAnswers,
  'sales.lead': salesLead,
  'tech.bug': techBug,
  'data.incentive_override': withSop('incentiveOverrideSop', 'R-06 incentive override: support adds it now'),
  'data.equipment': csTicket,
  'data.company_change': csTicket,
  'data.channel_partner_invite': csTicket,
  'config.feature_toggle': withSop('featureToggleSop', 'R-10 feature toggle: support enables or disables it'),
  'config.utility_degradation': withSop(
    'utilityDegradationSop',
    'R-11 utility degradation: support updates the percent',
  ),
  'config.other': csTicket,
  'finance.non_integrated': csTicket,
  'finance.deactivate_integrated': csTicket,
  'data.installer_contracts': csTicket,
  'finance.sunlight': csTicket,
  'finance.sunlight_tesla': handOver(
    'R-17',
    (t) => t.settings.roles.sunlightTeslaOwner,
    'Tesla-related Sunlight configuration',
  ),
  'finance.other_financier': withSop(
    'otherFinancierSop',
    'R-18 new financier partnership: support creates it with the checklist',
  ),
  'finance.integration_question': handOver(
    'R-19',
    (t) => t.settings.roles.integrationsOwner,
    'Financier integration question',
  ),
  'onboarding.everbright': onboarding,
  'project.legal_contact': legalContact,
  'project.training': training,
  'project.other': handOver('R-23', accountOwner, 'Project change for the account owner'),
  feature_request: featureRequest,
  non_platform: nonPlatform,
};

/** A route the configuration knows but the code does not is handled by support. */
export function routeHandler(route: string): RouteHandler {
  return routeHandlers[route] ?? supportAnswers;
}
