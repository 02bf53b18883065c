import { useSearchParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { errorWords } from '../ui/error-words';
import { verifySignInLink } from './data';
import { EmailSignIn } from './email-sign-in';

/** Only same-site paths: a sign-in link must not send anyone elsewhere. */
export const safeReturn = (to: string | undefined | null) => (to && to.startsWith('/') && !to.startsWith('//') ? to : '/');

/** The whole app restarts after sign-in, so the new account's database opens cleanly. */
export const enterApp = (to?: string) => location.assign(safeReturn(to));

export function SignInPage() {
  const [params] = useSearchParams<{ token?: string; returnTo?: string }>();
  const [verified] = createResource(
    () => params.token,
    async (token) => {
      const r = await verifySignInLink(token);
      if (r.ok) enterApp(r.value.returnTo ?? params.returnTo);
      return r;
    },
  );
  return (
    <div class="public-page">
      <div class="public-card">
        <div class="public-brand">Allot</div>
        <h1>Sign in</h1>
        <Show
          when={params.token}
          fallback={<EmailSignIn returnTo={params.returnTo} onSignedIn={(to) => enterApp(to)} />}
        >
          <Show when={verified()} fallback={<p role="status">Signing you in…</p>}>
            {(r) => {
              const res = r();
              return res.ok ? (
                <p role="status">Signed in. Opening Allot…</p>
              ) : (
                <>
                  <p class="form-error" role="alert">
                    {errorWords(res.code, res.details)}
                  </p>
                  <EmailSignIn returnTo={params.returnTo} onSignedIn={(to) => enterApp(to)} />
                </>
              );
            }}
          </Show>
        </Show>
      </div>
    </div>
  );
}

export function SignInScreen(props: { returnTo: string }) {
  return (
    <div class="public-page">
      <div class="public-card">
        <div class="public-brand">Allot</div>
        <h1>Sign in</h1>
        <EmailSignIn returnTo={props.returnTo} onSignedIn={(to) => enterApp(to ?? props.returnTo)} />
      </div>
    </div>
  );
}
