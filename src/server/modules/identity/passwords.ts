import { type Algorithm, hash, verify } from '@node-rs/argon2';

// Algorithm is an ambient const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// A real hash of a random password, so that an unknown email costs the same verify time
// as a wrong password and the two cannot be told apart.
const decoyHash = hash(crypto.randomUUID(), OPTIONS);

/** Verifies against the stored hash, or against a decoy when there is none. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    await verify(await decoyHash, password);
    return false;
  }
  return verify(stored, password);
}
