/** `deskflow escalate`: hand the ticket to a person: the Support Supervisor, or for an onboarding the account manager (E-16). */
import { escalateUpdate } from '../../../workflows/messages';
import { optionText, type CommandContext } from '../context';
import { runTicketUpdate, withBy } from '../ticket';

export function run(ctx: CommandContext): Promise<number> {
  return runTicketUpdate(ctx, escalateUpdate, withBy(ctx, { note: optionText(ctx, 'note') }));
}
