/** `deskflow classify`: the agent decides the ticket's route (S-03), below the confidence threshold or to override deskflow's classification. */
import { classifyUpdate } from '../../../workflows/messages';
import { optionText, type CommandContext } from '../context';
import { runTicketUpdate, withBy } from '../ticket';

export function run(ctx: CommandContext): Promise<number> {
  return runTicketUpdate(ctx, classifyUpdate, withBy(ctx, { route: optionText(ctx, 'route') ?? '' }));
}
