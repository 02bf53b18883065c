import * as v from 'valibot';
import { base, id, optionalRef, str } from './common';

export const memberSchema = v.object({
  ...base,
  accountId: optionalRef,
  email: str(254),
  name: str(200),
  isOrgAdmin: v.boolean(),
  adminOfTeamIds: v.pipe(v.array(id), v.maxLength(1000)),
  disabled: v.boolean(),
});
export type Member = v.InferOutput<typeof memberSchema>;
