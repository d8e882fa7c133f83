import type { FastifyServerOptions } from 'fastify';

type Ajv = Parameters<NonNullable<NonNullable<FastifyServerOptions['ajv']>['onCreate']>>[0];

/**
 * Narrows the `date-time` format to times JavaScript can hold. RFC 3339 (and so ajv-formats)
 * allows a leap second, `…T23:59:60Z`, which `new Date` turns into an invalid date: a handler
 * would then fail with a 500 instead of the request being refused as invalid.
 */
export function requireRepresentableDateTimes(ajv: Ajv): void {
  const rfc3339 = ajv.formats['date-time'];
  if (typeof rfc3339 !== 'object' || !('validate' in rfc3339)) {
    throw new Error('the date-time format must be registered first');
  }
  const { validate } = rfc3339 as { validate: unknown };
  if (typeof validate !== 'function') throw new Error('the date-time format must be a function');
  const matches = (value: string) => (validate as (value: string) => boolean)(value) === true;
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (value: string) => matches(value) && !Number.isNaN(Date.parse(value)),
  });
}
