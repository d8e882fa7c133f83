import { invalid } from '../../platform/http/problem';

/**
 * NHS number check: ten digits whose last is the Modulus 11 check digit of the first nine
 * (weights 10 down to 2; a remainder giving 10 means the number can never be valid).
 */
export function isValidNhsNumber(value: string): boolean {
  if (!/^[0-9]{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 9).reduce((total, digit, i) => total + digit * (10 - i), 0);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === digits[9];
}

/** Accepts the common written forms ("943 476 5919", "943-476-5919") and returns the digits. */
export function normaliseNhsNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/**
 * The digits of a written NHS number, or a field error (`patient.nhs_number_invalid`) on
 * `body/nhsNumber` when they are not a valid one. The number itself is never in the error.
 */
export function parseNhsNumber(value: string): string {
  const nhsNumber = normaliseNhsNumber(value);
  if (!isValidNhsNumber(nhsNumber)) {
    throw invalid([
      {
        field: 'body/nhsNumber',
        code: 'patient.nhs_number_invalid',
        message: 'Enter a valid 10-digit NHS number',
      },
    ]);
  }
  return nhsNumber;
}
