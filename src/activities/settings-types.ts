/** Types shared by the settings activities and the workflows (no runtime code). */
import type { DeskflowConfig } from '../config/schema';
import type { WorkflowCalendar } from '../workflows/business-calendar';

/** The part of the configuration the workflows use, recorded in history by loadWorkflowSettings. */
export type WorkflowSettings = Pick<
  DeskflowConfig,
  | 'roles'
  | 'accounts'
  | 'domainOrganizations'
  | 'nonPlatformOrganization'
  | 'jira'
  | 'sla'
  | 'routes'
  | 'templates'
  | 'links'
> &
  // Absent from settings recorded before continue-as-new existed.
  Partial<Pick<DeskflowConfig, 'history'>> & {
    classificationThreshold: number;
    /** With the holidays and UTC offsets the activity side computed (absent in settings recorded before). */
    calendar: WorkflowCalendar;
  };

/** S-03: the route a ticket takes, how sure the rules are, and why. */
export interface Classification {
  route: string;
  requestType: string;
  /** 0..1 */
  confidence: number;
  reasons: string[];
}
