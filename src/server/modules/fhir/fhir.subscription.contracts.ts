import Type from 'typebox';
import type { SubscriptionRow } from '../subscriptions/subscriptions.commands';

const Channel = Type.Object(
  {
    type: Type.String({ maxLength: 50 }),
    endpoint: Type.Optional(Type.String({ maxLength: 2000 })),
    payload: Type.Optional(Type.String({ maxLength: 100 })),
    header: Type.Optional(Type.Array(Type.String({ maxLength: 1100 }), { maxItems: 10 })),
    // The Subscriptions Backport's extensions on the payload (its content, say): taken and
    // ignored, since every notification here is of references only.
    _payload: Type.Optional(Type.Object({})),
  },
  { additionalProperties: false },
);

/**
 * FHIR's string: no control character but tab, line feed and carriage return (and so no NUL,
 * which the database cannot keep either).
 */
const FHIR_STRING = '^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]*$';

/**
 * A Subscription as a system sends it, to create one or to replace its own (update). FHIR's
 * base elements (`meta`, `text`, `extension`) are taken and ignored, and so is `id` on a
 * create (an update's must be the address's); anything else unknown is refused (decision
 * 0004), a modifier extension above all, since its meaning could change what was asked.
 */
export const SubscriptionInputSchema = Type.Object(
  {
    resourceType: Type.Literal('Subscription'),
    id: Type.Optional(Type.String({ maxLength: 64 })),
    meta: Type.Optional(Type.Object({})),
    text: Type.Optional(Type.Object({})),
    extension: Type.Optional(Type.Array(Type.Object({}))),
    status: Type.Optional(Type.String({ maxLength: 20 })),
    reason: Type.String({ minLength: 1, maxLength: 500, pattern: FHIR_STRING }),
    criteria: Type.String({ minLength: 1, maxLength: 200 }),
    end: Type.Optional(Type.String({ maxLength: 40 })),
    channel: Channel,
  },
  { additionalProperties: false },
);
export type SubscriptionInput = Type.Static<typeof SubscriptionInputSchema>;

export const SubscriptionResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('Subscription'),
    id: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('error'), Type.Literal('off')]),
    reason: Type.String(),
    criteria: Type.String(),
    end: Type.Optional(Type.String()),
    error: Type.Optional(Type.String()),
    channel: Type.Object({
      type: Type.Literal('rest-hook'),
      endpoint: Type.String(),
      payload: Type.Optional(Type.String()),
      header: Type.Optional(Type.Array(Type.String())),
    }),
  },
  { $id: 'FhirSubscription', title: 'Subscription' },
);
type SubscriptionResource = Type.Static<typeof SubscriptionResourceSchema>;

/** The subscription as FHIR shows it: header values are the receiver's secrets, so hidden. */
export function presentSubscription(row: SubscriptionRow, now: Date): SubscriptionResource {
  const ended = row.status === 'active' && row.endsAt !== null && row.endsAt <= now;
  return {
    resourceType: 'Subscription',
    id: row.id,
    status: ended ? 'off' : row.status,
    reason: row.reason,
    criteria: row.criteria,
    ...(row.endsAt ? { end: row.endsAt.toISOString() } : {}),
    ...(row.error ? { error: row.error } : {}),
    channel: {
      type: 'rest-hook',
      endpoint: row.endpoint,
      ...(row.payload ? { payload: row.payload } : {}),
      ...(row.headers.length > 0
        ? { header: row.headers.map((line) => `${line.slice(0, line.indexOf(':'))}: (hidden)`) }
        : {}),
    },
  };
}
