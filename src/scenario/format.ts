/**
 * The scenario file format (shared/scenarios/FORMAT.md) as a schema, so a malformed file is
 * refused with the path of what is wrong before anything runs.
 */
import { z } from 'zod';
import { isoDuration } from '../config/schema';
import { describeIssues } from '../shared/zod-issues';

const duration = isoDuration;

const ticket = z.object({
  key: z.string().optional(),
  summary: z.string(),
  description: z.string(),
  reporter: z.string(),
  participants: z.array(z.string()).optional(),
  attachments: z.array(z.string()).optional(),
});

const stringOrNot = z.union([z.string(), z.null(), z.object({ not: z.union([z.string(), z.null()]) })]);
const list = z.union([
  z.array(z.string()),
  z.object({ includes: z.array(z.string()).optional(), excludes: z.array(z.string()).optional() }),
]);

const issueExpectation = z
  .object({
    status: stringOrNot,
    resolution: stringOrNot,
    requestType: stringOrNot,
    organization: stringOrNot,
    priority: stringOrNot,
    epic: stringOrNot,
    reporter: z.union([z.string(), z.null()]),
    assignee: z.union([z.string(), z.null()]),
    qaAssignee: z.union([z.string(), z.null()]),
    labels: list,
    components: list,
    participants: list,
    watchers: list,
    comments: z.array(
      z
        .object({
          public: z.boolean().optional(),
          contains: z.string().optional(),
          by: z.string().optional(),
          // People the comment mentions as Jira mentions (notified), not as text.
          mentions: z.array(z.string()).optional(),
        })
        .strict(),
    ),
    commentCount: z.object({ public: z.number().int().optional(), internal: z.number().int().optional() }).strict(),
    links: z.array(z.object({ type: z.string().optional(), to: z.string().optional() }).strict()),
    exists: z.boolean(),
  })
  .partial()
  .strict();

const ISSUE_KEYS = /^(ticket(#\d+)?|cs|dev|[A-Z][A-Z0-9]*-\d+)$/;

export const expectationSchema = z
  .object({
    slack: z.array(z.object({ to: z.string().optional(), contains: z.string().optional() }).strict()).optional(),
    slackCount: z.number().int().optional(),
    aha: z.array(z.object({ contains: z.string().optional() }).strict()).optional(),
    workflow: z.object({ status: z.string() }).strict().optional(),
  })
  .catchall(issueExpectation)
  .superRefine((value, ctx) => {
    for (const key of Object.keys(value)) {
      if (['slack', 'slackCount', 'aha', 'workflow'].includes(key)) continue;
      if (!ISSUE_KEYS.test(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'not an issue reference (ticket, ticket#2, cs, dev or a key)',
        });
    }
  });

const step = z.union([
  z.object({ wait: duration }).strict(),
  z
    .object({
      comment: z
        .object({ by: z.string(), body: z.string(), internal: z.boolean().optional(), on: z.string().optional() })
        .strict(),
    })
    .strict(),
  z.object({ cli: z.array(z.string()).min(1), fails: z.boolean().optional() }).strict(),
  z
    .object({ transition: z.object({ issue: z.string(), to: z.string(), by: z.string().optional() }).strict() })
    .strict(),
  z.object({ ticket }).strict(),
  z.object({ outage: z.object({ service: z.enum(['jira', 'slack', 'aha']), for: duration }).strict() }).strict(),
  z.object({ expect: expectationSchema }).strict(),
]);

export const scenarioSchema = z
  .object({
    name: z.string(),
    start: z
      .union([
        z.object({ weekday: z.string(), time: z.string().regex(/^\d{1,2}:\d{2}$/) }).strict(),
        z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), time: z.string().regex(/^\d{1,2}:\d{2}$/) }).strict(),
      ])
      .optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    ticket,
    steps: z.array(step).optional(),
    expect: expectationSchema.optional(),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type Step = z.infer<typeof step>;
export type Expectation = z.infer<typeof expectationSchema>;
export type IssueExpectation = z.infer<typeof issueExpectation>;
export type TicketInput = z.infer<typeof ticket>;

export function parseScenario(json: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = describeIssues(result.error);
  throw new Error(`${source}: not a valid scenario: ${issues.join('; ')}`);
}
