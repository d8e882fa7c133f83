import type Type from 'typebox';
import type { ResolvedSession } from './identity.queries';
import type { SessionResponse } from './identity.contracts';

export function presentSession(session: ResolvedSession): Type.Static<typeof SessionResponse> {
  const { actor } = session;
  if (actor.kind === 'patient') {
    return {
      csrfToken: session.csrfToken,
      totpSetupRequired: session.totpSetupRequired,
      user: {
        id: actor.userId,
        kind: 'patient',
        displayName: actor.name,
        identityLevel: actor.identityLevel,
        professionalId: null,
        patientId: actor.patientId,
        memberships: [],
        coordinatorOf: [],
      },
    };
  }
  const coordinatorOf = new Map<string, string>();
  for (const m of actor.memberships) {
    if (m.role === 'coordinator') coordinatorOf.set(m.organisationId, m.organisationName);
  }
  return {
    csrfToken: session.csrfToken,
    totpSetupRequired: session.totpSetupRequired,
    user: {
      id: actor.userId,
      kind: 'professional',
      displayName: actor.name,
      identityLevel: null,
      professionalId: actor.professionalId,
      patientId: null,
      memberships: actor.memberships,
      coordinatorOf: [...coordinatorOf].map(([id, name]) => ({ id, name })),
    },
  };
}
