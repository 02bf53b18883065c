import { useParams } from '@solidjs/router';
import { createEffect, createMemo, createResource, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import type { License } from '../../shared/schemas';
import { EmailSignIn } from '../account/email-sign-in';
import { NamePrompt } from '../account/name-form';
import { errorWords } from '../ui/error-words';
import { formatDate, formatDateTime } from '../ui/format';
import { licenseRef } from '../../shared/license-ref';
import { claimLicense, domainWords, heldHere, invitationEligibility, invitationOffer, signOutHere, joinWaitlist, leaveWaitlist, signedInAccount, waitlistStatus, type InvitationInfo, type WaitlistStatus } from './data';

/** How often a waiting person's page asks whether a license was handed to them. */
const WAITLIST_POLL_MS = 3000;

/** Refusals that trying again with the same address cannot change (DESIGN §6). */
const FINAL_REFUSALS = new Set(['domain-not-allowed', 'revoked-cannot-reclaim']);

const STATUS_WORDS: Record<InvitationInfo['status'], string> = {
  active: '',
  expired: errorWords('invitation-expired'),
  disabled: errorWords('invitation-disabled'),
  'used-up': errorWords('invitation-used-up'),
};

/**
 * The page an invitation link opens (public, phone-first): what is offered, sign in or
 * sign up right here, claim, and the license or the refusal in plain words.
 */
export function JoinPage() {
  const params = useParams<{ token: string }>();
  const [info] = createResource(() => params.token, invitationOffer);
  const [eligibility] = createResource(() => params.token, invitationEligibility);
  const [account, { refetch: refetchAccount }] = createResource(signedInAccount);
  // A signed-in person who already holds this license sees it, not "Claim license".
  const [held, { mutate: setHeld }] = createResource(
    () => {
      const r = info();
      return account() && r?.ok ? r.value : false;
    },
    heldHere,
  );
  const useAnotherEmail = async () => {
    await signOutHere();
    setRefusal(null);
    setHeld(null);
    void refetchAccount();
  };
  const [claiming, setClaiming] = createSignal(false);
  const [license, setLicense] = createSignal<License | null>(null);
  const [refusal, setRefusal] = createSignal<{ code: string; words: string } | null>(null);

  const [waiting, setWaiting] = createSignal<Extract<WaitlistStatus, { status: 'waiting' }> | null>(null);
  const [waitBusy, setWaitBusy] = createSignal(false);

  /** A waitlist answer: the license when it was handed out, the place in line while waiting. */
  const took = (w: WaitlistStatus) => {
    if (w.status === 'served') {
      setWaiting(null);
      setRefusal(null);
      setLicense(w.license);
    } else if (w.status === 'waiting') setWaiting(w);
    else setWaiting(null);
  };

  // Signed in: someone already waiting sees their place at once.
  createEffect(() => {
    if (!account()) return;
    void waitlistStatus(params.token).then((r) => r.ok && took(r.value));
  });
  // While waiting, ask now and then whether the license was handed out (it shows without a reload).
  const isWaiting = createMemo(() => waiting() !== null);
  createEffect(() => {
    if (!isWaiting()) return;
    const timer = setInterval(() => void waitlistStatus(params.token).then((r) => r.ok && took(r.value)), WAITLIST_POLL_MS);
    onCleanup(() => clearInterval(timer));
  });

  const claim = async () => {
    setClaiming(true);
    setRefusal(null);
    const r = await claimLicense(params.token);
    setClaiming(false);
    if (r.ok) setLicense(r.value);
    else setRefusal({ code: r.code, words: errorWords(r.code, r.details) });
  };

  const join = async () => {
    setWaitBusy(true);
    const r = await joinWaitlist(params.token);
    setWaitBusy(false);
    if (r.ok) took(r.value);
    else setRefusal({ code: r.code, words: errorWords(r.code, r.details) });
  };

  const leave = async () => {
    setWaitBusy(true);
    const r = await leaveWaitlist(params.token);
    setWaitBusy(false);
    if (r.ok || r.code === 'not-on-waitlist') setWaiting(null);
  };

  return (
    <div class="public-page join-page">
      <div class="public-card">
        <div class="public-brand">Allot</div>
        <Show when={info()} fallback={<p role="status">Loading the invitation…</p>}>
          {(res) => {
            const r = res();
            if (!r.ok) {
              return (
                <>
                  <h1>Invitation</h1>
                  <p class="form-error" role="alert">
                    {errorWords(r.code)}
                  </p>
                </>
              );
            }
            const inv = r.value;
            return (
              <>
                <p class="join-org">{inv.organization}</p>
                <h1>
                  {inv.product} license
                  <span class="join-sub"> from the team {inv.team}</span>
                </h1>
                <dl class="facts facts-stacked">
                  <Show when={inv.name}>
                    <div>
                      <dt>Invitation</dt>
                      <dd>{inv.name}</dd>
                    </div>
                  </Show>
                  <div>
                    <dt>Organization</dt>
                    <dd>{inv.organization}</dd>
                  </div>
                  <div>
                    <dt>Team</dt>
                    <dd>{inv.team}</dd>
                  </div>
                  <div>
                    <dt>Product</dt>
                    <dd>{inv.product}</dd>
                  </div>
                  <div>
                    <dt>Link expires</dt>
                    <dd>{inv.expiresAt ? formatDateTime(inv.expiresAt) : 'Never'}</dd>
                  </div>
                  <Show when={eligibility()}>
                    {(e) => (
                      <div>
                        <dt>Who may claim</dt>
                        <dd>{domainWords(e().allowedDomains)}</dd>
                      </div>
                    )}
                  </Show>
                </dl>
                {/* What the page can know before anyone signs up (issue 16 §10): the seats are gone. */}
                <Show when={inv.status === 'active' && eligibility()?.seatsLeft === false && !license() && !waiting() && !held()}>
                  <p class="banner banner-warn" role="status">
                    <strong>No seats left.</strong> Every license of this invitation is taken right now. Sign in to join the waitlist: you get
                    the next one that is freed.
                  </p>
                </Show>
                <Switch>
                  <Match when={license()}>
                    {(l) => (
                      <div class="claim-result claim-ok" role="status">
                        <h2>The license is yours</h2>
                        <p>
                          {inv.product}, valid until {formatDate(l().validUntil)}. Sign in to {inv.product} with{' '}
                          <strong>{l().assignee?.email}</strong> to activate it.
                        </p>
                        <a class="button button-primary button-block" href="/my-licenses">
                          Open My licenses
                        </a>
                      </div>
                    )}
                  </Match>
                  <Match when={inv.status !== 'active'}>
                    <p class="claim-result claim-refused" role="alert">
                      {STATUS_WORDS[inv.status]}
                    </p>
                  </Match>
                  <Match when={account() === undefined}>
                    <p role="status">Checking whether you are signed in…</p>
                  </Match>
                  <Match when={account() === null}>
                    <h2 class="h3">Sign in or sign up to claim it</h2>
                    <EmailSignIn returnTo={`/join/${params.token}`} onSignedIn={() => void refetchAccount()} submitLabel="Continue with email" />
                  </Match>
                  <Match when={held()}>
                    {(h) => (
                      <div class="claim-result claim-ok" role="status">
                        <h2>You already hold this license</h2>
                        <p>
                          {h().product.name} in the team {h().team.name}, license {licenseRef(h().license.id)}, valid until {formatDate(h().license.validUntil)}.
                        </p>
                        <a class="button button-primary button-block" href="/my-licenses">
                          Open My licenses
                        </a>
                      </div>
                    )}
                  </Match>
                  <Match when={account() && !account()!.name}>
                    {/* First sign-in: a name, so the admins read who claimed, not half an address (issue 16 §11). */}
                    <p class="muted">Signed in as {account()?.email}</p>
                    <NamePrompt onSaved={() => void refetchAccount()} />
                  </Match>
                  <Match when={account()}>
                    <p class="muted">Signed in as {account()?.email}</p>
                    <Show when={waiting()}>
                      {(w) => (
                        <div class="claim-result claim-waiting" role="status">
                          <h2>You are on the waitlist</h2>
                          <p>
                            Number <strong>{w().position}</strong> in line since {formatDateTime(w().joinedAt)}. When a license is freed and it is
                            your turn, it is given to you and you get an email; this page shows it.
                          </p>
                          <button type="button" class="button button-block" disabled={waitBusy()} onClick={leave}>
                            Leave the waitlist
                          </button>
                        </div>
                      )}
                    </Show>
                    <Show when={!waiting() && refusal()}>
                      {(f) => (
                        <div class="claim-result claim-refused" role="alert">
                          <strong>{f().words}</strong>
                          <Show when={f().code === 'no-assets-left'}>
                            <p>All the licenses of this invitation have been claimed. Join the waitlist to get the next one that is freed.</p>
                            <button type="button" class="button button-primary button-block" disabled={waitBusy()} onClick={join}>
                              {waitBusy() ? 'Joining…' : 'Join the waitlist'}
                            </button>
                          </Show>
                        </div>
                      )}
                    </Show>
                    <Show when={!waiting() && refusal() && FINAL_REFUSALS.has(refusal()!.code)}>
                      <button type="button" class="button button-block" onClick={useAnotherEmail}>
                        Use another email
                      </button>
                    </Show>
                    <Show when={!waiting()}>
                      <button
                        type="button"
                        class="button button-primary button-block button-large"
                        // Nothing changes for this address by trying again: another address might.
                        disabled={claiming() || (!!refusal() && FINAL_REFUSALS.has(refusal()!.code))}
                        onClick={claim}
                      >
                        {claiming() ? 'Claiming…' : 'Claim license'}
                      </button>
                    </Show>
                  </Match>
                </Switch>
              </>
            );
          }}
        </Show>
      </div>
    </div>
  );
}
