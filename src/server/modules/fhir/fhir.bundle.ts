import Type, { type TSchema } from 'typebox';

/**
 * _count, as FHIR names the page size: a whole number from 1, 20 when not given. More than
 * MAX_PAGE_SIZE is served as MAX_PAGE_SIZE (FHIR lets a server return fewer than asked), and
 * the Bundle's links say so. 0, which asks for a count only, is refused: no Bundle has a total.
 */
export const CountParam = Type.Optional(Type.String({ pattern: '^[1-9][0-9]*$' }));
export const CursorParam = Type.Optional(Type.String({ maxLength: 512 }));
export const MAX_PAGE_SIZE = 100;
export const pageSize = (count: string | undefined) =>
  count === undefined ? 20 : Math.min(Number(count), MAX_PAGE_SIZE);

/** A FHIR searchset Bundle of one resource type, paged by opaque keyset cursors. */
export function searchsetSchema<T extends TSchema>(resource: T, name: string) {
  return Type.Object(
    {
      resourceType: Type.Literal('Bundle'),
      type: Type.Literal('searchset'),
      link: Type.Array(Type.Object({ relation: Type.String(), url: Type.String() })),
      entry: Type.Array(
        Type.Object({
          fullUrl: Type.String(),
          resource,
          search: Type.Object({ mode: Type.Literal('match') }),
        }),
      ),
    },
    { title: `${name} searchset` },
  );
}

export interface Searchset<R> {
  resourceType: 'Bundle';
  type: 'searchset';
  link: { relation: string; url: string }[];
  entry: { fullUrl: string; resource: R; search: { mode: 'match' } }[];
}

/**
 * Builds the Bundle: `self` is the search as served (as asked, with `_count` capped as
 * `pageSize` caps it), `next` the same search from the cursor after the last entry. Search
 * parameters in these links are ids and cursors, never patient data (searches by NHS number
 * are POSTed: see fhir.patient.ts).
 */
export function searchset<R extends { resourceType: string; id: string }>(
  base: string,
  self: { path: string; params: Record<string, string | undefined> },
  resources: R[],
  nextCursor: string | null,
): Searchset<R> {
  const url = (params: Record<string, string | undefined>) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) query.set(key, value);
    const text = query.toString();
    return `${base}/${self.path}${text ? `?${text}` : ''}`;
  };
  // The page size served, not the one asked for when that was more than the most.
  const { _count } = self.params;
  const params = {
    ...self.params,
    _count: _count === undefined ? _count : String(pageSize(_count)),
  };
  const link = [{ relation: 'self', url: url(params) }];
  if (nextCursor !== null)
    link.push({ relation: 'next', url: url({ ...params, _cursor: nextCursor }) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link,
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' as const },
    })),
  };
}
