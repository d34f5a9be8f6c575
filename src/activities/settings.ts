/**
 * Configuration and classification as activities: pure functions, run as activities so their results
 * are recorded in history and a configuration change (or a new classification rule) never breaks the
 * replay of a running ticket.
 */
import type { DeskflowConfig } from '../config/schema';
import { classify } from '../classification/classify';
import { calendarTable } from './calendar';
import type { Classification, ClassifyTicketInput, WorkflowSettings } from './contract';

export function createSettingsActivities(config: DeskflowConfig) {
  /** The slice of the configuration the workflows use (roles, Jira names, SLA, calendar, routes, templates). */
  /** `at`: the workflow's time, which the calendar table is centred on (default: now). */
  async function loadWorkflowSettings(input: { at?: string } = {}): Promise<WorkflowSettings> {
    // Everything but what only the worker and the activities use.
    const { classification, aha: _aha, worker: _worker, ...used } = config;
    // The calendar's data (holidays, UTC offsets) is recorded too: a library or tz update never moves a
    // running ticket's deadlines on replay (issue 10).
    const calendar = {
      ...used.calendar,
      table: calendarTable(used.calendar, input.at ? new Date(input.at) : new Date()),
    };
    // A deep copy: the recorded settings must not share objects with the live configuration.
    return structuredClone({ ...used, calendar, classificationThreshold: classification.threshold });
  }

  /** S-03: classifies summary + description + reporter into a route, with confidence and reasons. */
  async function classifyTicket(input: ClassifyTicketInput): Promise<Classification> {
    return classify(
      {
        summary: input.summary,
        description: input.description,
        reporter: input.reporter,
      },
      config,
    );
  }

  return { loadWorkflowSettings, classifyTicket };
}

export type SettingsActivities = ReturnType<typeof createSettingsActivities>;
