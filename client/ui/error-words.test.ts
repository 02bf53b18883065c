import { describe, expect, it } from 'vitest';
import { errorWords } from './error-words';

describe('errorWords', () => {
  it('names both addresses when the app was opened at another address than the server answers at', () => {
    const words = errorWords('origin-not-allowed', { origin: 'http://localhost:8080', expected: 'http://127.0.0.1:8080' });
    expect(words).toBe(
      'This page is open at http://localhost:8080, but this Allot server answers at http://127.0.0.1:8080, so the request was refused. Open http://127.0.0.1:8080 instead.',
    );
  });

  it('falls back to the plain sentence without details, and to a generic one for an unknown code', () => {
    expect(errorWords('origin-not-allowed')).toBe('This request came from another site and was refused.');
    expect(errorWords('no-such-code')).toBe('Something went wrong. Try again.');
  });
});
