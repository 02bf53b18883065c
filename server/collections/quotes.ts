import { publicUrl } from '../config';
import { notifyQuoteCreated } from '../notify/events';
import { countDocs } from '../store/docs';
import type { CollectionRules } from './types';

/**
 * Quotes (DESIGN §3): requested by org admins or primary billing contacts; the server numbers
 * them per organization and year (`Q-2026-0001`, counting every quote ever made there) and
 * tells the new-quotes and primary billing contacts. (A quote request's lines are free text
 * for the vendor to price: they name no organization documents.)
 */
export const quotes: CollectionRules<'quotes'> = {
  immutable: ['number', 'requestedByMemberId', 'createdAt'],
  serverOnly: ['number', 'totalCents'],
  async fill({ w, before, after }) {
    if (before || after._deleted || after.number) return after;
    const made = await countDocs(w.tx, { collection: 'quotes', org: w.orgId, withDeleted: true });
    return { ...after, number: `Q-${w.now.slice(0, 4)}-${String(made + 1).padStart(4, '0')}` };
  },
  async effect({ w, before, after, deps }) {
    if (before || after._deleted) return;
    await notifyQuoteCreated(w, publicUrl(deps.config), after);
  },
};
