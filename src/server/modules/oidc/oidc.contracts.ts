import Type from 'typebox';
import { UUID_PATTERN } from '../../platform/http/routes';

export const ReturnToQuery = Type.Object(
  { returnTo: Type.Optional(Type.String({ maxLength: 512 })) },
  { additionalProperties: false },
);

export const StaffStartQuery = Type.Object(
  {
    organisationId: Type.String({ pattern: UUID_PATTERN }),
    provider: Type.Optional(Type.Union([Type.Literal('cis2'), Type.Literal('entra')])),
    returnTo: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

/** What an identity provider may send back; anything else is ignored, not refused. */
export const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    iss: Type.Optional(Type.String({ maxLength: 512 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: true },
);

export const Redirect = Type.Null({ description: 'Redirects the browser (Location header)' });

export const SignInOptions = Type.Object({
  nhsLogin: Type.Boolean(),
  staff: Type.Array(
    Type.Object({
      organisationId: Type.String(),
      organisationName: Type.String(),
      provider: Type.Union([Type.Literal('cis2'), Type.Literal('entra')]),
    }),
  ),
});

export const RoleChoice = Type.Object({
  roles: Type.Array(
    Type.Object({
      roleId: Type.String(),
      roleName: Type.String(),
      organisationId: Type.String(),
      organisationName: Type.String(),
    }),
  ),
});

export const ChooseRoleBody = Type.Object(
  { roleId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
