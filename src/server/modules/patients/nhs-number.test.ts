import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number';

/** The Modulus 11 check digit of nine digits, or 10 when no check digit can make them valid. */
function checkDigitOf(body: string): number {
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
  return (11 - (sum % 11)) % 11;
}

const nineDigits = fc.string({
  unit: fc.constantFrom(...'0123456789'),
  minLength: 9,
  maxLength: 9,
});

describe('NHS number Modulus 11 check', () => {
  test.each([
    ['9434765919', true],
    ['9434765918', false], // wrong check digit
    ['4010232137', true],
    ['0000000000', true], // remainder 0 → check digit 0
    ['943476591', false], // nine digits
    ['94347659190', false], // eleven digits
    ['94347659A9', false], // a letter
    ['943 476 5919', false], // unnormalised
    ['', false],
    ['１２３４５６７８９０', false], // full-width digits are not digits here
  ])('%s valid: %s', (value, expected) => {
    expect(isValidNhsNumber(value)).toBe(expected);
  });

  it('accepts, for any nine-digit body, exactly the computed check digit — unless it is 10', () => {
    fc.assert(
      fc.property(nineDigits, (body) => {
        const check = checkDigitOf(body);
        const accepted = [...'0123456789'].filter((d) => isValidNhsNumber(`${body}${d}`));
        expect(accepted).toEqual(check === 10 ? [] : [String(check)]);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses bodies whose check digit would be 10', () => {
    // 100000001: 1·10 + 1·2 = 12; 12 mod 11 = 1; 11 − 1 = 10
    expect(checkDigitOf('100000001')).toBe(10);
    for (const d of '0123456789') expect(isValidNhsNumber(`100000001${d}`)).toBe(false);
  });

  it('refuses any string that is not exactly ten ASCII digits', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        fc.pre(!/^[0-9]{10}$/.test(value));
        expect(isValidNhsNumber(value)).toBe(false);
      }),
    );
  });

  it('normalises the common written forms', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
    expect(normaliseNhsNumber(' 9434765919 ')).toBe('9434765919');
  });
});
