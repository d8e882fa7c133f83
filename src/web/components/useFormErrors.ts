import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, fieldKey } from '../api/client';
import type { SummaryError } from './ErrorSummary';

export type FieldErrors = Record<string, string>;

/**
 * Holds a form's errors: field messages keyed by field id, plus the ordered list the
 * error summary shows. Each time errors are set, focus moves to the summary.
 */
export function useFormErrors() {
  const [fields, setFields] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<SummaryError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  const show = useCallback((list: SummaryError[]) => {
    const next: FieldErrors = {};
    for (const error of list) if (error.href && !next[error.href]) next[error.href] = error.message;
    setFields(next);
    setSummary(list);
    setAttempt((n) => n + 1);
  }, []);

  const clear = useCallback(() => {
    setFields({});
    setSummary([]);
  }, []);

  /**
   * Shows an API failure. `fieldIds` maps a problem's field path (dotted, e.g.
   * `openingHours.0.opens`), and its code, to a field id on this page; unknown fields go to
   * the summary only. `ownMessages` may give a problem this page's own words in place of the
   * server's general ones ("Must have 21 items or fewer").
   */
  const showApiError = useCallback(
    (
      error: unknown,
      fieldIds: (key: string, code: string | undefined) => string | null = (key) => key,
      ownMessages: (key: string, code: string | undefined) => string | undefined = () => undefined,
    ) => {
      if (error instanceof ApiError) {
        const list: SummaryError[] = (error.problem.errors ?? []).map((problem) => {
          const key = fieldKey(problem.field);
          return {
            href: fieldIds(key, problem.code),
            message: ownMessages(key, problem.code) ?? problem.message,
          };
        });
        if (list.length === 0) list.push({ href: null, message: error.message });
        show(list);
      } else {
        show([{ href: null, message: 'Sorry, there is a problem with the service. Try again.' }]);
      }
    },
    [show],
  );

  return { fields, summary, summaryRef, show, clear, showApiError, hasErrors: summary.length > 0 };
}
