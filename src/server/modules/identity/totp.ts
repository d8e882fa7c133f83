import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
const PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
export const TOTP_STEP_MS = PARAMETERS.period * 1000;
/** Codes of the previous and the next step are accepted too, for clocks that drift. */
export const TOTP_DRIFT_STEPS = 1;
export const ISSUER = 'Carethread';

/** A fresh 160-bit secret, in the base32 form people type into their app. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = ''): TOTP {
  return new TOTP({ ...PARAMETERS, issuer: ISSUER, label, secret: Secret.fromBase32(secret) });
}

/**
 * The time step a code belongs to when it is valid now (allowing one step of drift either
 * way), or null. Callers refuse steps at or before the last one used, so a code works once.
 */
export function stepOfCode(secret: string, code: string, now: Date): number | null {
  const generator = totp(secret);
  const timestamp = now.getTime();
  const delta = generator.validate({ token: code, timestamp, window: TOTP_DRIFT_STEPS });
  return delta === null ? null : generator.counter({ timestamp }) + delta;
}

/** The otpauth:// URI authenticator apps import, and a QR code of it as an SVG data URL. */
export async function enrolmentOf(
  secret: string,
  accountName: string,
): Promise<{ otpauthUri: string; qrCode: string }> {
  const otpauthUri = totp(secret, accountName).toString();
  const svg = await QRCode.toString(otpauthUri, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
  });
  return {
    otpauthUri,
    // An image, not inline markup, so the page needs no inline styles (strict CSP).
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}
