import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { invitationCodeIn } from '../../src/conversation/dialogues/invitation.dialogue.ts';
import { formatInvitationCode } from '../../src/domain/admin.ts';

describe('recognising an invitation code in a stranger’s message', () => {
  it('finds every code inviteUser can produce, as issued, in lower case and within a sentence', () => {
    for (let i = 0; i < 200; i++) {
      const code = formatInvitationCode(randomBytes(12));
      expect(invitationCodeIn(code)).toBe(code);
      expect(invitationCodeIn(` ${code.toLowerCase()} `)).toBe(code.toLowerCase());
      expect(invitationCodeIn(`My code is ${code}.`)).toBe(code);
    }
  });

  it('accepts the code typed with spaces or without separators', () => {
    expect(invitationCodeIn('k7qm 3xwp tr9d')).toBe('k7qm 3xwp tr9d');
    expect(invitationCodeIn('K7QM3XWPTR9D')).toBe('K7QM3XWPTR9D');
  });

  it('leaves ordinary words and sentences alone', () => {
    for (const text of ['hello', 'registration', 'Registration', 'How do I register?', 'IMI-2026-000123', 'well-being-test', 'ABCDEFGHJKMN', 'Egészségügyi']) {
      expect(invitationCodeIn(text), text).toBeNull();
    }
  });
});
