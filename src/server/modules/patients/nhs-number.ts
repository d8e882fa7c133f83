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
