/**
 * An email's attachments (DESIGN §7: the license certificate's PDF and signed copy, an invoice's
 * PDF). The outbox row names them (`attachments`, JSON) in the transaction of its event; the
 * worker renders them when it sends, from the organization's documents as they are then — so the
 * event's transaction stays short, and a retried email carries the same files again.
 */
import * as v from 'valibot';
import { dayOf } from '../../shared/dates';
import type { AppDeps } from '../app-env';
import { publicUrl } from '../config';
import { certificateData, certificatePdf, signCertificate } from '../orders/certificate';
import { invoiceData, invoicePdf } from '../orders/invoice-document';
import type { MailAttachment } from './mailer';
import { PermanentMailError } from './retry-policy';

const spec = v.variant('kind', [
  v.object({ kind: v.literal('license-certificate'), orderId: v.pipe(v.string(), v.maxLength(40)) }),
  v.object({ kind: v.literal('invoice'), invoiceId: v.pipe(v.string(), v.maxLength(40)) }),
]);
/** What one attachment is made from. */
export type AttachmentSpec = v.InferOutput<typeof spec>;
const specs = v.pipe(v.array(spec), v.maxLength(10));

/** The outbox column's value for these attachments (null: none). */
export const encodeAttachments = (list: readonly AttachmentSpec[] | undefined): string | null => (list?.length ? JSON.stringify(list) : null);

/** A file name made of the reference's safe characters (`license-certificate-PO-1001.pdf`). */
export const fileSafe = (s: string): string =>
  s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'order';

/** The files of an order's license certificate: the PDF and the signed JSON (shared/certificate.ts). */
export async function certificateFiles(deps: AppDeps, orgId: string, orderId: string): Promise<{ pdf: MailAttachment; json: MailAttachment } | null> {
  const base = publicUrl(deps.config);
  const found = await certificateData(deps.store.db, base, orgId, orderId);
  if (!found.ok) return null;
  const now = deps.clock.now();
  const name = `license-certificate-${fileSafe(found.value.order.reference)}`;
  const [pdf, json] = await Promise.all([certificatePdf(found.value, dayOf(now)), signCertificate(deps.ticketKeys, found.value, base, now)]);
  return {
    pdf: { filename: `${name}.pdf`, contentType: 'application/pdf', content: pdf },
    json: { filename: `${name}.json`, contentType: 'application/jose+json', content: Buffer.from(json, 'utf8') },
  };
}

/** An invoice's PDF (marked paid once it is). */
export async function invoiceFile(deps: AppDeps, orgId: string, invoiceId: string): Promise<MailAttachment | null> {
  const found = await invoiceData(deps.store.db, publicUrl(deps.config), orgId, invoiceId);
  if (!found.ok) return null;
  return { filename: `invoice-${fileSafe(found.value.invoice.number)}.pdf`, contentType: 'application/pdf', content: await invoicePdf(found.value) };
}

/**
 * Renders the attachments an outbox row names. A document that is gone fails the email for good
 * (PermanentMailError): sending it without what it announces would mislead, and no retry brings it back.
 */
export async function renderAttachments(deps: AppDeps, orgId: string | null, column: string | null): Promise<MailAttachment[]> {
  if (!column) return [];
  let value: unknown;
  try {
    value = JSON.parse(column);
  } catch {
    value = null;
  }
  const parsed = v.safeParse(specs, value);
  if (!parsed.success || !orgId) throw new PermanentMailError('The email names attachments Allot cannot make');
  const out: MailAttachment[] = [];
  for (const a of parsed.output) {
    if (a.kind === 'license-certificate') {
      const files = await certificateFiles(deps, orgId, a.orderId);
      if (!files) throw new PermanentMailError('The order of this certificate no longer exists');
      out.push(files.pdf, files.json);
    } else {
      const file = await invoiceFile(deps, orgId, a.invoiceId);
      if (!file) throw new PermanentMailError('The invoice no longer exists');
      out.push(file);
    }
  }
  return out;
}
