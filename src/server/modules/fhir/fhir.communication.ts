import type { FhirResource } from './fhir.resource';

/** Communication: conversations (thread headers) and their messages (partOf). To be built. */
export const communicationResource: FhirResource = {
  type: 'Communication',
  scope: 'system/Communication.read',
  interactions: [],
  searchParams: [],
  routes: () => async () => {},
};

/** Task: each participating team's work on a conversation (W1–W5). To be built. */
export const taskResource: FhirResource = {
  type: 'Task',
  scope: 'system/Task.read',
  interactions: [],
  searchParams: [],
  routes: () => async () => {},
};
