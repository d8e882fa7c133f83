import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { CorrectionBody } from '../../platform/http/corrections';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses, pageLimit, requestFacts } from '../../platform/http/routes';
import { createScanner } from '../../platform/scanning/create-scanner';
import { createStorage } from '../../platform/storage/create-storage';
import { requireVerifiedActor } from '../identity/verification';
import { DocumentChecker, type DocumentServices } from './documents.checker';
import { EXPIRY_SWEEP_EVERY_MS, expireAbandonedUploads } from './documents.expiry';
import {
  DocumentPageSchema,
  DocumentParams,
  DocumentSchema,
  PatientDocumentsParams,
  PatientDocumentsQuery,
} from './documents.contracts';
import { contentDisposition } from './documents.filename';
import { getDocument, listPatientDocuments, openDocumentContent } from './documents.queries';
import { uploadRoutes } from './documents.uploads';
import { expireDrafts, withdrawDocument } from './documents.withdrawal';
import { markEnteredInError } from './documents.corrections';

const tags = ['documents'];

/** Storage, scanner and staging directory as configured. */
export function documentServices(deps: AppDeps): DocumentServices {
  const stagingDir = path.join(deps.config.dataDir, 'uploads');
  mkdirSync(stagingDir, { recursive: true });
  return {
    storage: createStorage(deps.config.documents.storage, deps.config.dataDir),
    scanner: createScanner(deps.config.documents.clamd),
    stagingDir,
  };
}

/**
 * Documents in the patient's record: resumable uploads (tus), reads, downloads. The checker
 * runs in this process; at start-up it takes back every document a stop left `checking`.
 */
export function documentRoutes(
  deps: AppDeps,
  services: DocumentServices = documentServices(deps),
): FastifyPluginAsyncTypebox {
  return async (app) => {
    const checker = new DocumentChecker(deps, services, (documentId, error) => {
      app.log.error({ documentId, err: { type: (error as Error).name } }, 'document check failed');
    });
    const sweepAbandoned = async () => {
      try {
        const expired = await expireAbandonedUploads(deps, services.stagingDir);
        if (expired > 0) app.log.info({ expired }, 'gave up abandoned uploads');
        const drafts = await expireDrafts(deps, services);
        if (drafts > 0) app.log.info({ drafts }, 'withdrew files never sent');
      } catch (error) {
        app.log.error({ err: { type: (error as Error).name } }, 'document expiry sweep failed');
      }
    };
    let sweeper: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      const resumed = await checker.resume();
      if (resumed > 0) app.log.info({ resumed }, 'checking documents left unchecked');
      void sweepAbandoned();
      sweeper = setInterval(() => void sweepAbandoned(), EXPIRY_SWEEP_EVERY_MS);
      sweeper.unref();
    });
    app.addHook('onClose', async () => {
      if (sweeper) clearInterval(sweeper);
      await checker.close();
    });

    app.addSchema(DocumentSchema);
    await app.register(uploadRoutes(deps, services.stagingDir, checker));

    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.get(
      '/documents/:documentId',
      {
        schema: {
          operationId: 'getDocument',
          tags,
          description:
            '404 `carer.access_ended` when the reader is a carer whose access to this ' +
            "person's record has ended and who would otherwise see it (C1); 404 " +
            '`document.not_found` for anyone else who may not see it, and when it does not ' +
            'exist.',
          params: DocumentParams,
          response: { 200: Type.Ref('Document'), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        getDocument(
          deps,
          requireVerifiedActor(request.actor),
          request.params.documentId,
          requestFacts(request),
        ),
    );

    app.delete(
      '/documents/:documentId',
      {
        schema: {
          operationId: 'withdrawDocument',
          tags,
          summary:
            'Remove a file chosen for a message not sent yet (a draft), or cancel an upload ' +
            'that has not finished, with its bytes',
          description:
            'Only the uploader, only while the document is a draft or still uploading; again → ' +
            '204 with no change. Sent documents and finished uploads are part of the record ' +
            '(409 document.not_withdrawable), as are files held back by the security check. A ' +
            'cancelled upload (`withdrawn`, rejectionCode document.upload_cancelled) is no longer ' +
            'listed, and only its uploader can read it.',
          params: DocumentParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await withdrawDocument(
          deps,
          services,
          requireVerifiedActor(request.actor),
          request.params.documentId,
          requestFacts(request),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/documents/:documentId/entered-in-error',
      {
        schema: {
          operationId: 'markDocumentEnteredInError',
          tags,
          summary: 'Say a document in the record was added in error (its uploader only)',
          description:
            'From then on nobody opens or downloads it; readers see only that it was removed, ' +
            'when and by whom. The bytes are kept for investigation and the reason goes to the ' +
            'audit trail. Again → 200 with no change.',
          params: DocumentParams,
          body: CorrectionBody,
          response: { 200: Type.Ref('Document'), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        markEnteredInError(
          deps,
          requireVerifiedActor(request.actor),
          request.params.documentId,
          request.body,
          requestFacts(request),
        ),
    );

    app.get(
      '/patients/:patientId/documents',
      {
        schema: {
          operationId: 'listPatientDocuments',
          tags,
          summary: 'A patient’s documents, newest first, whatever their status',
          params: PatientDocumentsParams,
          querystring: PatientDocumentsQuery,
          response: { 200: DocumentPageSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        listPatientDocuments(
          deps,
          requireVerifiedActor(request.actor),
          request.params.patientId,
          { cursor: request.query.cursor, limit: pageLimit(request.query.limit) },
          requestFacts(request),
        ),
    );

    app.get(
      '/documents/:documentId/content',
      {
        schema: {
          operationId: 'downloadDocument',
          tags,
          summary: 'The document’s bytes, as an attachment (only once it passed its checks)',
          description:
            '404 `carer.access_ended` when the reader is a carer whose access to this ' +
            "person's record has ended and who would otherwise see it (C1); 404 " +
            '`document.not_found` for anyone else who may not see it, and when it does not ' +
            'exist.',
          params: DocumentParams,
          response: {
            200: {
              description: 'The file',
              content: { 'application/octet-stream': { schema: Type.String() } },
            },
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const { document, content } = await openDocumentContent(
          deps,
          services.storage,
          requireVerifiedActor(request.actor),
          request.params.documentId,
          requestFacts(request),
        );
        if (document.sizeBytes !== null) void reply.header('content-length', document.sizeBytes);
        return (
          reply
            .header('content-type', document.mediaType ?? 'application/octet-stream')
            .header('content-disposition', contentDisposition(document.fileName))
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', 'sandbox')
            .header('cache-control', 'no-store')
            // A stream: the schema's string describes the bytes for OpenAPI only.
            .send(content as never)
        );
      },
    );
  };
}
