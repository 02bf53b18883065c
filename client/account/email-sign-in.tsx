import { createSignal, Match, Switch } from 'solid-js';
import { email as emailAddress } from '../../shared/schemas/common';
import { errorWords } from '../ui/error-words';
import { FormError, TextField } from '../ui/field';
import { checkField } from '../ui/field-check';
import { requestSignIn, verifyCode } from './data';

/**
 * Passwordless sign-in and sign-up in one: an email address, then the 6-digit code from
 * the email (or its link). An unknown address becomes an account on verification.
 */
export function EmailSignIn(props: {
  returnTo?: string;
  onSignedIn: (returnTo?: string) => void;
  submitLabel?: string;
  /** An address the server has just emailed (first run): start at the code. */
  sentTo?: string;
}) {
  // eslint-disable-next-line solid/reactivity -- the starting step only; the person moves on from there
  const [step, setStep] = createSignal<'email' | 'code'>(props.sentTo ? 'code' : 'email');
  // eslint-disable-next-line solid/reactivity -- likewise the starting address
  const [email, setEmail] = createSignal(props.sentTo ?? '');
  const [code, setCode] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  const sendEmail = async (e: Event) => {
    e.preventDefault();
    setError('');
    const address = checkField(emailAddress, email(), 'Enter a valid email address.');
    if (!address.ok) return setError(address.words);
    setBusy(true);
    const r = await requestSignIn(address.value, props.returnTo);
    setBusy(false);
    if (!r.ok) return setError(errorWords(r.code, r.details));
    setStep('code');
  };
  const verify = async (e: Event) => {
    e.preventDefault();
    setError('');
    setBusy(true);
    const r = await verifyCode(email().trim(), code());
    setBusy(false);
    if (!r.ok) return setError(errorWords(r.code, r.details));
    props.onSignedIn(r.value.returnTo ?? props.returnTo);
  };

  return (
    <div class="signin-box">
      <Switch>
        <Match when={step() === 'email'}>
          <form onInput={() => setError('')} class="form" onSubmit={sendEmail}>
            <TextField
              label="Email"
              type="email"
              autocomplete="email"
              inputmode="email"
              value={email()}
              onInput={(e) => setEmail(e.currentTarget.value)}
              hint="We email you a sign-in link and a code. New here? The same step creates your account."
              required
            />
            <button type="submit" class="button button-primary button-block" disabled={busy()}>
              {busy() ? 'Sending…' : (props.submitLabel ?? 'Email me a sign-in code')}
            </button>
          </form>
        </Match>
        <Match when={step() === 'code'}>
          <form onInput={() => setError('')} class="form" onSubmit={verify}>
            <p role="status">
              Check your email: we sent a sign-in link and a 6-digit code to <strong>{email()}</strong>.
            </p>
            <TextField
              label="Code"
              inputmode="numeric"
              autocomplete="one-time-code"
              maxLength={7}
              value={code()}
              onInput={(e) => setCode(e.currentTarget.value)}
              required
            />
            <button type="submit" class="button button-primary button-block" disabled={busy()}>
              {busy() ? 'Checking…' : 'Sign in'}
            </button>
            <button type="button" class="button button-ghost button-block" onClick={() => setStep('email')}>
              Use another email
            </button>
          </form>
        </Match>
      </Switch>
      <FormError message={error()} />
    </div>
  );
}
