// Named parts, not the `Dialog`/`AlertDialog` objects: Kobalte builds both with Object.assign on
// the same root function, so whichever module loads last would give the other its Content.
import * as Dialog from '@kobalte/core/dialog';
import * as AlertDialog from '@kobalte/core/alert-dialog';
import { Show, type JSX } from 'solid-js';

/** A Kobalte dialog with a title, a close button and the app's look. */
export function Modal(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  children: JSX.Element;
  wide?: boolean;
}) {
  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay class="modal-overlay" />
        <div class="modal-positioner">
          <Dialog.Content class="modal" classList={{ 'modal-wide': !!props.wide }}>
            <header class="modal-header">
              <Dialog.Title class="modal-title">{props.title}</Dialog.Title>
              <Dialog.CloseButton class="icon-button" aria-label="Close">
                ×
              </Dialog.CloseButton>
            </header>
            <Show when={props.description}>
              <Dialog.Description class="modal-description">{props.description}</Dialog.Description>
            </Show>
            {props.children}
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Asks before a destructive action; the confirm button carries the action's own words. */
export function Confirm(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
}) {
  return (
    <AlertDialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay class="modal-overlay" />
        <div class="modal-positioner">
          <AlertDialog.Content class="modal">
            <header class="modal-header">
              <AlertDialog.Title class="modal-title">{props.title}</AlertDialog.Title>
            </header>
            <AlertDialog.Description class="modal-description">{props.description}</AlertDialog.Description>
            <div class="form-actions">
              <button type="button" class="button" onClick={() => props.onOpenChange(false)}>
                Cancel
              </button>
              <button
                type="button"
                class="button button-danger"
                onClick={async () => {
                  await props.onConfirm();
                  props.onOpenChange(false);
                }}
              >
                {props.confirmLabel}
              </button>
            </div>
          </AlertDialog.Content>
        </div>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
