// @vitest-environment jsdom
import { Route } from '@solidjs/router';
import { cleanup, fireEvent, screen, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as v from 'valibot';
import { email } from '../../shared/schemas/common';
import { api, type ApiResult, type InvitationInfo, type Me, type MyLicense } from '../api';
import type { AllotDatabase } from '../db';
import { errorWords } from '../ui/error-words';
import { formatDateTime } from '../ui/format';
import { fx, holder, meAs, memoryDb, renderScreen } from '../test-utils';
import { JoinPage } from './join-page';

const EXPIRES = '2031-06-30T17:00:00.000Z';
const offer = (over: Partial<InvitationInfo> = {}): InvitationInfo => ({
  organization: 'Acme Corp',
  team: 'Platform',
  product: 'IntelliJ IDEA Ultimate',
  name: 'Spring interns',
  expiresAt: EXPIRES,
  status: 'active',
  ...over,
});

let db: AllotDatabase;
beforeEach(async () => {
  db = await memoryDb();
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await db.close();
});

function open(info: ApiResult<InvitationInfo>, me: ApiResult<Me>) {
  const invitation = vi.spyOn(api, 'invitation').mockResolvedValue(info);
  vi.spyOn(api, 'me').mockResolvedValue(me);
  renderScreen({ db, me: meAs(null), outsideOrg: true, path: '/join/tok-123', routes: () => <Route path="/join/:token" component={JoinPage} /> });
  return { invitation };
}
const signedIn: ApiResult<Me> = { ok: true, value: { account: { id: 'acct-bo', email: 'bo@acme.test', name: 'Bo' }, organizations: [] } };
const signedOut: ApiResult<Me> = { ok: false, code: 'unauthenticated', message: 'no session' };
const fact = (term: string) => screen.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;

describe('Join page', () => {
  it('shows organization, team, product, invitation name and expiry, and a Claim button for a signed-in person', async () => {
    const { invitation } = open({ ok: true, value: offer() }, signedIn);
    expect(await screen.findByRole('heading', { level: 1, name: /IntelliJ IDEA Ultimate license/ })).toBeTruthy();
    expect(invitation).toHaveBeenCalledWith('tok-123');
    expect(fact('Organization')).toBe('Acme Corp');
    expect(fact('Team')).toBe('Platform');
    expect(fact('Product')).toBe('IntelliJ IDEA Ultimate');
    expect(fact('Invitation')).toBe('Spring interns');
    expect(fact('Link expires')).toBe(formatDateTime(EXPIRES));
    expect(await screen.findByRole('button', { name: 'Claim license' })).toBeTruthy();
    expect(screen.getByText(/Signed in as bo@acme\.test/)).toBeTruthy();
  });

  it('asks a signed-out person to sign in instead of offering Claim', async () => {
    open({ ok: true, value: offer({ expiresAt: null }) }, signedOut);
    expect(await screen.findByRole('heading', { name: 'Sign in or sign up to claim it' })).toBeTruthy();
    expect(fact('Link expires')).toBe('Never');
    expect(screen.queryByRole('button', { name: 'Claim license' })).toBeNull();
  });

  it('checks the address with the server’s rule before asking for a sign-in email', async () => {
    expect(v.safeParse(email, 'bo@acme_test.com').success).toBe(false);
    open({ ok: true, value: offer() }, signedOut);
    const requestSignIn = vi.spyOn(api, 'requestSignIn').mockResolvedValue({ ok: true, value: { ok: true } });
    const field = await screen.findByLabelText('Email');
    fireEvent.input(field, { target: { value: 'bo@acme_test.com' } });
    // Submitted as a browser whose own check of type="email" let it pass.
    fireEvent.submit(field.closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toBe('Enter a valid email address.');
    expect(requestSignIn).not.toHaveBeenCalled();

    fireEvent.input(field, { target: { value: ' Bo@Acme.test ' } });
    fireEvent.submit(field.closest('form')!);
    await screen.findByText(/Check your email/);
    expect(requestSignIn).toHaveBeenCalledWith({ email: 'bo@acme.test', returnTo: '/join/tok-123' });
  });

  it('claims and shows the license', async () => {
    open({ ok: true, value: offer() }, signedIn);
    const claim = vi.spyOn(api, 'claim').mockResolvedValue({
      ok: true,
      value: fx.license('l9', { ...holder('acct-bo', 'Bo'), validUntil: '2032-01-31T00:00:00.000Z' }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Claim license' }));
    const ok = await screen.findByRole('heading', { name: 'The license is yours' });
    expect(claim).toHaveBeenCalledWith('tok-123');
    expect(ok.parentElement!.textContent).toContain('bo@acme.test');
    expect(screen.getByRole('link', { name: 'Open My licenses' }).getAttribute('href')).toBe('/my-licenses');
  });

  it('says "No assets left" when every license has been claimed', async () => {
    open({ ok: true, value: offer() }, signedIn);
    vi.spyOn(api, 'claim').mockResolvedValue({ ok: false, code: 'no-assets-left', message: 'none' });
    fireEvent.click(await screen.findByRole('button', { name: 'Claim license' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('No assets left')).toBeTruthy();
    expect(alert.textContent).toMatch(/All the licenses of this invitation have been claimed/);
  });

  it('names the allowed domains when the email address is not at one of them', async () => {
    open({ ok: true, value: offer() }, signedIn);
    const button = await screen.findByRole('button', { name: 'Claim license' });
    vi.spyOn(api, 'claim').mockResolvedValue({
      ok: false,
      code: 'domain-not-allowed',
      message: 'no',
      details: { allowedDomains: ['acme.test', 'acme.example'] },
    });
    fireEvent.click(button);
    expect((await screen.findByRole('alert')).textContent).toBe('This invitation is only for email addresses at acme.test, acme.example.');
  });

  for (const [status, words] of [
    ['expired', 'This invitation link has expired.'],
    ['disabled', 'This invitation link has been disabled.'],
    ['used-up', 'This invitation has been used as many times as it allows.'],
  ] as const) {
    it(`refuses a ${status} invitation in words, without a Claim button`, async () => {
      expect(errorWords(`invitation-${status}`)).toBe(words);
      open({ ok: true, value: offer({ status }) }, signedIn);
      expect((await screen.findByRole('alert')).textContent).toBe(words);
      expect(fact('Product')).toBe('IntelliJ IDEA Ultimate');
      expect(screen.queryByRole('button', { name: 'Claim license' })).toBeNull();
    });
  }

  it('says when the link does not exist', async () => {
    open({ ok: false, code: 'not-found', message: 'nope' }, signedIn);
    expect((await screen.findByRole('alert')).textContent).toBe('This invitation link does not exist.');
  });
});

describe('Join page, first sign-in (issue 16 §11)', () => {
  it('asks a new account for its name before the claim, and shows Claim once it has one', async () => {
    const nameless: ApiResult<Me> = { ok: true, value: { account: { id: 'acct-pia', email: 'pia@acme.test', name: '' }, organizations: [] } };
    const named: ApiResult<Me> = { ok: true, value: { account: { id: 'acct-pia', email: 'pia@acme.test', name: 'Pia Nováková' }, organizations: [] } };
    vi.spyOn(api, 'invitation').mockResolvedValue({ ok: true, value: offer() });
    const me = vi.spyOn(api, 'me').mockResolvedValue(nameless);
    const save = vi.spyOn(api, 'setMyName').mockResolvedValue(named);
    renderScreen({ db, me: meAs(null), outsideOrg: true, path: '/join/tok-123', routes: () => <Route path="/join/:token" component={JoinPage} /> });
    const prompt = await screen.findByRole('region', { name: 'What should we call you?' });
    expect(screen.queryByRole('button', { name: 'Claim license' })).toBeNull();
    // An empty name is refused by the shared rule before anything is sent.
    fireEvent.click(within(prompt).getByRole('button', { name: 'Save my name' }));
    await within(prompt).findByText('Enter your name.');
    expect(save).not.toHaveBeenCalled();
    me.mockResolvedValue(named);
    fireEvent.input(within(prompt).getByLabelText('Your name'), { target: { value: '  Pia Nováková ' } });
    fireEvent.click(within(prompt).getByRole('button', { name: 'Save my name' }));
    await screen.findByRole('button', { name: 'Claim license' });
    expect(save).toHaveBeenCalledWith('Pia Nováková');
  });
});

describe('Join page, before and after a refusal (issue 16 §10)', () => {
  const mine = (over: Partial<MyLicense> = {}): MyLicense => ({
    license: { ...fx.license('b01ed95e-3c4d-4e5f-8a9b-0c1d2e3f4a5b', holder('acct-bo', 'Bo')), validUntil: '2031-12-31' },
    organization: { id: 'org-acme', name: 'Acme Corp' },
    product: { code: 'IIU', name: 'IntelliJ IDEA Ultimate' },
    team: { name: 'Platform' },
    machines: [],
    ...over,
  });

  it('says who may claim and that no seat is left before anyone signs in', async () => {
    vi.spyOn(api, 'invitationEligibility').mockResolvedValue({ ok: true, value: { allowedDomains: ['partners.test', '*.example.org'], seatsLeft: false } });
    open({ ok: true, value: offer() }, signedOut);
    await screen.findByText('Who may claim');
    await screen.findByRole('heading', { name: 'Sign in or sign up to claim it' });
    expect(fact('Who may claim')).toBe('Only addresses at partners.test, or addresses at any subdomain of example.org (not example.org itself)');
    expect(screen.getByText(/No seats left\./).closest('[role="status"]')!.textContent).toContain('Sign in to join the waitlist');
  });

  it('after a refusal no other try can change, offers another email and keeps Claim from being pressed again', async () => {
    vi.spyOn(api, 'myLicenses').mockResolvedValue({ ok: true, value: { licenses: [] } });
    const claim = vi.spyOn(api, 'claim').mockResolvedValue({ ok: false, code: 'domain-not-allowed', message: 'no', details: { allowedDomains: ['partners.test'] } });
    const logout = vi.spyOn(api, 'logout').mockResolvedValue({ ok: true, value: { ok: true } });
    const me = vi.spyOn(api, 'me');
    vi.spyOn(api, 'invitationEligibility').mockResolvedValue({ ok: true, value: { allowedDomains: ['partners.test'], seatsLeft: true } });
    open({ ok: true, value: offer() }, signedIn);
    fireEvent.click(await screen.findByRole('button', { name: 'Claim license' }));
    await screen.findByRole('button', { name: 'Use another email' });
    expect((screen.getByRole('button', { name: 'Claim license' }) as HTMLButtonElement).disabled).toBe(true);
    expect(claim).toHaveBeenCalledTimes(1);
    me.mockResolvedValue(signedOut);
    fireEvent.click(screen.getByRole('button', { name: 'Use another email' }));
    await screen.findByRole('heading', { name: 'Sign in or sign up to claim it' });
    expect(logout).toHaveBeenCalled();
  });

  it('shows a person who already holds the license that license, not Claim', async () => {
    vi.spyOn(api, 'myLicenses').mockResolvedValue({ ok: true, value: { licenses: [mine()] } });
    open({ ok: true, value: offer() }, signedIn);
    const held = await screen.findByRole('heading', { name: 'You already hold this license' });
    expect(held.parentElement!.textContent).toContain('license L-B01E-D95E');
    expect(screen.queryByRole('button', { name: 'Claim license' })).toBeNull();
  });
});
