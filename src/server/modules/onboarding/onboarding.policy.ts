import { coordinatedOrganisationIds, type Actor } from '../identity/actor';

export const ONBOARDING_ACTIONS = ['onboarding.import', 'onboarding.readImport'] as const;
export type OnboardingAction = (typeof ONBOARDING_ACTIONS)[number];

/**
 * Bulk loading staff and patients is configuring the organisation: its coordinators only,
 * and only for their own organisation. Reading an import's error report is the same right.
 */
export function can(
  actor: Actor,
  action: OnboardingAction,
  resource: { organisationId: string },
): boolean {
  switch (action) {
    case 'onboarding.import':
    case 'onboarding.readImport':
      return coordinatedOrganisationIds(actor).includes(resource.organisationId);
  }
}
