/**
 * docs/error-codes.md, generated from the server's source (see extract.ts).
 *
 *   npm run docs:error-codes   rewrites it; src/server/platform/http/error-codes.test.ts fails
 *                              when it is out of date or a code is not a literal.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { extractErrorCodes, type Raised } from './extract';
import type { Kind } from './sources';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ERROR_CODES_DOC = path.join(ROOT, 'docs', 'error-codes.md');

export interface ErrorCodesReference {
  markdown: string;
  /** Codes that could not be read statically, with where; empty when all is well. */
  errors: string[];
  problemCodes: number;
  fieldCodes: number;
}

const INTRODUCTION = `# Error codes

Every refusal of the API is \`application/problem+json\`
([RFC 9457](https://www.rfc-editor.org/rfc/rfc9457)):

\`\`\`json
{
  "type": "https://carethread.dev/problems/conversation.not_found",
  "title": "Not found",
  "status": 404,
  "code": "conversation.not_found"
}
\`\`\`

\`code\` is stable: it is what clients should branch on. \`title\` and \`detail\` are written for
people and may be reworded; they never carry patient data. \`type\` is the code under
\`https://carethread.dev/problems/\`. A \`request.invalid\` answer (400), and a few others, also
carry \`errors\`: one per field, each with its own \`code\` (see [Field codes](#field-codes)):

\`\`\`json
{
  "type": "https://carethread.dev/problems/request.invalid",
  "title": "Invalid request",
  "status": 400,
  "code": "request.invalid",
  "detail": "Some of the information is not valid",
  "errors": [
    {
      "field": "body/nhsNumber",
      "code": "patient.nhs_number_invalid",
      "message": "Enter a valid 10-digit NHS number"
    }
  ]
}
\`\`\`

The FHIR API (\`/fhir/R4\`) answers with an \`OperationOutcome\` instead, whose issues carry the
same codes under the system \`https://carethread.dev/problems\`. The OAuth token endpoint
(\`/oauth2/token\`) answers with the standard's own \`error\` and \`error_description\`.

This page is generated from the server's source by \`npm run docs:error-codes\`, and a test fails
when it is out of date: do not edit it by hand. "Status" is the HTTP status ("varies" where the
code does not fix it); "Meaning" quotes the title and details the server sends, where they are
fixed texts.
`;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (values: Iterable<string>) => [...new Set(values)].sort(compare);
const row = (...cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
const statuses = (entry: Raised) => sorted(entry.statuses).join(', ') || 'varies';
function meaning(entry: Raised): string {
  const details = sorted(entry.details).filter((d) => !entry.titles.has(d));
  return [sorted(entry.titles).join(' / '), details.join('<br>')].filter((t) => t).join(': ');
}

export async function generateErrorCodesReference(): Promise<ErrorCodesReference> {
  const { raised, errors } = extractErrorCodes(path.join(ROOT, 'src', 'server'));
  const ofKind = (kind: Kind) =>
    raised
      .filter((r) => r.kind === kind)
      .sort((a, b) => compare(a.module, b.module) || compare(a.code, b.code));
  const problems = ofKind('problem');
  const fields = ofKind('field');
  const problemCodes = new Set(problems.map((p) => p.code)).size;
  const fieldCodes = new Set(fields.map((f) => f.code)).size;
  // Platform first: its codes (sign-in, malformed requests) can come from any route.
  const modules = sorted(problems.map((p) => p.module)).sort(
    (a, b) => Number(b === 'platform') - Number(a === 'platform'),
  );

  const lines = [INTRODUCTION, '## Problem codes by module', ''];
  lines.push(
    `${problemCodes} codes. A code raised in several modules is listed under each. The platform's (sign-in, malformed requests) can come from any route.`,
    '',
  );
  for (const module of modules) {
    lines.push(`### ${module}`, '', '| Code | Status | Meaning |', '| --- | --- | --- |');
    for (const entry of problems.filter((p) => p.module === module)) {
      lines.push(row(`\`${entry.code}\``, statuses(entry), meaning(entry)));
    }
    lines.push('');
  }

  lines.push('## Field codes', '');
  lines.push(
    `${fieldCodes} codes, inside the \`errors\` of an answer (most often \`request.invalid\`). \`field.<keyword>\` is any other JSON Schema keyword the request broke.`,
    '',
    '| Code | Raised in | Message |',
    '| --- | --- | --- |',
  );
  for (const code of sorted(fields.map((f) => f.code))) {
    const same = fields.filter((f) => f.code === code);
    const messages = sorted(same.flatMap((f) => [...f.details]));
    lines.push(row(`\`${code}\``, same.map((f) => f.module).join(', '), messages.join('<br>')));
  }

  lines.push('', '## OAuth token endpoint', '');
  lines.push('| Error | Status | Description |', '| --- | --- | --- |');
  for (const entry of ofKind('oauth')) {
    lines.push(row(`\`${entry.code}\``, statuses(entry), sorted(entry.details).join('<br>')));
  }

  const markdown = await prettier.format(lines.join('\n'), {
    ...(await prettier.resolveConfig(ERROR_CODES_DOC)),
    filepath: ERROR_CODES_DOC,
  });
  return { markdown, errors, problemCodes, fieldCodes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const reference = await generateErrorCodesReference();
  if (reference.errors.length > 0) {
    console.error(`Problem codes must be literals:\n${reference.errors.join('\n')}`);
    process.exit(1);
  }
  writeFileSync(ERROR_CODES_DOC, reference.markdown);
  console.warn(
    `docs/error-codes.md: ${reference.problemCodes} problem codes, ${reference.fieldCodes} field codes`,
  );
}
