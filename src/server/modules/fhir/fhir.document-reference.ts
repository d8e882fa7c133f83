import type { FhirResource } from './fhir.resource';

/** DocumentReference: the documents in a patient's record. To be built. */
export const documentReferenceResource: FhirResource = {
  type: 'DocumentReference',
  scope: 'system/DocumentReference.read',
  interactions: [],
  searchParams: [],
  routes: () => async () => {},
};
