import { ApiError } from '../../api/client';
import type { useFormErrors } from '../../components/useFormErrors';

/**
 * How a cancel that failed is told on its confirm page. A carer who used the code while the
 * page was open is not cancelled: the question stays, with `accepted` saying so and how to end
 * their access instead (the list behind the page is out of date). Anything else as the API said.
 */
export const explainCancelFailure =
  (errors: ReturnType<typeof useFormErrors>, accepted: string) => (error: Error) => {
    if (error instanceof ApiError && error.code === 'carer.invitation_already_accepted') {
      errors.show([{ href: null, message: accepted }]);
    } else {
      errors.showApiError(error, () => null);
    }
  };
