/**
 * Who may act on a ticket through the CLI. Every command that changes a ticket names its actor
 * (`--by`, else $DESKFLOW_AGENT), and the actor must be one of the people the configuration names in
 * a staff role. An address at an internal domain is not enough: anyone can type one, and the
 * configuration is where a desk decides who works its tickets.
 *
 * `approve` (E-13) belongs to the configured onboarding approver; a staff member may send it for the
 * approver only with `--for <approver>` and a note saying how the approval was given.
 */
import type { DeskflowConfig } from '../../config';

/** The staff roles of the configuration, by the name a refusal shows. */
export function staffRoles(config: DeskflowConfig): Map<string, string[]> {
  const r = config.roles;
  const byPerson = new Map<string, string[]>();
  const add = (role: string, emails: readonly string[]) => {
    for (const email of emails) {
      const key = email.toLowerCase();
      byPerson.set(key, [...(byPerson.get(key) ?? []), role]);
    }
  };
  add('onDutyAgents', r.onDutyAgents);
  add('supportSupervisor', [r.supportSupervisor]);
  add('salesLead', [r.salesLead]);
  add('opsOwner', [r.opsOwner]);
  add('sunlightTeslaOwner', [r.sunlightTeslaOwner]);
  add('integrationsOwner', [r.integrationsOwner]);
  add('csQaAssignee', [r.csQaAssignee]);
  add('configTeam', r.configTeam);
  add('defaultAccountManager', [r.defaultAccountManager]);
  for (const [organization, account] of Object.entries(config.accounts)) {
    add(`accounts.${organization}.accountManager`, [account.accountManager]);
  }
  return byPerson;
}

export function isStaff(email: string, config: DeskflowConfig): boolean {
  return staffRoles(config).has(email.toLowerCase());
}

export function isApprover(email: string, config: DeskflowConfig): boolean {
  return email.toLowerCase() === config.roles.onboardingApprover.toLowerCase();
}

export type ActorRule = 'staff' | 'approver';

/**
 * Why `by` may not send this command, or null when it may. `onBehalfOf` is `approve --for`.
 */
export function actorRefusal(
  rule: ActorRule,
  by: string,
  config: DeskflowConfig,
  extra: { onBehalfOf?: string; note?: string } = {},
): string | null {
  const notStaff = `${by} is not a configured staff member; only the people in the configuration's staff roles (onDutyAgents, supportSupervisor, configTeam, …) may change tickets`;
  if (rule === 'staff') return isStaff(by, config) ? null : notStaff;

  const approver = config.roles.onboardingApprover;
  if (extra.onBehalfOf !== undefined) {
    if (!isApprover(extra.onBehalfOf, config)) return `--for must name the configured approver (${approver})`;
    if (!isStaff(by, config)) return notStaff;
    if (!extra.note?.trim()) return `--note is required with --for: say how ${approver} approved`;
    return null;
  }
  if (isApprover(by, config) || isStaff(by, config)) return null;
  return `${by} is neither the configured approver (${approver}) nor a configured staff member acting for them`;
}
