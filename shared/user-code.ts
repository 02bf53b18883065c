/**
 * RFC 8628 user codes (DESIGN §14): 8 characters of an alphabet without vowels or look-alike
 * characters (RFC 8628 §6.1's base-20 example: no 0/O, 1/I/L, no words), shown as XXXX-XXXX.
 * People may type them in either case, with or without the dash or spaces.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;

/** The code as stored and compared: its 8 letters in upper case, or null when it cannot be one. */
export function normalizeUserCode(input: string): string | null {
  if (input.length > 40) return null;
  const letters = input.toUpperCase().replace(/[\s-]/g, '');
  if (letters.length !== USER_CODE_LENGTH) return null;
  for (const ch of letters) if (!USER_CODE_ALPHABET.includes(ch)) return null;
  return letters;
}

/** `BCDFGHJK` → `BCDF-GHJK`. */
export const formatUserCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;
