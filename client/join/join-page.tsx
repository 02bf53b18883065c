import { useParams } from '@solidjs/router';
import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import type { License } from '../../shared/schemas';
import { EmailSignIn } from '../account/email-sign-in';
import { NamePrompt } from '../account/name-form';
import { errorWords } from '../ui/error-words';
import { formatDate, formatDateTime } from '../ui/format';
import { claimLicense, invitationOffer, signedInAccount, type InvitationInfo } from './data';

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
  const [account, { refetch: refetchAccount }] = createResource(signedInAccount);
  const [claiming, setClaiming] = createSignal(false);
  const [license, setLicense] = createSignal<License | null>(null);
  const [refusal, setRefusal] = createSignal<{ code: string; words: string } | null>(null);

  const claim = async () => {
    setClaiming(true);
    setRefusal(null);
    const r = await claimLicense(params.token);
    setClaiming(false);
    if (r.ok) setLicense(r.value);
    else setRefusal({ code: r.code, words: errorWords(r.code, r.details) });
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
                </dl>
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
                  <Match when={account() && !account()!.name}>
                    {/* First sign-in: a name, so the admins read who claimed, not half an address (issue 16 §11). */}
                    <p class="muted">Signed in as {account()?.email}</p>
                    <NamePrompt onSaved={() => void refetchAccount()} />
                  </Match>
                  <Match when={account()}>
                    <p class="muted">Signed in as {account()?.email}</p>
                    <Show when={refusal()}>
                      {(f) => (
                        <div class="claim-result claim-refused" role="alert">
                          <strong>{f().words}</strong>
                          <Show when={f().code === 'no-assets-left'}>
                            <p>All the licenses of this invitation have been claimed. Ask the person who sent you the link to free one.</p>
                          </Show>
                        </div>
                      )}
                    </Show>
                    <button type="button" class="button button-primary button-block button-large" disabled={claiming()} onClick={claim}>
                      {claiming() ? 'Claiming…' : 'Claim license'}
                    </button>
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
