/** Labelled form controls: every control has a visible label tied to it. */
import { createUniqueId, For, Show, splitProps, type JSX } from 'solid-js';

export function TextField(
  props: { label: string; hint?: string; error?: string } & JSX.InputHTMLAttributes<HTMLInputElement>,
) {
  const [own, rest] = splitProps(props, ['label', 'hint', 'error']);
  const id = createUniqueId();
  return (
    <div class="field">
      <label for={id}>{own.label}</label>
      <input
        id={id}
        class="input"
        aria-describedby={own.hint || own.error ? `${id}-hint` : undefined}
        aria-invalid={own.error ? true : undefined}
        {...rest}
      />
      <Show when={own.error || own.hint}>
        <p id={`${id}-hint`} class="field-hint" classList={{ 'field-error': !!own.error }}>
          {own.error ?? own.hint}
        </p>
      </Show>
    </div>
  );
}

export function TextArea(props: { label: string; hint?: string } & JSX.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const [own, rest] = splitProps(props, ['label', 'hint']);
  const id = createUniqueId();
  return (
    <div class="field">
      <label for={id}>{own.label}</label>
      <textarea id={id} class="input" aria-describedby={own.hint ? `${id}-hint` : undefined} {...rest} />
      <Show when={own.hint}>
        <p id={`${id}-hint`} class="field-hint">
          {own.hint}
        </p>
      </Show>
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** A native select: the most dependable control for keyboards, screen readers and phones. */
export function SelectField(props: {
  label: string;
  options: Option[];
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  required?: boolean;
  compact?: boolean;
}) {
  const id = createUniqueId();
  return (
    <div class="field" classList={{ 'field-compact': !!props.compact }}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        class="input select"
        value={props.value}
        required={props.required}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <For each={props.options}>{(o) => <option value={o.value}>{o.label}</option>}</For>
      </select>
      <Show when={props.hint}>
        <p class="field-hint">{props.hint}</p>
      </Show>
    </div>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean }) {
  const id = createUniqueId();
  return (
    <div class="check">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <label for={id}>{props.label}</label>
    </div>
  );
}

export function SearchField(props: { label: string; value: string; onInput: (v: string) => void; placeholder?: string }) {
  const id = createUniqueId();
  return (
    <div class="field field-compact field-search">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="search"
        class="input"
        value={props.value}
        placeholder={props.placeholder}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </div>
  );
}

export function PageHeader(props: { title: string; subtitle?: string; children?: JSX.Element }) {
  return (
    <header class="page-header">
      <div>
        <h1>{props.title}</h1>
        <Show when={props.subtitle}>
          <p class="page-subtitle">{props.subtitle}</p>
        </Show>
      </div>
      <div class="page-actions">{props.children}</div>
    </header>
  );
}

/** A form's error, announced as it appears. */
export function FormError(props: { message: string | undefined | null | false }) {
  return (
    <Show when={props.message}>
      <p class="form-error" role="alert">
        {props.message}
      </p>
    </Show>
  );
}

/**
 * A wide table's own sideways-scrolling region: labelled, and reachable from the keyboard
 * (WCAG 2.1.1; axe's scrollable-region-focusable) so its hidden columns can be scrolled to.
 */
export function TableScroll(props: { label: string; children: JSX.Element }) {
  return (
    <div class="table-scroll" role="region" aria-label={`${props.label} (scrolls sideways)`} tabindex="0">
      {props.children}
    </div>
  );
}
