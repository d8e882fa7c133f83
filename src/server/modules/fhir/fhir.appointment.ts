import type { FhirResource } from './fhir.resource';

/** Appointment: a patient's appointments. To be built. */
export const appointmentResource: FhirResource = {
  type: 'Appointment',
  scope: 'system/Appointment.read',
  interactions: [],
  searchParams: [],
  routes: () => async () => {},
};
