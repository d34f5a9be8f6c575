/** Issue 8: the business-day scenarios as if the suite ran on each of the next seven days. */
import { describeAnyDay } from './any-day';

describeAnyDay((day) => /^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day /.test(day.label));
