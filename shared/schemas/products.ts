import * as v from 'valibot';
import { baseNoOrg, nonEmpty } from './common';

/** How many machines one license may be activated on when the catalog does not say (DESIGN §14). */
export const DEFAULT_MACHINES_PER_LICENSE = 3;

/** The operator's catalog; read-only for every client. */
export const productSchema = v.object({
  ...baseNoOrg,
  code: nonEmpty(40),
  name: nonEmpty(200),
  /** At most this many machines per license (DESIGN §14); absent: DEFAULT_MACHINES_PER_LICENSE. */
  machinesPerLicense: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
});
export type Product = v.InferOutput<typeof productSchema>;
