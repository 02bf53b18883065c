/**
 * Tells this process's outbox workers that mail was queued outside an organization's
 * transaction (sign-in), so they look now instead of on their next round. One per app
 * (createApp → deps.outbox); organization mail wakes them through the store's change feed.
 */
export interface OutboxSignal {
  /** Call after the transaction that queued mail committed. */
  wake(): void;
  onWake(listener: () => void): () => void;
}

export function createOutboxSignal(): OutboxSignal {
  const listeners = new Set<() => void>();
  return {
    wake() {
      for (const l of listeners) l();
    },
    onWake(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
