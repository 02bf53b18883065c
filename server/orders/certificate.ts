/**
 * An order's license certificate (DESIGN §7; seed: "The licensee receives your license
 * certificate"): what was ordered, for whom, in which team, until when, each license's short
 * reference and how the licenses reach people — as the words of an email, a PDF, and a signed
 * JSON certificate (shared/certificate.ts) verifiable with the keys tickets are signed with
 * (DESIGN §14, GET /.well-known/jwks.json).
 */
import type { Kysely } from 'kysely';
import { FlattenedSign } from 'jose';
import { dayOfField } from '../../shared/dates';
import { fail, ok, type Result } from '../../shared/errors';
import { licenseRef } from '../../shared/license-ref';
import { orgPath } from '../../shared/links';
import { CERTIFICATE_TYP, type CertificateClaims } from '../../shared/certificate';
import type { WireDoc } from '../../shared/schemas';
import type { TicketKeys } from '../activation/keys';
import { TICKET_ALG } from '../activation/keys';
import { countDocs, findDoc, listDocs } from '../store/docs';
import type { DB } from '../store/schema';
import { renderPdf } from '../documents/pdf';

/** The most licenses one certificate lists; an order beyond it (MAX_ORDER_SEATS allows 100,000) says how many more it has. */
export const CERTIFICATE_MAX_LICENSES = 10_000;

type Party = { name: string; email: string };

export interface CertificateLicense {
  id: string;
  ref: string;
  productId: string;
  product: string;
  status: 'available' | 'assigned';
  holder?: Party;
  /** The day it was handed out (YYYY-MM-DD). */
  assignedOn?: string;
  /** The invitation it was claimed through, by name ('' when the invitation has none or is gone). */
  via?: string;
}

/** Everything a certificate says, read from the organization's documents. Days are `YYYY-MM-DD`. */
export interface CertificateData {
  org: { id: string; name: string };
  order: { id: string; reference: string; placedOn: string; validUntil: string };
  team: { id: string; name: string };
  licensee: Party;
  lines: { productId: string; code: string; product: string; quantity: number }[];
  /** The licenses listed (at most the limit asked for), ordered by product then reference. */
  licenses: CertificateLicense[];
  /** How many licenses the order has in all. */
  licenseCount: number;
  /** The order's page in the app (absolute). */
  orderUrl: string;
  /** Where the keys that sign the JSON certificate are published (absolute). */
  jwksUrl: string;
}

const day = (v: string) => dayOfField(v) ?? v.slice(0, 10);

/**
 * Reads an order's certificate in organization `orgId` (in a transaction or not). Lists at
 * most `licenseLimit` licenses (default CERTIFICATE_MAX_LICENSES). `base` is PUBLIC_URL.
 * Errors: `not-found` when there is no such live, materialized order in the organization.
 */
export async function certificateData(
  db: Kysely<DB>,
  base: string,
  orgId: string,
  orderId: string,
  licenseLimit = CERTIFICATE_MAX_LICENSES,
): Promise<Result<CertificateData, 'not-found'>> {
  const order = await findDoc(db, 'orders', orderId);
  if (!order || order._deleted || order.orgId !== orgId || !order.materializedAt) return fail('not-found', 'There is no such order');
  const [org, team, licenseeContact, products, licenses, licenseCount] = await Promise.all([
    findDoc(db, 'organizations', orgId),
    order.teamId ? findDoc(db, 'teams', order.teamId) : Promise.resolve(undefined),
    order.licenseeContactId ? findDoc(db, 'contacts', order.licenseeContactId) : Promise.resolve(undefined),
    listDocs(db, { collection: 'products', org: '', where: { id: order.lines.map((l) => l.productId) } }),
    listDocs(db, { collection: 'licenses', org: orgId, where: { orderId } }, { orderBy: 'id', limit: Math.max(0, licenseLimit) }),
    countDocs(db, { collection: 'licenses', org: orgId, where: { orderId } }),
  ]);
  const productOf = new Map(products.map((p) => [p.id, p]));
  const viaIds = [...new Set(licenses.map((l) => l.assignedVia).filter((v): v is string => !!v))];
  const invitations = viaIds.length ? await listDocs(db, { collection: 'invitations', org: orgId, where: { id: viaIds } }) : [];
  const invitationName = new Map(invitations.map((i) => [i.id, i.name ?? '']));
  const productName = (id: string) => productOf.get(id)?.name ?? 'a product';
  const listed = licenses.map((l) => certificateLicense(l, productName(l.productId), l.assignedVia ? invitationName.get(l.assignedVia) ?? '' : undefined));
  const rank = new Map(order.lines.map((l, i) => [l.productId, i]));
  listed.sort((a, b) => (rank.get(a.productId) ?? 0) - (rank.get(b.productId) ?? 0) || a.ref.localeCompare(b.ref));
  const licensee = licenseeContact && !licenseeContact._deleted ? { name: licenseeContact.name, email: licenseeContact.email } : order.licensee ?? { name: '', email: '' };
  return ok({
    org: { id: orgId, name: org && !org._deleted ? org.name : 'Your organization' },
    order: { id: order.id, reference: order.reference, placedOn: day(order.placedAt), validUntil: day(order.validUntil) },
    team: { id: order.teamId, name: team && !team._deleted ? team.name : order.teamName || order.reference },
    licensee,
    lines: order.lines.map((l) => ({ productId: l.productId, code: productOf.get(l.productId)?.code ?? l.productId, product: productName(l.productId), quantity: l.quantity })),
    licenses: listed,
    licenseCount,
    orderUrl: `${base}${orgPath(orgId, `/orders/${encodeURIComponent(order.id)}`)}`,
    jwksUrl: `${base}/.well-known/jwks.json`,
  });
}

