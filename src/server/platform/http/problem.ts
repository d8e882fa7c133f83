import Type from 'typebox';

/** A field-level problem inside a request.invalid response. */
export interface FieldProblem {
  field: string;
  message: string;
  code: string;
}

/**
 * An error the client can act on. Rendered as application/problem+json (RFC 9457) with a
 * stable `code`; its texts never carry patient data.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail ?? title);
    this.name = 'AppError';
  }
}

export const notFound = (code: string, title = 'Not found') => new AppError(404, code, title);
export const forbidden = (code: string, detail?: string) =>
  new AppError(403, code, 'Forbidden', detail);
export const conflict = (code: string, detail: string) =>
  new AppError(409, code, 'Conflict', detail);
export const invalid = (errors: FieldProblem[], detail = 'Some of the information is not valid') =>
  new AppError(400, 'request.invalid', 'Invalid request', detail, errors);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ field: Type.String(), message: Type.String(), code: Type.String() }),
      ),
    ),
  },
  { $id: 'Problem', title: 'Problem' },
);

export type Problem = Type.Static<typeof ProblemSchema>;

export function toProblem(error: AppError, instance?: string): Problem {
  return {
    type: `https://carethread.dev/problems/${error.code}`,
    title: error.title,
    status: error.status,
    code: error.code,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    ...(instance !== undefined ? { instance } : {}),
    ...(error.errors !== undefined ? { errors: error.errors } : {}),
  };
}
