import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldProblem, toProblem } from './problem';
import { NOT_BLANK } from './routes';
import { isPageRequest } from './web-app';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns every failure into application/problem+json with a stable code. */
export function registerErrorHandling(app: FastifyInstance, servesWebApp: boolean): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      request.log.error({ err: { type: error.name, code: error.code } }, 'request failed');
    }
    void reply.code(appError.status).type('application/problem+json').send(toProblem(appError));
  });

  app.setNotFoundHandler((request, reply) => {
    if (servesWebApp && isPageRequest(request.method, request.url, request.headers.accept)) {
      return reply.type('text/html').sendFile('index.html');
    }
    void reply
      .code(404)
      .type('application/problem+json')
      .send(
        toProblem(
          new AppError(404, 'route.not_found', 'Not found', 'There is no such page or endpoint.'),
        ),
      );
  });
}

/** Writes an error in a form of its own (the FHIR facade's OperationOutcome). */
export type ErrorWriter = (reply: FastifyReply, error: AppError) => void;

/**
 * Fastify's `frameworkErrors`: an address the router refuses before any route is chosen (an
 * id past its 100-character limit, broken percent-encoding) would otherwise be answered with
 * Fastify's own JSON, quoting the address back. An overlong id names nothing: route.not_found.
 * Under a prefix of `writers`, that prefix's form; elsewhere problem+json.
 */
export function answerFrameworkErrors(writers: Record<string, ErrorWriter> = {}) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const appError =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError(404, 'route.not_found', 'Not found', 'There is no such page or endpoint.')
        : error.code === 'FST_ERR_BAD_URL'
          ? new AppError(400, 'request.malformed', 'Malformed request', 'The address is not valid.')
          : toAppError(error);
    const prefix = Object.keys(writers).find((p) => request.url.startsWith(`${p}/`));
    if (prefix !== undefined) return writers[prefix]!(reply, appError);
    void reply.code(appError.status).type('application/problem+json').send(toProblem(appError));
  };
}

/**
 * JSON is the API's one body type (DESIGN §5). Fastify also reads text/plain by default, so a
 * route that takes no body would act on a text one, and one that does would call it "not an
 * object" rather than 415.
 */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
}

export function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const context = error.validationContext ?? 'body';
    return new AppError(
      400,
      'request.invalid',
      'Invalid request',
      'Some of the information is not valid',
      (error.validation as AjvIssue[]).map((issue) => fieldProblem(context, issue)),
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(
        413,
        'request.too_large',
        'Request too large',
        'The request is too large.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        415,
        'request.unsupported_media_type',
        'Unsupported media type',
        'Send JSON.',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError(
        400,
        'request.malformed',
        'Malformed request',
        'The request body is not valid JSON.',
      );
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError(
      error.statusCode,
      'request.rejected',
      'Request rejected',
      'The request could not be accepted.',
    );
  }
  return new AppError(500, 'internal', 'Something went wrong', 'Try again later.');
}

function fieldProblem(context: string, issue: AjvIssue): FieldProblem {
  const base = issue.instancePath === '' ? '' : issue.instancePath;
  switch (issue.keyword) {
    case 'additionalProperties': {
      const name = String(issue.params.additionalProperty);
      return {
        field: `${context}${base}/${name}`,
        code: 'field.unknown',
        message: `${name} is not an accepted field`,
      };
    }
    case 'required': {
      const name = String(issue.params.missingProperty);
      return {
        field: `${context}${base}/${name}`,
        code: 'field.required',
        message: `${name} is required`,
      };
    }
    case 'maxLength':
      return {
        field: `${context}${base}`,
        code: 'field.too_long',
        message: `Must be ${String(issue.params.limit)} characters or fewer`,
      };
    case 'minLength':
      return {
        field: `${context}${base}`,
        code: 'field.too_short',
        message:
          issue.params.limit === 1
            ? 'Must not be empty'
            : `Must be at least ${String(issue.params.limit)} characters`,
      };
    case 'type':
      return {
        field: `${context}${base}`,
        code: 'field.wrong_type',
        message: `Must be ${String(issue.params.type)}`,
      };
    case 'format':
      return {
        field: `${context}${base}`,
        code: 'field.bad_format',
        message: `Must be a valid ${String(issue.params.format)}`,
      };
    case 'pattern':
      if (issue.params.pattern === NOT_BLANK) {
        return {
          field: `${context}${base}`,
          code: 'field.too_short',
          message: 'Must not be empty',
        };
      }
      return {
        field: `${context}${base}`,
        code: 'field.bad_format',
        message: 'Is not in the expected format',
      };
    case 'enum':
    case 'const':
      return {
        field: `${context}${base}`,
        code: 'field.not_allowed',
        message: 'Is not one of the allowed values',
      };
    case 'minProperties':
      return {
        field: `${context}${base}`,
        code: 'field.empty',
        message: 'Send at least one field to change',
      };
    case 'maxItems':
      return {
        field: `${context}${base}`,
        code: 'field.too_many',
        message: `Must have ${String(issue.params.limit)} items or fewer`,
      };
    default:
      return {
        field: `${context}${base}`,
        code: `field.${issue.keyword}`,
        message: issue.message ?? 'Is not valid',
      };
  }
}
