import Type from 'typebox';
import { IdParam } from '../../platform/http/routes';
import { TotpCode } from './identity.contracts';

export const TotpEnrolmentResponse = Type.Object({
  /** The shared secret in base32, for apps that cannot scan the QR code. */
  secret: Type.String(),
  otpauthUri: Type.String(),
  /** The QR code of otpauthUri as a data:image/svg+xml URL, shown as an image. */
  qrCode: Type.String(),
});

export const ConfirmTotpBody = Type.Object({ code: TotpCode }, { additionalProperties: false });

export const RecoveryCodesResponse = Type.Object({
  /** Shown this once: only hashes are kept. Each works once, instead of an app code. */
  recoveryCodes: Type.Array(Type.String()),
});

export const TotpStatusResponse = Type.Object({
  /** Whether this account may set up an authenticator app (staff with a password). */
  available: Type.Boolean(),
  enabled: Type.Boolean(),
  enabledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  recoveryCodesRemaining: Type.Integer(),
  /** This session may do nothing else until the app is set up. */
  setupRequired: Type.Boolean(),
});

export const SignInPolicyParams = Type.Object(
  { organisationId: IdParam },
  { additionalProperties: false },
);

export const SignInPolicyResponse = Type.Object({
  organisationId: Type.String(),
  /** Staff who sign in with a password must also enter a code from an authenticator app. */
  requireTotp: Type.Boolean(),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const UpdateSignInPolicyBody = Type.Object(
  { requireTotp: Type.Boolean() },
  { additionalProperties: false },
);
