import { useQuery } from '@tanstack/react-query';
import { carerKeys, listPatientCarers } from './carersApi';

/**
 * The patient's carers in force and invitations from paper forms waiting, for staff with
 * record access: one audited read (C4) shared by the record page's two carer sections and
 * the pages they lead to.
 */
export function usePatientCarers(patientId: string) {
  return useQuery({
    queryKey: carerKeys.patient(patientId),
    queryFn: () => listPatientCarers(patientId),
    retry: false,
  });
}

const carersPath = (patientId: string) => `/patients/${encodeURIComponent(patientId)}/carers`;

export const cancelPaperInvitationPath = (patientId: string, invitationId: string) =>
  `/patients/${encodeURIComponent(patientId)}/carer-invitations/${encodeURIComponent(invitationId)}/cancel`;

export const recordPaperConsentPath = (patientId: string) => `${carersPath(patientId)}/paper-form`;

export const recordWithdrawalPath = (patientId: string, consentId: string) =>
  `${carersPath(patientId)}/${encodeURIComponent(consentId)}/end`;
