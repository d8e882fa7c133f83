import { forwardRef, type MouseEvent } from 'react';

export interface SummaryError {
  /** id of the field to move to, or null for a problem with no field */
  href: string | null;
  message: string;
}

/** NHS.UK error summary. Links move focus to the field rather than changing the URL. */
export const ErrorSummary = forwardRef<HTMLDivElement, { errors: SummaryError[] }>(
  function ErrorSummary({ errors }, ref) {
    if (errors.length === 0) return null;
    const onClick = (event: MouseEvent<HTMLAnchorElement>, id: string) => {
      const field = document.getElementById(id);
      if (!field) return;
      event.preventDefault();
      field.scrollIntoView({ block: 'center' });
      field.focus();
    };
    return (
      <div
        className="nhsuk-error-summary"
        aria-labelledby="error-summary-title"
        tabIndex={-1}
        ref={ref}
      >
        <div role="alert">
          <h2 className="nhsuk-error-summary__heading" id="error-summary-title">
            There is a problem
          </h2>
          <div className="nhsuk-error-summary__body">
            <ul className="nhsuk-list nhsuk-error-summary__list">
              {errors.map((error, index) => (
                <li key={`${error.href ?? ''}-${index}`}>
                  {error.href ? (
                    <a href={`#${error.href}`} onClick={(e) => onClick(e, error.href as string)}>
                      {error.message}
                    </a>
                  ) : (
                    error.message
                  )}
                </li>
              ))}
            </ul>
          </div>
        </div>
      </div>
    );
  },
);
