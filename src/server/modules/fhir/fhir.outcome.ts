import Type from 'typebox';
import { AppError } from '../../platform/http/problem';

/** Where our stable error codes live, as a FHIR code system. */
export const PROBLEM_SYSTEM = 'https://carethread.dev/problems';

const ISSUE_TYPES: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'business-rule',
  429: 'throttled',
};

export const OperationOutcomeSchema = Type.Object(
  {
    resourceType: Type.Literal('OperationOutcome'),
    issue: Type.Array(
      Type.Object({
        severity: Type.Literal('error'),
        code: Type.String(),
        details: Type.Object({
          coding: Type.Array(Type.Object({ system: Type.String(), code: Type.String() })),
          text: Type.String(),
        }),
        expression: Type.Optional(Type.Array(Type.String())),
      }),
    ),
  },
  { $id: 'OperationOutcome', title: 'OperationOutcome' },
);
export type OperationOutcome = Type.Static<typeof OperationOutcomeSchema>;

/**
 * FHIR's form of an error: an OperationOutcome whose issue carries the same stable code a
 * problem+json response would, under PROBLEM_SYSTEM. Field problems become one issue each,
 * coded with the request's code and then the field's.
 */
export function toOperationOutcome(error: AppError): OperationOutcome {
  const code = ISSUE_TYPES[error.status] ?? 'exception';
  const text = error.detail ?? error.title;
  const coding = [{ system: PROBLEM_SYSTEM, code: error.code }];
  if (error.errors && error.errors.length > 0) {
    return {
      resourceType: 'OperationOutcome',
      issue: error.errors.map((problem) => ({
        severity: 'error' as const,
        code,
        // The request's code first, as on every issue, then the field's own.
        details: {
          coding: [...coding, { system: PROBLEM_SYSTEM, code: problem.code }],
          text: problem.message,
        },
        expression: [problem.field],
      })),
    };
  }
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { coding, text } }],
  };
}

export const fhirError = (status: number, code: string, detail: string) =>
  new AppError(status, code, detail, detail);

/** The OperationOutcome responses a FHIR route may give, for OpenAPI and serialisation. */
export function outcomeResponses(...statuses: number[]) {
  const ref = Type.Ref('OperationOutcome');
  return Object.fromEntries(statuses.map((status) => [status, ref]));
}
