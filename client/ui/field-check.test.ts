import { describe, expect, it } from 'vitest';
import { email, orderLine } from '../../shared/schemas/common';
import { contactSchema } from '../../shared/schemas';
import { checkField } from './field-check';

const words = 'Enter a valid email address.';

describe('checkField', () => {
  it('answers the shared schema’s output for a value it accepts', () => {
    expect(checkField(email, '  Ada@Example.COM ', words)).toEqual({ ok: true, value: 'ada@example.com' });
    expect(checkField(contactSchema.entries.email, 'grace@acme.test', words)).toEqual({ ok: true, value: 'grace@acme.test' });
  });

  it('refuses what the server refuses, in the field’s words', () => {
    for (const bad of ['', 'ada', 'ada@', '@example.com', 'a b@example.com', 'ada@exa mple.com', 'ada@@example.com']) {
      expect(checkField(email, bad, words)).toEqual({ ok: false, words });
    }
  });

  it('tells the limit when a value is too long or too large', () => {
    expect(checkField(email, `${'a'.repeat(250)}@example.com`, words)).toEqual({
      ok: false,
      words: 'Enter a valid email address (at most 254 characters).',
    });
    const lineWords = 'Each line needs a product and a quantity of at least 1.';
    expect(checkField(orderLine, { productId: 'p1', quantity: 100_001 }, lineWords)).toEqual({
      ok: false,
      words: 'Each line needs a product and a quantity of at least 1 (at most 100,000).',
    });
    expect(checkField(orderLine, { productId: 'p1', quantity: 2.5 }, lineWords)).toEqual({ ok: false, words: lineWords });
  });
});
