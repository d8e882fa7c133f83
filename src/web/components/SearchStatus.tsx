/**
 * What a search found, for screen readers. Focus stays on the Search button, so the words go
 * to a status region that is always on the page: one added with its text already in it is
 * often not read out. Empty until there is something to say.
 */
export function SearchStatus({
  search,
}: {
  search: {
    done: boolean;
    error: Error | null;
    found: number;
    one: string;
    many: string;
    none: string;
  };
}) {
  const words = !search.done
    ? ''
    : search.error
      ? search.error.message
      : search.found === 0
        ? search.none
        : `${search.found} ${search.found === 1 ? search.one : search.many} found`;
  return (
    <p className="nhsuk-u-visually-hidden" role="status">
      {words}
    </p>
  );
}
