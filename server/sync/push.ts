import * as v from 'valibot';
import { changedFields } from '../../shared/equality';
import { isDocId } from '../../shared/ids';
import { wireSchema, type CollectionName, type WireDoc } from '../../shared/schemas';
import type { PushResponse, PushRow, Rejection } from '../../shared/sync';
import type { AppDeps } from '../app-env';
import type { Principal } from '../auth/principal';
import { rulesOf, type PushContext } from '../collections';
import { fieldRefusal } from '../collections/field-rules';
import { orgTx } from '../store/docs';
import { auditPushed } from '../audit/pushed';
import type { AuditClient } from '../audit/record';
import { serveFreedLicenses } from '../waitlist/serve';
import { authorizePush } from './authorize';
import { canSee } from './visibility';

/** The row's id when it is one (a UUID; a product id for products), else '': nothing else is looked up or echoed. */
const rowId = (collection: CollectionName, raw: Record<string, unknown>) => (isDocId(collection, raw.id) ? raw.id : '');

/**
 * Applies RxDB push rows (DESIGN §5) in one transaction. A row whose assumed master is not
 * the stored state is a conflict (the stored state goes back); a row the rules refuse comes
 * back as its stored state plus a rejection; a refused new document comes back deleted so
 * the client drops it. A retried push meets its own earlier write as a conflict equal to what
 * it sent, and so changes nothing. Someone in no organization has every row refused
 * (`not-allowed`). Each accepted row goes through its collection's rules (server/collections/)
 * and appends its audit event (DESIGN §15; `client`: where the push came from). Licenses the
 * push left available go to the people waiting for them (DESIGN §6 Waitlist), in the same
 * transaction.
 */
export async function pushRows<C extends CollectionName>(
  deps: AppDeps,
  principal: Principal,
  collection: C,
  rows: PushRow[],
  client?: AuditClient,
): Promise<PushResponse<C>> {
  const orgId = principal.orgId;
  if (!orgId) {
    return {
      conflicts: rows.map((r) => ({ ...r.newDocumentState, seq: 0, _deleted: true }) as unknown as WireDoc<C>),
      rejected: rows.map((r) => ({ id: rowId(collection, r.newDocumentState), code: 'not-allowed', message: 'You are not part of an organization' })),
    };
  }
  const who = { ...principal, orgId };
  const rules = rulesOf(collection);
  const conflicts: WireDoc<C>[] = [];
  const rejected: Rejection[] = [];
  const schema = wireSchema(collection);
  await orgTx(deps.store, orgId, deps.clock.now(), async (w) => {
    for (const row of rows) {
      const raw = row.newDocumentState;
      const id = rowId(collection, raw);
      if (!id) {
        // Refused before any lookup: an id that is no UUID (NUL, `../`, CR/LF, a lone surrogate) never reaches the database.
        rejected.push({ id: '', code: 'invalid-document', message: collection === 'products' ? 'id: must be a product id' : 'id: must be a UUID', fields: ['id'] });
        continue;
      }
      const stored = await w.get(collection, id);
      const storedVisible = stored && canSee(who, collection, stored) ? stored : undefined;
      const refuse = (r: Omit<Rejection, 'id'>) => {
        rejected.push({ id, ...r });
        conflicts.push(storedVisible ?? ({ ...raw, id, seq: 0, _deleted: true } as unknown as WireDoc<C>));
      };
      const assumed = row.assumedMasterState as { seq?: unknown } | null | undefined;
      if (stored) {
        if (!storedVisible) {
          refuse({ code: 'not-allowed', message: 'You may not change this document' });
          continue;
        }
        if (!assumed || assumed.seq !== stored.seq) {
          conflicts.push(stored);
          continue;
        }
      }
      const parsed = v.safeParse(schema, raw);
      if (!parsed.success) {
        const fields = [...new Set(parsed.issues.map((i) => String(i.path?.[0]?.key ?? '')).filter(Boolean))];
        refuse({
          code: 'invalid-document',
          message: parsed.issues
            .slice(0, 5)
            .map((i) => `${v.getDotPath(i) ?? 'document'}: ${i.message}`)
            .join('; '),
          fields,
        });
        continue;
      }
      const after = parsed.output;
      if (stored && changedFields(stored, after).length === 0) continue;
      // Server-written collections first (the same answer for everyone), then the role, then the fields.
      const ruled = rules.serverWritten
        ? fieldRefusal(collection, rules, stored, after)
        : (authorizePush(who, collection, stored, after) ?? fieldRefusal(collection, rules, stored, after));
      if (ruled) {
        refuse(ruled);
        continue;
      }
      const ctx: PushContext<C> = { w, principal: who, before: stored, after, deps };
      const checked = await rules.check?.(ctx);
      if (checked) {
        refuse(checked);
        continue;
      }
      const filled = (await rules.fill?.(ctx)) ?? after;
      const written = await w.put(collection, filled, stored ?? null);
      await auditPushed(w, who, collection, stored, written, client);
      await rules.effect?.({ ...ctx, after: written });
    }
    await serveFreedLicenses(w, deps, who);
  });
  return { conflicts, rejected };
}