function certificateLicense(l: WireDoc<'licenses'>, product: string, via: string | undefined): CertificateLicense {
  const held = l.status === 'assigned' && l.assignee;
  return {
    id: l.id,
    ref: licenseRef(l.id),
    productId: l.productId,
    product,
    status: held ? 'assigned' : 'available',
    ...(held ? { holder: { name: l.assignee!.name, email: l.assignee!.email } } : {}),
    ...(held && l.assignedAt ? { assignedOn: day(l.assignedAt) } : {}),
    ...(held && via !== undefined ? { via } : {}),
  };
}

/** How one license reaches (or reached) a person, in a sentence. */
export function howItReaches(l: CertificateLicense, team: string): string {
  if (l.status === 'assigned' && l.holder) {
    const who = l.holder.name ? `${l.holder.name} <${l.holder.email}>` : l.holder.email;
    const through = l.via === undefined ? '' : l.via ? ` through the invitation “${l.via}”` : ' through an invitation link';
    return `Assigned to ${who}${l.assignedOn ? ` on ${l.assignedOn}` : ''}${through}`;
  }
  return `Available: goes to the next person who claims an invitation link of the team ${team}`;
}

/** How the order's licenses reach people, for the email and the PDF. */
export function deliveryWords(c: Pick<CertificateData, 'org' | 'team'>): string {
  return (
    `The licenses wait in the team ${c.team.name}. An admin of ${c.org.name} creates an invitation link for the team and shares it; ` +
    'each person who claims it with their own email address is assigned one license and finds it under My licenses, ' +
    'where their product activates with it. A license that is revoked returns to the team for the next claim.'
  );
}

/** The claims of the signed certificate (shared/certificate.ts). `iat` in seconds since the epoch. */
export function certificateClaims(c: CertificateData, iss: string, now: Date): CertificateClaims {
  return {
    iss,
    sub: c.order.id,
    iat: Math.floor(now.getTime() / 1000),
    org: c.org,
    order: { id: c.order.id, reference: c.order.reference, placedOn: c.order.placedOn, validUntil: c.order.validUntil },
    team: c.team,
    licensee: c.licensee,
    lines: c.lines.map((l) => ({ product: l.code, name: l.product, quantity: l.quantity })),
    licenseCount: c.licenseCount,
    licenses: c.licenses.map((l) => ({ id: l.id, ref: l.ref, product: l.product, status: l.status })),
  };
}

/**
 * The signed JSON certificate: a JWS in the flattened JSON serialization (RFC 7515 §7.2.2),
 * EdDSA with the current ticket key, `typ` CERTIFICATE_TYP so it is never taken for a ticket.
 */
export async function signCertificate(keys: TicketKeys, c: CertificateData, iss: string, now: Date): Promise<string> {
  const { kid, key } = await keys.signer(now);
  const payload = new TextEncoder().encode(JSON.stringify(certificateClaims(c, iss, now)));
  const jws = await new FlattenedSign(payload).setProtectedHeader({ alg: TICKET_ALG, kid, typ: CERTIFICATE_TYP }).sign(key);
  return JSON.stringify(jws);
}

/** The certificate as a PDF: the order, its products, the team, validity, every license listed and how they reach people. */
export function certificatePdf(c: CertificateData, issuedOn: string): Promise<Buffer> {
  const more = c.licenseCount - c.licenses.length;
  return renderPdf({
    title: 'License certificate',
    subtitle: `${c.org.name} · order ${c.order.reference} · issued ${issuedOn} by Allot`,
    blocks: [
      {
        kind: 'facts',
        rows: [
          ['Organization', c.org.name],
          ['Order reference', c.order.reference],
          ['Placed on', c.order.placedOn],
          ['Licensee', c.licensee.name ? `${c.licensee.name} <${c.licensee.email}>` : c.licensee.email],
          ['Team', c.team.name],
          ['Valid until', `${c.order.validUntil} (the licenses' last day)`],
          ['Licenses', String(c.licenseCount)],
        ],
      },
      { kind: 'heading', text: 'Products' },
      {
        kind: 'table',
        columns: [
          { header: 'Product', width: 3 },
          { header: 'Code', width: 2 },
          { header: 'Quantity', width: 1 },
        ],
        rows: c.lines.map((l) => [l.product, l.code, String(l.quantity)]),
      },
      { kind: 'heading', text: 'How the licenses reach people' },
      { kind: 'paragraph', text: deliveryWords(c) },
      { kind: 'heading', text: 'Licenses' },
      {
        kind: 'table',
        columns: [
          { header: 'Reference', width: 2 },
          { header: 'Product', width: 3 },
          { header: 'Status', width: 6 },
        ],
        rows: c.licenses.map((l) => [l.ref, l.product, howItReaches(l, c.team.name)]),
      },
      ...(more > 0 ? [{ kind: 'paragraph' as const, text: `…and ${more} more licenses of this order, listed on its page: ${c.orderUrl}` }] : []),
    ],
    footer:
      `A signed copy of this certificate (JSON, JWS with EdDSA) can be checked against the keys published at ${c.jwksUrl}. ` +
      `The order's page: ${c.orderUrl}`,
  });
}
