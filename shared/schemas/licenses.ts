import * as v from 'valibot';
import { base, id, isoDate, personRef } from './common';

export const LICENSE_STATUSES = ['available', 'assigned'] as const;

export const licenseSchema = v.object({
  ...base,
  orderId: id,
  teamId: id,
  productId: id,
  status: v.picklist(LICENSE_STATUSES),
  assignee: v.optional(personRef),
  assignedAt: v.optional(isoDate),
  assignedVia: v.optional(id),
  validUntil: isoDate,
});
export type License = v.InferOutput<typeof licenseSchema>;
