import * as v from 'valibot';
import { base, email, id, nonEmpty } from './common';

/** Primary roles may sign in; the other four only receive the emails of their topic. */
export const PRIMARY_ROLES = ['primaryLicensee', 'primaryTechnical', 'primaryBilling'] as const;
export const NOTIFICATION_ROLES = ['unpaidInvoices', 'newQuotes', 'securityPrivacy', 'dataProtection'] as const;
export const CONTACT_ROLES = [...PRIMARY_ROLES, ...NOTIFICATION_ROLES] as const;
export const contactRole = v.picklist(CONTACT_ROLES);
export type ContactRole = v.InferOutput<typeof contactRole>;

export const ROLE_NAMES: Record<ContactRole, string> = {
  primaryLicensee: 'Primary licensee',
  primaryTechnical: 'Primary technical',
  primaryBilling: 'Primary billing',
  unpaidInvoices: 'Unpaid invoices',
  newQuotes: 'New quotes',
  securityPrivacy: 'Security and privacy updates',
  dataProtection: 'Data protection',
};

export const contactSchema = v.object({
  ...base,
  name: nonEmpty(200),
  email,
  roles: v.pipe(v.array(contactRole), v.maxLength(CONTACT_ROLES.length)),
  orderIds: v.pipe(v.array(id), v.maxLength(10_000)),
  disabled: v.boolean(),
  source: v.picklist(['manual', 'order']),
});
export type Contact = v.InferOutput<typeof contactSchema>;
