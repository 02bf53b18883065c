// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { receiversWords } from './role-table';

describe('who receives an email, in words (issue 16 §17)', () => {
  it('never reads "Nobody — and …"', () => {
    expect(receiversWords([], null)).toBe('Nobody');
    expect(receiversWords([], 'the admin who created the invitation')).toBe('Only the admin who created the invitation');
    expect(receiversWords(['Ann <ann@acme.test>'], 'the admin who created the invitation')).toBe('Ann <ann@acme.test> — and the admin who created the invitation');
    expect(receiversWords(['Ann <ann@acme.test>', 'Bo <bo@acme.test>'], null)).toBe('Ann <ann@acme.test>, Bo <bo@acme.test>');
  });
});
