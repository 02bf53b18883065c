import { createSignal, Show } from 'solid-js';
import type { Me } from '../api';
import { errorWords } from '../ui/error-words';
import { TextField } from '../ui/field';
import { saveMyName } from './data';

/**
 * The name an account goes by (issue 16 §11): asked at first sign-in — a new account has none,
 * and people would otherwise read as the first half of an address — and editable later from
 * the account menu. `onSaved` gets the new /api/me.
 */
export function NameForm(props: { initial?: string; submitLabel?: string; onSaved: (me: Me) => void; onCancel?: () => void }) {
  const [name, setName] = createSignal(props.initial ?? '');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await saveMyName(name());
    setBusy(false);
    if (!r.ok) return setError(r.code === 'invalid-body' ? r.message : errorWords(r.code));
    setError('');
    props.onSaved(r.value);
  };
  return (
    <form onInput={() => setError('')} class="form" onSubmit={submit} novalidate>
      <TextField
        label="Your name"
        name="name"
        autocomplete="name"
        value={name()}
        onInput={(e) => setName(e.currentTarget.value)}
        error={error()}
        hint="Shown to the people you work with, for example on accepted invitations."
        required
      />
      <div class="form-actions">
        <Show when={props.onCancel}>
          <button type="button" class="button" onClick={() => props.onCancel!()}>
            Cancel
          </button>
        </Show>
        <button type="submit" class="button button-primary" disabled={busy()}>
          {props.submitLabel ?? 'Save'}
        </button>
      </div>
    </form>
  );
}

/** The first-sign-in question, as a card: shown while the account has no name. */
export function NamePrompt(props: { onSaved: (me: Me) => void }) {
  return (
    <section class="card name-prompt" aria-labelledby="name-prompt-title">
      <h2 id="name-prompt-title">What should we call you?</h2>
      <NameForm submitLabel="Save my name" onSaved={(me) => props.onSaved(me)} />
    </section>
  );
}
