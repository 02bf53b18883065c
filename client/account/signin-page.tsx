import { useSearchParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import type { ErrorCode } from '../../shared/errors';
import { errorWords } from '../ui/error-words';
import { signInLinkAddress, verifySignInLink } from './data';
import { EmailSignIn } from './email-sign-in';

/** Only same-site paths: a sign-in link must not send anyone elsewhere. */
export const safeReturn = (to: string | undefined | null) => (to && to.startsWith('/') && !to.startsWith('//') ? to : '/');

/** The whole app restarts after sign-in, so the new account's database opens cleanly. */
export const enterApp = (to?: string) => location.assign(safeReturn(to));

/**
 * The page an emailed sign-in link opens. Opening it signs nobody in (mail scanners and link
 * previews open links too): it says whom the link is for, and only the click on "Sign in as
 * <address>" uses the link.
 */
export function SignInPage() {
  const [params] = useSearchParams<{ token?: string; returnTo?: string }>();
  const [link] = createResource(() => params.token, signInLinkAddress);
  const [verifying, setVerifying] = createSignal(false);
  const [refused, setRefused] = createSignal<{ code: ErrorCode | 'network'; details?: unknown } | null>(null);
  const signIn = async (token: string) => {
    setVerifying(true);
    const r = await verifySignInLink(token);
    if (r.ok) enterApp(r.value.returnTo ?? params.returnTo);
    else {
      setVerifying(false);
      setRefused({ code: r.code, details: r.details });
    }
  };
  const retry = () => <EmailSignIn returnTo={params.returnTo} onSignedIn={(to) => enterApp(to)} />;
  return (
    <div class="public-page">
      <div class="public-card">
        <div class="public-brand">Allot</div>
        <h1>Sign in</h1>
        <Show when={params.token} fallback={retry()}>
          {(token) => (
            <Show when={link()} fallback={<p role="status">Checking your sign-in link…</p>}>
              {(r) => {
                const res = r();
                const failed = refused() ?? (res.ok ? null : { code: res.code, details: res.details });
                return failed ? (
                  <>
                    <p class="form-error" role="alert">
                      {errorWords(failed.code, failed.details)}
                    </p>
                    {retry()}
                  </>
                ) : res.ok ? (
                  <div class="signin-box form">
                    <p>This link signs you in to Allot.</p>
                    <button type="button" class="button button-primary button-block" disabled={verifying()} onClick={() => void signIn(token())}>
                      Sign in as {res.value.email}
                    </button>
                    <Show when={verifying()}>
                      <p role="status">Signing you in…</p>
                    </Show>
                  </div>
                ) : null;
              }}
            </Show>
          )}
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
