import type { PathwayStep } from '../../api/types';

/** A step whose team or professional has been made inactive. */
export const isInactive = (step: PathwayStep) => step.active === false;

/**
 * Marks a step whose team or professional has been made inactive. Only those who change the
 * pathway are sent such steps: they stay in it until removed, but staff are not offered them.
 */
export function InactiveStepTag({ step }: { step: PathwayStep }) {
  if (!isInactive(step)) return null;
  return <strong className="nhsuk-tag nhsuk-tag--grey">Inactive – not offered to staff</strong>;
}
