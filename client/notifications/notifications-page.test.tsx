// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AllotDatabase } from '../db';
import { memoryDb, ORG_ID, renderScreen, stored } from '../test-utils';
import { NotificationsPage } from './notifications-page';

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
  await db.notifications.bulkInsert([
    { id: 'n1', orgId: ORG_ID, topic: 'license-claimed', recipients: ['ada@acme.test'], subject: 'Xena claimed IntelliJ IDEA', status: 'sent', attempts: 1, sentAt: '2025-02-01T10:00:00.000Z', ...stored },
    { id: 'n2', orgId: ORG_ID, topic: 'invoice-overdue', recipients: ['bill@acme.test'], subject: 'Invoice INV-1 is overdue', status: 'failed', attempts: 5, lastError: '550 mailbox unavailable', ...stored },
    {
      id: 'n3',
      orgId: ORG_ID,
      topic: 'sign-in',
      recipients: ['kim@people.test'],
      subject: 'Your sign-in code',
      status: 'queued',
      attempts: 3,
      lastError: 'ESOCKET: connect ECONNREFUSED 10.0.0.5:587',
      nextAttemptAt: '2025-02-01T10:08:00.000Z',
      ...stored,
    },
  ]);
});
afterEach(async () => {
  cleanup();
  await db.close();
});

describe('Notifications', () => {
  it('lists the sent-mail log and filters it by topic', async () => {
    renderScreen({ db, path: '/n', routes: () => <Route path="/n" component={NotificationsPage} /> });
    const log = await screen.findByRole('table', { name: 'Sent emails' });
    await within(log).findByText('Xena claimed IntelliJ IDEA');
    expect(within(log).getByText('550 mailbox unavailable')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Topic'), { target: { value: 'invoice-overdue' } });
    await waitFor(() => expect(within(log).queryByText('Xena claimed IntelliJ IDEA')).toBeNull());
    expect(within(log).getByText('Invoice INV-1 is overdue')).toBeTruthy();
  });

  it('composes a bulletin and says plainly when the server cannot be reached', async () => {
    renderScreen({ db, path: '/n', routes: () => <Route path="/n" component={NotificationsPage} /> });
    fireEvent.click(await screen.findByRole('button', { name: 'Compose notice' }));
    const dialog = await screen.findByRole('dialog', { name: 'Compose a notice' });
    fireEvent.change(within(dialog).getByLabelText('Topic'), { target: { value: 'data-protection' } });
    fireEvent.input(within(dialog).getByLabelText('Subject'), { target: { value: 'New processor' } });
    fireEvent.input(within(dialog).getByLabelText('Message'), { target: { value: 'We added a sub-processor.' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send notice' }));
    // No server in this test: the request fails and the words for it appear in the dialog.
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/cannot be reached|went wrong/);
  });

  it('says why an email waits and when it is tried next, and offers Retry on failed and waiting emails only', async () => {
    renderScreen({ db, path: '/n', routes: () => <Route path="/n" component={NotificationsPage} /> });
    const log = await screen.findByRole('table', { name: 'Sent emails' });
    const rowOf = async (subject: string) => (await within(log).findByText(subject)).closest('[role="row"]') as HTMLElement;
    const waiting = await rowOf('Your sign-in code');
    expect(within(waiting).getByText('Waiting')).toBeTruthy();
    expect(within(waiting).getByText('Waiting: ESOCKET: connect ECONNREFUSED 10.0.0.5:587')).toBeTruthy();
    expect(within(waiting).getByText(/^next try /)).toBeTruthy();
    expect(within(waiting).getByRole('button', { name: 'Retry email “Your sign-in code” to kim@people.test' })).toBeTruthy();
    expect(within(await rowOf('Invoice INV-1 is overdue')).getByRole('button', { name: /^Retry email/ })).toBeTruthy();
    expect(within(await rowOf('Xena claimed IntelliJ IDEA')).queryByRole('button', { name: /^Retry email/ })).toBeNull();

    // No server in this test: the retry fails and says so.
    fireEvent.click(within(waiting).getByRole('button', { name: /^Retry email/ }));
    expect(await screen.findByText(/server cannot be reached/)).toBeTruthy();
  });
});
