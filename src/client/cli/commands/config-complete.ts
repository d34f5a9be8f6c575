/** `deskflow config-complete`: the config team finished the configuration (E-10), when the CS status change did not say so. */
import { configCompleteUpdate } from '../../../workflows/messages';
import { optionText, type CommandContext } from '../context';
import { runTicketUpdate, withBy } from '../ticket';

export function run(ctx: CommandContext): Promise<number> {
  return runTicketUpdate(ctx, configCompleteUpdate, withBy(ctx, { note: optionText(ctx, 'note') }));
}
