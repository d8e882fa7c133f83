/** The SQLSTATE of a database error from either driver, possibly wrapped by Drizzle. */
function sqlState(error: unknown): { code: string; constraint?: string } | null {
  for (let e: unknown = error; isObject(e); e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, constraint: typeof constraint === 'string' ? constraint : undefined };
    }
  }
  return null;
}

/** Whether a database error is a unique violation (of `constraint`, when given). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const state = sqlState(error);
  return state?.code === '23505' && (constraint === undefined || state.constraint === constraint);
}

/** Whether PostgreSQL chose this transaction as the victim of a deadlock; it may be re-run. */
export function isDeadlock(error: unknown): boolean {
  return sqlState(error)?.code === '40P01';
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
