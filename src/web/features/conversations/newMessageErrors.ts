import { ApiError } from '../../api/client';
import type { useFormErrors } from '../../components/useFormErrors';
import { MAY_NOT_HAVE_BEEN_SENT } from './validation';

/**
 * Shows why a new message to teams (a patient's own, or a carer's for them) was not sent.
 * `recipientsField` is the id of the page's choice of recipients, which the server calls
 * `recipients`.
 */
export function showNewMessageError(
  errors: ReturnType<typeof useFormErrors>,
  error: unknown,
  recipientsField: string,
): void {
  if (error instanceof ApiError && error.code === 'conversation.recipient_not_contactable') {
    errors.show([
      {
        href: recipientsField,
        message:
          'You cannot message one of the teams or people you selected. Select someone else from the list',
      },
    ]);
  } else if (error instanceof ApiError && error.status === 0) {
    errors.show([{ href: null, message: MAY_NOT_HAVE_BEEN_SENT }]);
  } else {
    errors.showApiError(error, (key) => {
      const field = key.split('.')[0] ?? '';
      if (field === 'recipients') return recipientsField;
      return field === 'subject' || field === 'body' ? field : null;
    });
  }
}
