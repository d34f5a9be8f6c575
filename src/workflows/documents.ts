/**
 * R-07/R-08: the documents a customer sends for a configuration change reach the CS ticket as files.
 */
import { jira } from './activities';
import { internalNote } from './steps';
import type { TicketState } from './state';

/**
 * R-07/R-08: the SS ticket's documents are attached to the CS ticket (their content, copied once each);
 * a file Jira refuses (over the size limit, deleted meanwhile) is named to the agent in an internal note.
 */
export async function copyDocuments(t: TicketState, step: string, cs: string, filenames: string[]): Promise<void> {
  const { failed } = await jira.copyAttachments({ from: t.key, to: cs, filenames });
  if (failed.length === 0) return;
  await internalNote(
    t,
    step,
    `These documents could not be attached to ${cs}; please pass them on by hand: ${failed.map((f) => `${f.filename} (${f.reason})`).join('; ')}.`,
  );
}
