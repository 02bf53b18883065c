// @vitest-environment jsdom
import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { PendingLine } from './badges';

afterEach(cleanup);

describe('PendingLine', () => {
  it('keeps the text and its own badge apart, so a narrow column cuts the text and not the badge', () => {
    render(() => (
      <PendingLine seq={0} class="strong">
        Maximiliana Theodora Wolfeschlegelsteinhausen-Bergerdorff
      </PendingLine>
    ));
    const text = screen.getByText('Maximiliana Theodora Wolfeschlegelsteinhausen-Bergerdorff');
    expect(text.className).toBe('pending-line-text strong');
    const badge = screen.getByText('Pending sync');
    expect(badge.classList.contains('badge-pending')).toBe(true);
    expect(text.contains(badge)).toBe(false);
    expect(badge.parentElement).toBe(text.parentElement);
    // Read as words, the line keeps a space between the text and its badge.
    expect(text.parentElement!.textContent).toBe('Maximiliana Theodora Wolfeschlegelsteinhausen-Bergerdorff Pending sync');
  });

  it('shows no badge once the server has stored the change', () => {
    render(() => <PendingLine seq={7}>Platform</PendingLine>);
    expect(screen.getByText('Platform').className).toBe('pending-line-text');
    expect(screen.queryByText('Pending sync')).toBeNull();
  });
});
