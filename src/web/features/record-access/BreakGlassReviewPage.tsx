import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
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
  type BreakGlassReview,
  listBreakGlassReviews,
  reviewBreakGlass,
} from './recordAccessApi';

const reasonLabel = (value: string) =>
  BREAK_GLASS_REASONS.find((r) => r.value === value)?.label ?? value;

/**
 * The pages loaded so far as one list. A use reviewed between two pages can be on both (as
 * waiting, then as reviewed): it is listed once, where it first came, as reviewed.
 */
function onePerUse(pages: { items: BreakGlassReview[] }[]): BreakGlassReview[] {
  const uses = new Map<string, BreakGlassReview>();
  for (const item of pages.flatMap((p) => p.items)) {
    if (!uses.has(item.id) || item.reviewedAt) uses.set(item.id, item);
  }
  return [...uses.values()];
}

/**
 * The coordinator's list of emergency access in their organisations, to review, a page at a
 * time: "Show more" adds the next page below and moves focus to its first row.
 */
export function BreakGlassReviewPage() {
  const client = useQueryClient();
  const errors = useFormErrors();
  const [done, setDone] = useState<number | null>(null);
  const list = useInfiniteQuery({
    queryKey: breakGlassKeys.reviews,
    queryFn: ({ pageParam }) => listBreakGlassReviews(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  // The row to focus once it shows: the first of the page "Show more" asked for.
  const [focusAt, setFocusAt] = useState<number | null>(null);
  const focusFirstNew = useCallback((element: HTMLElement | null) => {
    if (!element) return;
    element.focus();
    setFocusAt(null);
  }, []);
  const review = useMutation({
    mutationFn: reviewBreakGlass,
    onSettled: () => client.invalidateQueries({ queryKey: breakGlassKeys.reviews }),
  });
  usePageTitle('Emergency access to review', errors.hasErrors);
  const items = list.data ? onePerUse(list.data.pages) : [];
  return (
    <>
      {done ? <SuccessBanner key={done} message="Marked as reviewed" focus /> : null}
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading>Emergency access to review</Heading>
      {list.isPending ? (
        <Loading what="emergency access" />
      ) : list.isError && !list.isFetchNextPageError ? (
        <SectionLoadFailure error={list.error} what="emergency access" />
      ) : items.length === 0 ? (
        <p className="nhsuk-body">Nobody has used emergency access.</p>
      ) : (
        <>
          <Table
            caption="Emergency access: not yet reviewed first, then reviewed, each newest first"
            captionHidden
            headings={['When', 'Who', 'Whose record', 'Why', hidden('Review')]}
          >
            {items.map((item, index) => (
              <Row key={item.id}>
                <Cell heading="When">
                  <span tabIndex={-1} ref={index === focusAt ? focusFirstNew : undefined}>
                    {formatDateTime(item.startedAt)}
                  </span>
                </Cell>
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
          {list.isFetchNextPageError ? (
            <SectionLoadFailure error={list.error} what="more emergency access" />
          ) : null}
          {list.hasNextPage ? (
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary"
              disabled={list.isFetchingNextPage}
              onClick={() => {
                setFocusAt(items.length);
                // Nothing new to move to if it failed: the failure is said below instead.
                void list.fetchNextPage().then((result) => {
                  if (result.isError) setFocusAt(null);
                });
              }}
            >
              Show more emergency access
            </button>
          ) : null}
        </>
      )}
    </>
  );
}
