import type { FhirResource } from './fhir.resource';

/** AuditEvent: the audit trail of a patient's record (C4). To be built. */
export const auditEventResource: FhirResource = {
  type: 'AuditEvent',
  scope: 'system/AuditEvent.read',
  interactions: [],
  searchParams: [],
  routes: () => async () => {},
};
