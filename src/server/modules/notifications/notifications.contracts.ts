import Type from 'typebox';
import { IdParam } from '../../platform/http/routes';
import { NOTIFICATION_MODES } from './notifications.schema';

export const PreferencesSchema = Type.Object({
  teams: Type.Array(
    Type.Object({
      teamId: Type.String(),
      teamName: Type.String(),
      mode: Type.Enum(NOTIFICATION_MODES),
    }),
  ),
});
export const UpdatePreferencesBody = Type.Object(
  {
    teams: Type.Array(
      Type.Object(
        { teamId: IdParam, mode: Type.Enum(NOTIFICATION_MODES) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export const DeadLetterList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      recipient: Type.String(),
      attempts: Type.Integer(),
      lastError: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  ),
});
export const OrganisationParams = Type.Object(
  { organisationId: IdParam },
  { additionalProperties: false },
);

export type Preferences = Type.Static<typeof PreferencesSchema>;
export type UpdatePreferencesInput = Type.Static<typeof UpdatePreferencesBody>;
