/**
 * A pull the server answered with `reset` (DESIGN §4: the person's reach changed, so the
 * server starts the collection over from zero). The client must end up holding exactly the
 * server's answer, so this pulls the whole collection and adds, for every local document the
 * answer does not contain, a copy deleted by the master. That removes it without pushing a
 * deletion, and RxDB's downstream leaves alone any document with an unpushed local change
 * (it goes up first and the server decides), so nothing waiting is lost.
 */
import type { RxCollection } from 'rxdb';
import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { Checkpoint, PullResponse } from '../../shared/sync';
import type { Transport } from './transport';

export interface PulledBatch {
  documents: WireDoc[];
  checkpoint: Checkpoint | undefined;
}

/**
 * `first`: the answer that said `reset`. Pulls on while pages come back full (`batchSize`
 * documents); a page that says `reset` again starts over.
 */
export async function pullAfterReset(
  transport: Transport,
  collection: RxCollection,
  name: CollectionName,
  first: PullResponse,
  batchSize: number,
): Promise<PulledBatch> {
  const documents = [...first.documents];
  let checkpoint = first.checkpoint ?? undefined;
  let last = first;
  while (last.documents.length >= batchSize) {
    last = await transport.pull(name, checkpoint ?? null, batchSize);
    if (last.reset) return pullAfterReset(transport, collection, name, last, batchSize);
    documents.push(...last.documents);
    checkpoint = last.checkpoint ?? checkpoint;
  }
  const keep = new Set(documents.map((d) => d.id));
  const local = await collection.find().exec();
  for (const doc of local) {
    if (!keep.has(doc.primary)) documents.push({ ...(doc.toMutableJSON() as WireDoc), _deleted: true });
  }
  return { documents, checkpoint };
}
