import { useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { EmailSignIn } from '../account/email-sign-in';
import { errorWords } from '../ui/error-words';
import { FormError, TextField } from '../ui/field';
import { formatDate, formatDateTime } from '../ui/format';
import { approveDevice, denyDevice, deviceRequest, signedInAccount, userCodeOf, type DeviceRequestInfo } from './data';

/**
 * `/activate` (DESIGN §14, RFC 8628's verification URI): the person types the code their
 * product shows (or arrives with it in the link), signs in or signs up right here, sees the
 * product, the machine and which of their licenses it will use, and approves or denies.
 */
export function ActivatePage() {
  const [search, setSearch] = useSearchParams<{ code?: string }>();
  const [typed, setTyped] = createSignal(search.code ?? '');
  const [codeError, setCodeError] = createSignal('');
  const code = () => (search.code ? userCodeOf(search.code) : null);
  const [account, { refetch: refetchAccount }] = createResource(signedInAccount);
  const [request, { refetch: refetchRequest }] = createResource(
    () => (account() && code() ? code() : false),
    (c) => deviceRequest(c),
  );
  const [choice, setChoice] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [outcome, setOutcome] = createSignal<'approved' | 'denied' | null>(null);
  const [error, setError] = createSignal('');

  const submitCode = (e: Event) => {
    e.preventDefault();
    const c = userCodeOf(typed());
    if (!c) return setCodeError('Enter the 8 letters your product shows, like BCDF-GHJK.');
    setCodeError('');
    setSearch({ code: c });
  };

  const decide = async (info: DeviceRequestInfo, approve: boolean) => {
    setError('');
    setBusy(true);
    const licenseId = info.licenses.length > 1 ? choice() : info.licenses[0]?.id;
    const r = approve ? await approveDevice(info.userCode, licenseId || undefined) : await denyDevice(info.userCode);
    setBusy(false);
    if (r.ok) setOutcome(approve ? 'approved' : 'denied');
    else {
      setError(errorWords(r.code, r.details));
      if (r.code === 'device-code-decided' || r.code === 'device-code-expired') void refetchRequest();
    }
  };

  return (
    <div class="public-page activate-page">
      <div class="public-card">
        <div class="public-brand">Allot</div>
        <h1>Activate a product</h1>
        <Switch>
          <Match when={!code()}>
            <p>Enter the code your product shows to let it use your license.</p>
            <form class="form" onSubmit={submitCode} aria-label="Activation code">
              <TextField
                label="Code"
                autocomplete="one-time-code"
                autocapitalize="characters"
                spellcheck={false}
                placeholder="XXXX-XXXX"
                value={typed()}
                onInput={(e) => setTyped(e.currentTarget.value)}
                error={codeError() || undefined}
              />
              <button type="submit" class="button button-primary button-block">
                Continue
              </button>
            </form>
          </Match>
          <Match when={account() === undefined}>
            <p role="status">Checking whether you are signed in…</p>
          </Match>
          <Match when={account() === null}>
            <p>
              Code <span class="activate-code">{code()}</span>
            </p>
            <h2 class="h3">Sign in or sign up to continue</h2>
            <EmailSignIn returnTo={`/activate?code=${code()}`} onSignedIn={() => void refetchAccount()} submitLabel="Continue with email" />
          </Match>
          <Match when={request()}>
            {(res) => {
              const r = res();
              if (!r.ok) {
                return (
                  <>
                    <p class="form-error" role="alert">
                      {errorWords(r.code)}
                    </p>
                    <button type="button" class="button" onClick={() => setSearch({ code: undefined })}>
                      Enter another code
                    </button>
                  </>
                );
              }
              const info = r.value;
              const decided = () => outcome() ?? (info.status === 'pending' ? null : info.status);
              return (
                <>
                  <dl class="facts facts-stacked">
                    <div>
                      <dt>Product</dt>
                      <dd class="strong">{info.product.name}</dd>
                    </div>
                    <div>
                      <dt>Machine</dt>
                      <dd>{info.machineName}</dd>
                    </div>
                    <div>
                      <dt>Code</dt>
                      <dd class="activate-code">{info.userCode}</dd>
                    </div>
                    <div>
                      <dt>Signed in as</dt>
                      <dd>{account()?.email}</dd>
                    </div>
                  </dl>
                  <Switch>
                    <Match when={decided() === 'approved'}>
                      <div class="claim-result claim-ok" role="status">
                        <h2>Approved</h2>
                        <p>Go back to {info.product.name} on {info.machineName}: it finishes activating by itself.</p>
                      </div>
                    </Match>
                    <Match when={decided() === 'denied'}>
                      <div class="claim-result claim-refused" role="status">
                        <h2>Denied</h2>
                        <p>{info.product.name} on {info.machineName} was not activated.</p>
                      </div>
                    </Match>
                    <Match when={!info.licenses.length}>
                      <p class="claim-result claim-refused" role="alert">
                        {errorWords('no-license')}
                      </p>
                      <button type="button" class="button button-block" disabled={busy()} onClick={() => void decide(info, false)}>
                        Deny
                      </button>
                    </Match>
                    <Match when={true}>
                      <Show
                        when={info.licenses.length > 1}
                        fallback={
                          <p>
                            It will use your license from <strong>{info.licenses[0].organization.name}</strong> (team {info.licenses[0].team.name}, valid until{' '}
                            {formatDate(info.licenses[0].validUntil)}; on {info.licenses[0].machines} of {info.licenses[0].machinesPerLicense} machines).
                          </p>
                        }
                      >
                        <fieldset class="license-choices">
                          <legend>Which license will it use?</legend>
                          <For each={info.licenses}>
                            {(l) => (
                              <label class="license-choice">
                                <input type="radio" name="license" value={l.id} checked={choice() === l.id} onChange={() => setChoice(l.id)} />
                                <span class="cell-stack">
                                  <span class="strong">{l.organization.name}</span>
                                  <span class="muted small">
                                    Team {l.team.name} · valid until {formatDate(l.validUntil)} · on {l.machines} of {l.machinesPerLicense} machines
                                  </span>
                                </span>
                              </label>
                            )}
                          </For>
                        </fieldset>
                      </Show>
                      <FormError message={error()} />
                      <p class="muted small">Approve only if you started this on your own machine. The code expires {formatDateTime(info.expiresAt)}.</p>
                      <div class="button-row">
                        <button
                          type="button"
                          class="button button-primary button-large"
                          disabled={busy() || (info.licenses.length > 1 && !choice())}
                          onClick={() => void decide(info, true)}
                        >
                          Approve
                        </button>
                        <button type="button" class="button button-large" disabled={busy()} onClick={() => void decide(info, false)}>
                          Deny
                        </button>
                      </div>
                    </Match>
                  </Switch>
                </>
              );
            }}
          </Match>
          <Match when={true}>
            <p role="status">Loading the request…</p>
          </Match>
        </Switch>
      </div>
    </div>
  );
}
