import * as v from 'valibot';
import { base, nonEmpty } from './common';

const days = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)));

/** An organization; its `orgId` is its own id. */
export const organizationSchema = v.object({
  ...base,
  name: nonEmpty(200),
  /**
   * Unused seats (DESIGN §14, the Overview): a license assigned this many days ago and never
   * activated (absent: 14), or not checked in for `unusedSeatsIdleDays` (absent: 30).
   */
  unusedSeatsNotActivatedDays: days,
  unusedSeatsIdleDays: days,
});
export type Organization = v.InferOutput<typeof organizationSchema>;
