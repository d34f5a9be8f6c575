/** Issue 8: the business-day scenarios as if the suite ran around Thanksgiving, Christmas and a DST change. */
import { describeAnyDay } from './any-day';

describeAnyDay((day) => /^(Thanksgiving|Christmas|DST change)/.test(day.label));
