import * as v from 'valibot';
import { base, dayOrTimestamp, id, personRef, productRef, timestamp } from './common';

export const LICENSE_STATUSES = ['available', 'assigned'] as const;

export const licenseSchema = v.object({
  ...base,
  orderId: id,
  teamId: id,
  productId: productRef,
  status: v.picklist(LICENSE_STATUSES),
  assignee: v.optional(personRef),
  assignedAt: v.optional(timestamp),
  assignedVia: v.optional(id),
  validUntil: dayOrTimestamp,
});
export type License = v.InferOutput<typeof licenseSchema>;
