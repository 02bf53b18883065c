// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, screen } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AllotDatabase } from '../db';
import { memoryDb, renderScreen } from '../test-utils';
import { OrgScope } from './org-scope';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
});
afterEach(async () => {
  cleanup();
  await db.close();
});

const opening = (upgrading: number | null) =>
  renderScreen({
    db,
    path: '/',
    account: { current: () => undefined, upgrading: () => upgrading },
    routes: () => <Route path="/" component={() => <OrgScope>Screens</OrgScope>} />,
  });

describe('an organization while it opens', () => {
  it('says it is opening', () => {
    opening(null);
    expect(screen.getByRole('status').textContent).toBe('Opening Acme Corp…');
  });

  it('says how far the one-time upgrade of this device’s copy is, from 0 %', () => {
    opening(0);
    expect(screen.getByRole('status').textContent).toBe('Opening Acme Corp…Updating this device’s copy after an update of Allot: 0% done. This happens once.');
  });

  it('at 42 %', () => {
    opening(42);
    expect(screen.getByRole('status').textContent).toContain('42% done');
  });
});
