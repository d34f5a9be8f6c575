/** `deskflow confirm`: the customer confirmed the issue is resolved (S-14), e.g. by phone: deskflow closes the ticket (resolution Done). */
import { confirmUpdate } from '../../../workflows/messages';
import { optionText, type CommandContext } from '../context';
import { runTicketUpdate, withBy } from '../ticket';

export function run(ctx: CommandContext): Promise<number> {
  return runTicketUpdate(ctx, confirmUpdate, withBy(ctx, { note: optionText(ctx, 'note') }));
}
