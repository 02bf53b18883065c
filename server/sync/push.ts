import * as v from 'valibot';
import { wireSchema, type CollectionName, type WireDoc } from '../../shared/schemas';
import type { PushResponse, PushRow, Rejection } from '../../shared/sync';
import type { AppDeps } from '../app-env';
import type { Principal } from '../auth/principal';
import { orgTx } from '../store/docs';
import { canSee } from './visibility';
import { checkFieldRules, changedFields, SERVER_ONLY_COLLECTIONS } from './field-rules';
import { authorizePush } from './authorize';
import { pushChecks, pushEffects, pushFills } from './effects';

/**
 * Applies RxDB push rows in one transaction. A row whose assumed master is not the stored
 * state is a conflict (the stored state goes back); a row the rules refuse comes back as
 * its stored state plus a rejection; a refused new document comes back deleted so the
 * client drops it. A retried push meets its own earlier write as a conflict equal to what
 * it sent, and so changes nothing.
 */
export async function pushRows<C extends CollectionName>(
  deps: AppDeps,
  principal: Principal & { orgId: string },
  collection: C,
  rows: PushRow[],
): Promise<PushResponse<C>> {
  const conflicts: WireDoc<C>[] = [];
  const rejected: Rejection[] = [];
  const schema = wireSchema(collection);
  await orgTx(deps.store, principal.orgId, deps.clock.now(), async (w) => {
    for (const row of rows) {
      const raw = row.newDocumentState as Record<string, unknown>;
      const id = typeof raw.id === 'string' ? raw.id.slice(0, 40) : '';
      if (!id) {
        rejected.push({ id: '', code: 'invalid-document', message: 'A document needs an id' });
        continue;
      }
      const stored = await w.get(collection, id);
      const storedVisible = stored && canSee(principal, collection, stored as WireDoc) ? stored : undefined;
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
      const after = parsed.output as unknown as WireDoc<C>;
      if (stored && changedFields(stored, after).length === 0) continue;
      // Server-only collections first (the same answer for everyone), then the role, then the fields.
      const ruled = SERVER_ONLY_COLLECTIONS.has(collection)
        ? checkFieldRules(collection, stored, after)
        : (authorizePush(principal, collection, stored, after) ?? checkFieldRules(collection, stored, after));
      if (ruled) {
        refuse(ruled);
        continue;
      }
      const ctx = { w, principal, before: stored, after, deps };
      const checked = await pushChecks[collection]?.(ctx as any);
      if (checked) {
        refuse(checked);
        continue;
      }
      // Server-set fields (a new member's account) only once every check passed: a refused row
      // shares the transaction with the accepted ones and must leave no account behind.
      const filled = (await pushFills[collection]?.(ctx as any)) ?? after;
      const written = await w.put(collection, filled, stored ?? null);
      await pushEffects[collection]?.({ ...ctx, after: written } as any);
    }
  });
  return { conflicts, rejected };
}
