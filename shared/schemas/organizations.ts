import * as v from 'valibot';
import { base, nonEmpty } from './common';

/** An organization; its `orgId` is its own id. */
export const organizationSchema = v.object({ ...base, name: nonEmpty(200) });
export type Organization = v.InferOutput<typeof organizationSchema>;
