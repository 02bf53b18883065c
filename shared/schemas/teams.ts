import * as v from 'valibot';
import { base, id, nonEmpty } from './common';

export const teamSchema = v.object({
  ...base,
  name: nonEmpty(200),
  createdFromOrderId: v.optional(id),
});
export type Team = v.InferOutput<typeof teamSchema>;
