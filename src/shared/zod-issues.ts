/** One way to say what a zod schema refused: `path.to.key: message`, joined for a one-line error. */
import type { z } from 'zod';

export function describeIssues(error: z.ZodError, root = '(top level)'): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : root}: ${i.message}`);
}
