import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Radios, Textarea, TextInput } from '../../components/fields';
import { Heading, usePageTitle } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { WarningCallout } from '../../components/WarningCallout';
import { formatDateTime } from '../conversations/format';
import { BREAK_GLASS_REASONS, type BreakGlassReason, breakGlass } from './recordAccessApi';

const FIELD_IDS: Record<string, string> = {
  nhsNumber: 'nhs-number',
  reason: 'reason',
  detail: 'detail',
};

/** Emergency access to a record the professional has no other access to: audited and reviewed. */
export function BreakGlassPage() {
  const errors = useFormErrors();
  const navigate = useNavigate();
  // Coming from "Find a patient", the number typed there (in the page's state, never the URL),
  // taken out of the browser's history at once so that Back after signing out does not show it.
  const location = useLocation();
  const carried = (location.state as { nhsNumber?: unknown } | null)?.nhsNumber;
  const [nhsNumber, setNhsNumber] = useState(typeof carried === 'string' ? carried : '');
  useEffect(() => {
    if (carried !== undefined) void navigate(location.pathname, { replace: true, state: null });
  }, []);
  const [reason, setReason] = useState<BreakGlassReason | null>(null);
  const [detail, setDetail] = useState('');
  usePageTitle('Emergency access to a record', errors.hasErrors);
  const open = useMutation({ mutationFn: breakGlass });

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    const problems = [];
    if (!nhsNumber.trim())
      problems.push({ href: 'nhs-number', message: 'Enter the patient’s NHS number' });
    if (!reason) problems.push({ href: 'reason', message: 'Choose why you need access' });
    if (!detail.trim())
      problems.push({ href: 'detail', message: 'Say in your own words why you need access' });
    if (problems.length > 0) return errors.show(problems);
    open.mutate(
      { nhsNumber: nhsNumber.trim(), reason: reason!, detail: detail.trim() },
      {
        onSuccess: (result) =>
          void navigate(`/patients/${result.patientId}`, {
            state: { flash: `You have emergency access until ${formatDateTime(result.expiresAt)}` },
          }),
        onError: (error) => errors.showApiError(error, (key) => FIELD_IDS[key] ?? null),
      },
    );
  };

  return (
    <>
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading>Emergency access to a record</Heading>
      <WarningCallout title="Only in an emergency">
        Use this only when you need a record your team has no access to. It lasts until you sign
        out, at most 4 hours. The patient and their carers are told by email, it appears on their
        “Who has seen my record” page, and your organisation’s coordinator reviews it.
      </WarningCallout>
      <form noValidate onSubmit={onSubmit}>
        <TextInput
          id="nhs-number"
          label="Patient’s NHS number"
          value={nhsNumber}
          onChange={setNhsNumber}
          width="nhsuk-input--width-10"
          autoComplete="off"
          error={errors.fields['nhs-number']}
        />
        <Radios<BreakGlassReason>
          id="reason"
          legend="Why do you need access?"
          options={BREAK_GLASS_REASONS.map((r) => ({ value: r.value, label: r.label }))}
          value={reason}
          onChange={setReason}
          error={errors.fields.reason}
        />
        <Textarea
          id="detail"
          label="In your own words"
          hint="Seen only by your organisation’s coordinators when they review this access."
          value={detail}
          onChange={setDetail}
          error={errors.fields.detail}
        />
        <button
          className="nhsuk-button nhsuk-button--warning"
          type="submit"
          disabled={open.isPending}
        >
          Open the record
        </button>
      </form>
    </>
  );
}
