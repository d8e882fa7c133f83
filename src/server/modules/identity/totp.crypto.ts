import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomInt,
} from 'node:crypto';
import type { Config } from '../../platform/config/config';

/**
 * Keys for second-factor data at rest. Both come from TOTP_ENCRYPTION_KEY, or from
 * SESSION_SECRET when it is not set, through HKDF with distinct labels, so neither key is
 * ever the session-cookie secret itself.
 */
type KeyPurpose = 'totp secret' | 'recovery code';
const keyCache = new WeakMap<Config, Map<KeyPurpose, Buffer>>();

function keyFor(config: Config, purpose: KeyPurpose): Buffer {
  let keys = keyCache.get(config);
  if (!keys) {
    keys = new Map();
    keyCache.set(config, keys);
  }
  let key = keys.get(purpose);
  if (!key) {
    const material = config.totpEncryptionKey ?? config.sessionSecret;
    key = Buffer.from(hkdfSync('sha256', material, 'carethread', `carethread ${purpose} v1`, 32));
    keys.set(purpose, key);
  }
  return key;
}

const VERSION = 'v1';

/**
 * Encrypts a TOTP secret with AES-256-GCM. The user id is authenticated data, so a
 * ciphertext copied onto another user's row does not decrypt.
 */
export function encryptTotpSecret(config: Config, userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(config, 'totp secret'), iv);
  cipher.setAAD(Buffer.from(`totp:${userId}`));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptTotpSecret(config: Config, userId: string, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new Error('unreadable TOTP secret');
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFor(config, 'totp secret'),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(`totp:${userId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    // Most likely TOTP_ENCRYPTION_KEY (or SESSION_SECRET, without it) has changed.
    throw new Error('TOTP secret does not decrypt with the configured key');
  }
}

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are read off paper and typed by hand.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;

/** Ten random codes of ten characters (about 49 bits each), shown as `abcde-fghjk`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let code = '';
    for (let i = 0; i < RECOVERY_LENGTH; i++) code += RECOVERY_ALPHABET[randomInt(31)];
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/** Case, spaces and hyphens do not matter when a recovery code is typed back. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** A keyed hash: a copy of the table alone does not let anyone test guesses offline. */
export function hashRecoveryCode(config: Config, code: string): string {
  return createHmac('sha256', keyFor(config, 'recovery code'))
    .update(normaliseRecoveryCode(code))
    .digest('hex');
}
