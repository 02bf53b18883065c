import { createSignal, Show } from 'solid-js';
import { email as emailAddress } from '../../shared/schemas/common';
import { errorWords } from '../ui/error-words';
import { FormError, TextField } from '../ui/field';
import { checkField } from '../ui/field-check';
import { createOrganization } from './data';
import { EmailSignIn } from './email-sign-in';
import { enterApp } from './signin-page';

/** First run: the server has no organization yet. */
export function SetupPage() {
  const [orgName, setOrgName] = createSignal('');
  const [name, setName] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [error, setError] = createSignal('');
  const [sent, setSent] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  return (
    <div class="public-page">
      <div class="public-card">
        <div class="public-brand">Allot</div>
        <h1>{sent() ? 'Check your email' : 'Create your organization'}</h1>
        <Show
          when={!sent()}
          fallback={
            <>
              <p>
                Your organization is ready. (With no mail server configured, the email is in the server’s log.)
              </p>
              <EmailSignIn sentTo={email().trim().toLowerCase()} onSignedIn={(to) => enterApp(to)} />
            </>
          }
        >
          <p class="muted">You become its first organization admin.</p>
          <form onInput={() => setError('')}
            class="form"
            onSubmit={async (e) => {
              e.preventDefault();
              setError('');
              const address = checkField(emailAddress, email(), 'Enter a valid email address.');
              if (!address.ok) return setError(address.words);
              setBusy(true);
              const r = await createOrganization({ orgName: orgName().trim(), email: address.value, adminName: name().trim() || undefined });
              setBusy(false);
              if (!r.ok) return setError(errorWords(r.code, r.details));
              setSent(true);
            }}
          >
            <TextField label="Organization name" value={orgName()} onInput={(e) => setOrgName(e.currentTarget.value)} required maxLength={200} />
            <TextField label="Your name" value={name()} onInput={(e) => setName(e.currentTarget.value)} autocomplete="name" />
            <TextField label="Your email" type="email" value={email()} onInput={(e) => setEmail(e.currentTarget.value)} autocomplete="email" required />
            <FormError message={error()} />
            <button type="submit" class="button button-primary button-block" disabled={busy()}>
              Create organization
            </button>
          </form>
        </Show>
      </div>
    </div>
  );
}
