import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  ERROR_CODES_DOC,
  type ErrorCodesReference,
  generateErrorCodesReference,
} from '../../../../scripts/error-codes/generate';

// DESIGN §5: errors carry a stable `code`. docs/error-codes.md is how clients look one up, so it
// must list every code the server raises, generated from the source (scripts/error-codes/).
describe('docs/error-codes.md', () => {
  let reference: ErrorCodesReference;
  beforeAll(async () => {
    reference = await generateErrorCodesReference();
  });

  test('every code is a literal where it is raised, or explained in sources.ts', () => {
    expect(
      reference.errors,
      'Problem codes must be literals (or explained in scripts/error-codes/sources.ts)',
    ).toEqual([]);
  });

  test('is what npm run docs:error-codes writes', () => {
    expect(
      readFileSync(ERROR_CODES_DOC, 'utf8'),
      'docs/error-codes.md is out of date: run `npm run docs:error-codes`',
    ).toBe(reference.markdown);
  });

  // If the extraction lost a way of raising codes, the document and the check would lose it
  // together: one code of each way, with its status, must be there.
  test.each([
    ['new AppError', '`auth.unauthenticated`', '401'],
    ['a shared helper (notFound)', '`conversation.not_found`', '404'],
    ['a module helper (fhirError)', '`fhir.invalid_token`', '401'],
    ['a helper that prefixes the code', '`fhir.subscription_limit`', '422'],
    ['a helper called inside a helper', '`onboarding.file_unreadable`', '400'],
    ['a policy action (authorise)', '`conversation.reply_forbidden`', '403'],
    ['the OIDC refusals catalogue', '`oidc.state_mismatch`', '400'],
    ['the OAuth token endpoint', '`invalid_client`', '401'],
  ])('finds a code raised through %s', (_way, code, status) => {
    const row = reference.markdown.split('\n').find((line) => line.startsWith(`| ${code} `));
    expect(row?.split('|')[2]?.trim()).toBe(status);
  });

  test('finds the field codes inside request.invalid', () => {
    expect(reference.markdown).toMatch(/^\| `patient\.nhs_number_invalid` +\| patients/m);
    expect(reference.markdown).toMatch(/^\| `field\.required` +\| platform/m);
  });
});
