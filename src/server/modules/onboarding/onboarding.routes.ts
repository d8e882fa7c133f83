import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import type { Actor, SignedInActor } from '../identity/actor';
import { importFile } from './onboarding.commands';
import {
  ImportBody,
  ImportParams,
  ImportReportParams,
  ImportResultSchema,
} from './onboarding.contracts';
import { fileTextIn } from '../../platform/http/nul-characters';
import { MAX_FILE_BYTES } from './onboarding.csv';
import { getErrorReport } from './onboarding.queries';
import type { ImportKind } from './onboarding.schema';

const tags = ['onboarding'];

function signedIn(actor: Actor): SignedInActor {
  if (actor.kind === 'anonymous') throw unauthenticated();
  return actor;
}

/** Bulk onboarding: coordinators load their organisation's staff and patients from CSV. */
export function onboardingRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const [kind, operationId, summary] of [
      ['staff', 'importStaff', 'Add staff to teams from a CSV file (coordinators)'],
      ['patients', 'importPatients', 'Register patients from a CSV file (coordinators)'],
    ] as const satisfies readonly (readonly [ImportKind, string, string])[]) {
      app.post(
        `/organisations/:organisationId/imports/${kind}`,
        {
          // The file travels as JSON text: up to 1 MB, and escapes can double that.
          bodyLimit: MAX_FILE_BYTES * 2 + 1024,
          // A file's text: readCsv says how to save a file that holds NULs (UTF-16, say).
          config: fileTextIn(['csv']),
          schema: {
            operationId,
            tags,
            summary,
            description:
              'All or nothing: a file with any problem imports nothing and lists every problem (row, column, message). Rows already present are left unchanged, so the same file can be sent again safely.',
            params: ImportParams,
            body: ImportBody,
            response: { 200: ImportResultSchema, ...errorResponses(400, 401, 403, 404, 409, 413) },
          },
        },
        async (request) =>
          importFile(
            deps,
            signedIn(request.actor),
            request.params.organisationId,
            kind,
            request.body.csv,
            requestFacts(request),
          ),
      );
    }

    app.get(
      '/organisations/:organisationId/imports/:importId/error-report',
      {
        schema: {
          operationId: 'getImportErrorReport',
          tags,
          summary: 'The problems an import found, as CSV: row, column and what to do',
          params: ImportReportParams,
          response: {
            200: {
              description: 'One problem per row: Row, Column, Problem',
              content: { 'text/csv': { schema: Type.String() } },
            },
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const report = await getErrorReport(
          deps,
          signedIn(request.actor),
          request.params,
          requestFacts(request),
        );
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${report.filename}"`)
          .header('cache-control', 'no-store')
          .send(report.csv);
      },
    );
  };
}
