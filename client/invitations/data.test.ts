import { describe, expect, it } from 'vitest';
import type { Invitation } from '../../shared/schemas';
import { invitationState, STATE_TONES, STATE_WORDS, type InvitationState } from './data';

const inv = (over: Partial<Invitation> = {}): Invitation =>
  ({
    id: 'i1',
    orgId: 'o1',
    teamId: 't1',
    productId: 'p1',
    token: 'tok_abcdefghijklmnopqrstuv',
    allowedDomains: [],
    createdByMemberId: 'm1',
    seq: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  }) as Invitation;

describe('invitationState', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('names every state in the order the claim checks run, with only Active in green', () => {
    const table: [string, Invitation, number, number, InvitationState, string][] = [
      ['seats and claims left', inv(), 0, 3, 'active', 'Active'],
      ['no available license', inv(), 0, 0, 'no-seats-left', 'No seats left'],
      ['maxClaims reached (seats left or not)', inv({ maxClaims: 2 }), 2, 5, 'used-up', 'Used up'],
      ['used up and no seats', inv({ maxClaims: 2 }), 2, 0, 'used-up', 'Used up'],
      ['past its expiry', inv({ expiresAt: '2026-06-01T11:59:59.000Z' }), 0, 3, 'expired', 'Expired'],
      ['disabled, even when expired', inv({ disabledAt: '2026-05-01T00:00:00.000Z', expiresAt: '2026-01-01T00:00:00.000Z' }), 0, 0, 'disabled', 'Disabled'],
    ];
    for (const [what, i, accepted, available, state, words] of table) {
      const s = invitationState(i, accepted, now, available);
      expect(s, what).toBe(state);
      expect(STATE_WORDS[s], what).toBe(words);
      expect(STATE_TONES[s] === 'ok', what).toBe(state === 'active');
    }
  });
});
