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

export function ToastRegion() {
  return (
    <Portal>
      <Toast.Region aria-label="Messages" duration={4000}>
        <Toast.List class="toast-list" />
      </Toast.Region>
    </Portal>
  );
}
