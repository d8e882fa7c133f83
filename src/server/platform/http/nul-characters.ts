import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldProblem } from './problem';

const MESSAGE = 'Must not contain the NUL character';

/**
 * Refuses a request carrying U+0000 anywhere in its address parameters, query or JSON body.
 * JSON may spell it `\u0000` and an address `%00`, but PostgreSQL text cannot hold it, so the
 * statement would fail and the request answer 500 after work had begun. Checked before the
 * contract, as `400 request.invalid` with each such field (`field.bad_format`).
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const problems: FieldProblem[] = [];
    collect('params', request.params, problems);
    collect('querystring', request.query, problems);
    const fileText = (request.routeOptions.config as Partial<FileTextConfig>).fileTextIn ?? [];
    const body = request.body;
    if (fileText.length > 0 && body !== null && typeof body === 'object') {
      const rest = Object.entries(body).filter(([key]) => !fileText.includes(key));
      collect('body', Object.fromEntries(rest), problems);
    } else {
      collect('body', body, problems);
    }
    if (problems.length > 0) {
      throw new AppError(
        400,
        'request.invalid',
        'Invalid request',
        'Some of the information is not valid',
        problems,
      );
    }
  });
}

interface FileTextConfig {
  fileTextIn: readonly string[];
}

/**
 * Route config for a body field that carries a file's text (a CSV, say): it is left to the
 * handler, which can say how to save the file again instead of only that it is invalid.
 */
export const fileTextIn = (fields: readonly string[]): FileTextConfig => ({ fileTextIn: fields });

/**
 * Walks the value with a stack of its own rather than by recursion: a 256 KiB body can nest
 * arrays tens of thousands deep, deeper than the call stack goes (a 500, not a 400).
 */
function collect(root: string, value: unknown, problems: FieldProblem[]): void {
  const pending: [string, unknown][] = [[root, value]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [path, item] = next;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) {
        problems.push({ field: path, code: 'field.bad_format', message: MESSAGE });
      }
    } else if (item !== null && typeof item === 'object') {
      const entries: [string, unknown][] = Array.isArray(item)
        ? item.map((element: unknown, index) => [String(index), element])
        : Object.entries(item);
      // Pushed last to first, so fields are named in the order they were sent.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, element] = entries[i]!;
        if (!Array.isArray(item) && key.includes('\u0000')) {
          problems.push({ field: path, code: 'field.bad_format', message: MESSAGE });
        }
        pending.push([`${path}/${key}`, element]);
      }
    }
  }
}
