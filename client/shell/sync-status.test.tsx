// @vitest-environment jsdom
import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { initialStatus, type SyncStatus } from '../db/status';
import { SyncStatusBar } from './sync-status';

const status = (over: Partial<SyncStatus>): SyncStatus => ({ ...initialStatus(13), replicating: true, initialSyncDone: true, ...over });
const text = () => screen.getByRole('status', { name: 'Sync status' }).textContent!.replace(/\s+/g, ' ').trim();

afterEach(cleanup);

describe('the sync bar (issue 16 §8)', () => {
  it('offline after a reload: working on this device, with the changes waiting — not "Not synced yet"', () => {
    render(() => <SyncStatusBar status={status({ online: false, pending: 3 })} />);
    expect(text()).toBe('Offline — working on this device; 3 changes waiting to sync');
  });

  it('offline with a known last sync says when', () => {
    render(() => <SyncStatusBar status={status({ online: false, pending: 1, lastSyncedAt: '2026-11-30T09:05:00.000Z' })} />);
    expect(text()).toMatch(/^Offline — working on this device; 1 change waiting to sync Last synced /);
  });

  it('online and in sync', () => {
    render(() => <SyncStatusBar status={status({ online: true, pending: 0 })} />);
    expect(text()).toBe('Online No changes waiting Not synced yet');
  });

  it('while the organization is still opening (its database being upgraded), says nothing of its changes', () => {
    render(() => <SyncStatusBar status={undefined} />);
    expect(text()).toMatch(/^(Online|Offline)$/);
  });
});
