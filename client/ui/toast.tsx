import { Toast, toaster } from '@kobalte/core/toast';
import { Portal } from 'solid-js/web';

/** A short message that confirms what just happened (screen readers hear it too). */
export function notify(title: string, tone: 'ok' | 'error' = 'ok') {
  toaster.show((p) => (
    <Toast toastId={p.toastId} class="toast" classList={{ 'toast-error': tone === 'error' }}>
      <Toast.Title class="toast-title">{title}</Toast.Title>
      <Toast.CloseButton class="icon-button" aria-label="Dismiss message">
        ×
      </Toast.CloseButton>
    </Toast>
  ));
}

/**
 * Confirms a change made in the local database (issue 16 §8): online it reads as done (it
 * syncs within moments); offline it says the change is on this device and syncs later, so
 * nobody reads "License revoked" as the server's word while it is only local.
 */
export function notifyChange(title: string) {
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  notify(offline ? `${title} on this device; it syncs when you are back online` : title);
}

export function ToastRegion() {
  return (
    <Portal>
      <Toast.Region aria-label="Messages" duration={4000}>
        <Toast.List class="toast-list" />
      </Toast.Region>
    </Portal>
  );
}
