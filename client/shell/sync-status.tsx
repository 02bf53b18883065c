import { Show } from 'solid-js';
import type { SyncStatus } from '../db';
import { formatTime, plural } from '../ui/format';

/**
 * Online/offline, changes waiting, last synced — always visible (DESIGN §11). With no
 * organization open (My licenses of someone in none) there is nothing to sync, and while one is
 * still opening (`status` undefined) nothing is known yet: only online/offline.
 */
export function SyncStatusBar(props: { status: SyncStatus | undefined; onSyncNow?: () => void; networkOnly?: boolean }) {
  const s = () => props.status;
  const online = () => s()?.online ?? (typeof navigator === 'undefined' || navigator.onLine);
  const pending = () => s()?.pending ?? 0;
  const firstSync = () => {
    const st = s();
    // Offline, nothing is loading: the app runs on what the device holds.
    return !!st && st.replicating && !st.initialSyncDone && online();
  };
  const percent = () => {
    const p = s()?.progress;
    return p && p.collectionsTotal ? Math.round((p.collectionsDone / p.collectionsTotal) * 100) : 0;
  };
  return (
    <div class="syncbar">
      <div class="syncbar-items" role="status" aria-live="polite" aria-label="Sync status">
        <span class="sync-pill" classList={{ 'sync-online': online(), 'sync-offline': !online() }}>
          <span class="dot" aria-hidden="true" />
          {online() ? 'Online' : 'Offline'}
        </span>{' '}
        {/* Until the organization's database has opened (a one-time upgrade of it can take a minute) nothing is known of its changes: say nothing rather than "No changes waiting". */}
        <Show when={!props.networkOnly && s()}>
          {/* Offline the app goes on with what this device holds (issue 16 §8): "Offline — working on this device; 3 changes waiting to sync". */}
          <Show when={!online()}>
            <span class="sync-item">— working on this device;</span>{' '}
          </Show>
          <span class="sync-item" classList={{ 'sync-waiting': pending() > 0 }}>
            {pending() > 0 ? `${plural(pending(), 'change')} waiting to sync` : 'No changes waiting'}
          </span>{' '}
          <Show when={s()?.lastSyncedAt || online()}>
            <span class="sync-item muted">{s()?.lastSyncedAt ? `Last synced ${formatTime(s()!.lastSyncedAt!)}` : 'Not synced yet'}</span>
          </Show>
        </Show>
        <Show when={props.onSyncNow}>
          <button type="button" class="button button-small button-ghost" onClick={() => props.onSyncNow!()}>
            Sync now
          </button>
        </Show>
      </div>
      <Show when={firstSync()}>
        <div class="first-sync">
          <span id="first-sync-label">Loading your organization’s data… {s()?.progress.docsReceived ?? 0} items</span>
          <progress class="progress" aria-labelledby="first-sync-label" max="100" value={percent()} />
        </div>
      </Show>
      <Show when={s()?.outdated}>
        <div class="banner banner-warn" role="alert">
          This app is out of date, so syncing has stopped.{' '}
          <button type="button" class="button button-small" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </Show>
      <Show when={s()?.signedOut}>
        <div class="banner banner-warn" role="alert">
          Your session has ended. Your changes are kept on this device.{' '}
          <a class="button button-small" href={`/signin?returnTo=${encodeURIComponent(location.pathname)}`}>
            Sign in again
          </a>
        </div>
      </Show>
    </div>
  );
}
