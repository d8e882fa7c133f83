import type { SessionUser } from '../api/types';

// The hints under "Why was it sent (added) in error?". Staff are warned off naming the other
// patient; a patient or carer gets examples of their own, and is kept from medical details.

const STAFF_AFTERWORD = "Only the people who look into the record's history see this.";
const PATIENT_AFTERWORD = 'Do not include medical details here.';

export function sentInErrorHint(viewer: Pick<SessionUser, 'kind'>): string {
  return viewer.kind === 'patient'
    ? `For example, you sent it to the wrong team or wrote the wrong thing. ${PATIENT_AFTERWORD}`
    : `For example, it was meant for another patient. Do not name the other person. ${STAFF_AFTERWORD}`;
}

export function addedInErrorHint(viewer: Pick<SessionUser, 'kind'>): string {
  return viewer.kind === 'patient'
    ? `For example, you chose the wrong file. ${PATIENT_AFTERWORD}`
    : `For example, the letter is about another patient. Do not name the other person. ${STAFF_AFTERWORD}`;
}
