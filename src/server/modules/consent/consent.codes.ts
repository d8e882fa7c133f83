import { createHash, randomInt } from 'node:crypto';

// No 0/O or 1/I/L: a code read out over the phone or copied by hand survives.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 12;

/** A fresh invitation code, `XXXX-XXXX-XXXX` (about 59 bits): shown once, stored as its hash. */
export function newInvitationCode(): string {
  const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** The code as typed, upper-cased without spaces or dashes; null when it cannot be one. */
export function normaliseInvitationCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

export function invitationCodeHash(normalised: string): string {
  return createHash('sha256').update(`carer-invitation:${normalised}`).digest('hex');
}
