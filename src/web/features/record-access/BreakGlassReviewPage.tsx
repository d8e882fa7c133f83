import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { SuccessBanner } from '../../components/SuccessBanner';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDateTime, formatNhsNumber } from '../conversations/format';
import {
  BREAK_GLASS_REASONS,
  breakGlassKeys,
  listBreakGlassReviews,
  reviewBreakGlass,
} from './recordAccessApi';

const reasonLabel = (value: string) =>
  BREAK_GLASS_REASONS.find((r) => r.value === value)?.label ?? value;

/** The coordinator's list of emergency access in their organisations, to review. */
export function BreakGlassReviewPage() {
  const client = useQueryClient();
  const errors = useFormErrors();
  const [done, setDone] = useState<number | null>(null);
  const list = useQuery({ queryKey: breakGlassKeys.reviews, queryFn: listBreakGlassReviews });
  const review = useMutation({
    mutationFn: reviewBreakGlass,
    onSettled: () => client.invalidateQueries({ queryKey: breakGlassKeys.reviews }),
  });
  usePageTitle('Emergency access to review', errors.hasErrors);
  return (
    <>
      {done ? <SuccessBanner key={done} message="Marked as reviewed" focus /> : null}
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading>Emergency access to review</Heading>
      {list.isPending ? (
        <Loading what="emergency access" />
      ) : list.isError ? (
        <SectionLoadFailure error={list.error} what="emergency access" />
      ) : list.data.items.length === 0 ? (
        <p className="nhsuk-body">Nobody has used emergency access.</p>
      ) : (
        <Table
          caption="Emergency access: not yet reviewed first, then reviewed, each newest first"
          captionHidden
          headings={['When', 'Who', 'Whose record', 'Why', hidden('Review')]}
        >
          {list.data.items.map((item) => (
            <Row key={item.id}>
              <Cell heading="When">{formatDateTime(item.startedAt)}</Cell>
              <Cell heading="Who">
                {item.professional.name}, {item.professional.jobTitle}
              </Cell>
              <Cell heading="Whose record">
                {item.patient.name} ({formatNhsNumber(item.patient.nhsNumber)})
              </Cell>
              <Cell heading="Why">
                {reasonLabel(item.reason)}: {item.detail}
              </Cell>
              <Cell>
                {item.reviewedAt ? (
                  `Reviewed by ${item.reviewedBy ?? 'a coordinator'}`
                ) : (
                  <button
                    className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                    type="button"
                    disabled={review.isPending}
                    onClick={() =>
                      review.mutate(item.id, {
                        onSuccess: () => setDone(Date.now()),
                        onError: (error) => errors.showApiError(error, () => null),
                      })
                    }
                  >
                    Mark reviewed
                    {/* Several uses by one person: each button names whose record and when. */}
                    <span className="nhsuk-u-visually-hidden">
                      {' '}
                      for {item.professional.name}, {item.patient.name},{' '}
                      {formatDateTime(item.startedAt)}
                    </span>
                  </button>
                )}
              </Cell>
            </Row>
          ))}
        </Table>
      )}
    </>
  );
}
