// One small fetch client: same-origin cookies, CSRF header on every state change,
// and RFC 9457 problem documents turned into ApiError.

import { BACKGROUND_HEADER, isBackground } from './activity';

export interface FieldProblem {
  field: string;
  message: string;
  code?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `Request failed (${problem.status})`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code ?? 'unknown';
    this.problem = problem;
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  extraHeaders?: Record<string, string>,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (isBackground()) headers[BACKGROUND_HEADER] = '1';

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network.unavailable',
      detail: 'Carethread could not be reached. Check your connection and try again.',
    });
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem =
      data && typeof data === 'object' ? (data as Partial<Problem>) : ({} as Partial<Problem>);
    throw new ApiError({
      ...problem,
      status: response.status,
      detail: problem.detail ?? problem.title ?? 'Sorry, there is a problem with the service.',
    });
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Normalises a problem's field path to dotted form: `/openingHours/0/opens`,
 * `body/openingHours/0/opens` and `name` become `openingHours.0.opens` and `name`.
 */
export function fieldKey(field: string): string {
  return field
    .replace(/^\//, '')
    .replace(/^(body|querystring|params|headers)(\/|$)/, '')
    .replace(/\//g, '.');
}
