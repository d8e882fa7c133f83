/**
 * Where problem codes come from, for extract.ts: the constructors every refusal comes down to,
 * and the few codes that are legitimately not literals where they are raised.
 */

export type Kind = 'problem' | 'oauth' | 'field';
export type Slot = 'status' | 'code' | 'title' | 'detail';

/** The constructors every refusal comes down to, and which argument is which. */
export const ROOTS: { file: string; name: string; kind: Kind; slots: Slot[] }[] = [
  {
    file: 'platform/http/problem.ts',
    name: 'AppError',
    kind: 'problem',
    slots: ['status', 'code', 'title', 'detail'],
  },
  {
    file: 'modules/integrations/integrations.tokens.ts',
    name: 'OAuthError',
    kind: 'oauth',
    slots: ['status', 'code', 'detail'],
  },
];

export interface DynamicCode {
  file: string;
  /** The code expression's source text. */
  expression: string;
  /** Documented as this placeholder. */
  documentAs?: string;
  /** The code is a key of this object literal in the file; its value is the detail. */
  catalogue?: string;
  /** The code is made from this parameter of the enclosing function, read at its calls. */
  fromParameter?: { name: string; code: (argument: string) => string | null };
}

const forbiddenAction = (module: string) => (action: string) =>
  action === `${module}.read` ? null : `${module}.${action.split('.')[1]}_forbidden`;

/**
 * The only codes that are legitimately not literals where they are raised, matched by file and
 * the code expression's text. Anything else dynamic fails the generation.
 */
export const DYNAMIC_CODES: DynamicCode[] = [
  // OidcRefusal.toAppError: `this.code` is typed as a key of OIDC_REFUSALS, whose values are the
  // details; the sign-in routes call it with its default status.
  { file: 'modules/oidc/oidc.errors.ts', expression: 'this.code', catalogue: 'OIDC_REFUSALS' },
  // fieldProblem's fallback passes any other JSON Schema keyword through as field.<keyword>.
  {
    file: 'platform/http/error-handler.ts',
    expression: '`field.${issue.keyword}`',
    documentAs: 'field.<keyword>',
  },
  // authorise(…, action) and authoriseAppointment(…, action): one code per policy action their
  // callers check. Reading is checked first and refused as not found: no `….read_forbidden`.
  {
    file: 'modules/conversations/conversations.access.ts',
    expression: "`conversation.${action.split('.')[1]}_forbidden`",
    fromParameter: { name: 'action', code: forbiddenAction('conversation') },
  },
  {
    file: 'modules/appointments/appointments.facts.ts',
    expression: "`appointment.${action.split('.')[1]}_forbidden`",
    fromParameter: { name: 'action', code: forbiddenAction('appointment') },
  },
];
