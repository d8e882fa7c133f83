import { and, desc, eq, inArray } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { IdParam, requestFacts } from '../../platform/http/routes';
import { createStorage } from '../../platform/storage/create-storage';
import { draftDetail } from '../documents/documents.commands';
import { type DocumentRow, findDocument } from '../documents/documents.facts';
import { contentDisposition } from '../documents/documents.filename';
import { REMOVED_TITLE } from '../documents/documents.presenters';
import { downloadable } from '../documents/documents.queries';
import { documents } from '../documents/documents.schema';
import { auditSystemRead, mayReadRecord } from './fhir.access';
import { pageSize, searchset, searchsetSchema } from './fhir.bundle';
import { outcomeResponses } from './fhir.outcome';
import { clientOf, type FhirResource } from './fhir.resource';
import {
  afterKeyset,
  fhirNotFound,
  idOfReference,
  pageOf,
  PatientSearchQuery,
  searchRecord,
} from './fhir.search';

/** Our SHA-256 of a document's bytes: FHIR's Attachment.hash is SHA-1, which we do not keep. */
export const SHA256_EXTENSION = 'https://carethread.dev/fhir/StructureDefinition/sha256';

/** FHIR R4's Attachment.size is an unsignedInt; a larger study's size is left out. */
const MAX_FHIR_SIZE = 2_147_483_647;

export const DocumentReferenceResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('DocumentReference'),
    id: Type.String(),
    status: Type.Union([Type.Literal('current'), Type.Literal('entered-in-error')]),
    subject: Type.Object({ reference: Type.String() }),
    date: Type.String(),
    author: Type.Array(Type.Object({ display: Type.String() })),
    description: Type.String(),
    content: Type.Array(
      Type.Object({
        attachment: Type.Object({
          extension: Type.Optional(
            Type.Array(Type.Object({ url: Type.String(), valueString: Type.String() })),
          ),
          contentType: Type.Optional(Type.String()),
          url: Type.Optional(Type.String()),
          size: Type.Optional(Type.Integer()),
          title: Type.String(),
        }),
      }),
    ),
  },
  { $id: 'FhirDocumentReference', title: 'DocumentReference' },
);
type DocumentReferenceResource = Type.Static<typeof DocumentReferenceResourceSchema>;

/**
 * What a connected system sees of the record's documents (decision 0022, C3): those that
 * passed their checks, and those later marked as added in error (as a trace that something
 * was removed). Drafts are not in the record; documents being checked, refused, held back by
 * the scanner or withdrawn have nothing a system may read.
 */
const SHOWN_STATUSES = ['available', 'entered_in_error'] as const;
const inRecord = (row: DocumentRow) =>
  !row.draft && (SHOWN_STATUSES as readonly string[]).includes(row.status);

/**
 * One marked as added in error shows only that, when and by whom (decision 0020): not its
 * title, file name, type, size or hash, which may themselves name the wrong patient.
 */
function present(row: DocumentRow, base: string): DocumentReferenceResource {
  const removed = row.status === 'entered_in_error';
  const common = {
    resourceType: 'DocumentReference' as const,
    id: row.id,
    subject: { reference: `Patient/${row.patientId}` },
    date: row.createdAt.toISOString(),
    author: [{ display: row.uploaderLabel }],
  };
  if (removed) {
    return {
      ...common,
      status: 'entered-in-error',
      description: REMOVED_TITLE,
      content: [{ attachment: { title: REMOVED_TITLE } }],
    };
  }
  return {
    ...common,
    status: 'current',
    description: row.title,
    content: [
      {
        attachment: {
          ...(row.sha256
            ? { extension: [{ url: SHA256_EXTENSION, valueString: row.sha256 }] }
            : {}),
          ...(row.mediaType ? { contentType: row.mediaType } : {}),
          url: `${base}/Binary/${row.id}`,
          ...(row.sizeBytes !== null && row.sizeBytes <= MAX_FHIR_SIZE
            ? { size: row.sizeBytes }
            : {}),
          title: row.fileName,
        },
      },
    ],
  };
}

/** One document, if the system may have it (`shown`), with the read audited either way. */
function readOne(
  deps: AppDeps,
  request: FastifyRequest & { params: { id: string } },
  action: 'document.read' | 'document.downloaded',
  shown: (row: DocumentRow) => boolean,
) {
  return withTransaction(deps.db, async (tx) => {
    const client = clientOf(request);
    const row = await findDocument(tx, request.params.id);
    if (!row) return null;
    const allowed = shown(row) && (await mayReadRecord(tx, client, row.patientId));
    await auditSystemRead(tx, client, requestFacts(request), deps.clock(), {
      action,
      entityType: 'document',
      entityId: row.id,
      patientId: row.patientId,
      outcome: allowed ? 'success' : 'denied',
      // A draft's events stay out of the patient's log, as its uploader's own do (0019).
      details: draftDetail(row),
    });
    return allowed ? row : null;
  });
}

/**
 * DocumentReference: read by id and search by patient, newest first. Each one that passed its
 * checks links its bytes as a Binary (below).
 */
export const documentReferenceResource: FhirResource = {
  type: 'DocumentReference',
  scope: 'system/DocumentReference.read',
  interactions: ['read', 'search-type'],
  searchParams: [
    { name: 'patient', type: 'reference', documentation: 'The patient’s id (Patient/<id>)' },
  ],
  routes: (deps, base) => async (app) => {
    app.get(
      '/DocumentReference/:id',
      {
        schema: {
          operationId: 'fhirReadDocumentReference',
          tags: ['fhir'],
          params: Type.Object({ id: IdParam }, { additionalProperties: false }),
          response: {
            200: DocumentReferenceResourceSchema,
            ...outcomeResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const row = await readOne(deps, request, 'document.read', inRecord);
        if (!row) throw fhirNotFound();
        return present(row, base);
      },
    );

    app.get(
      '/DocumentReference',
      {
        schema: {
          operationId: 'fhirSearchDocumentReference',
          tags: ['fhir'],
          querystring: PatientSearchQuery,
          response: {
            200: searchsetSchema(DocumentReferenceResourceSchema, 'DocumentReference'),
            ...outcomeResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const patientId = idOfReference(request.query.patient);
        const limit = pageSize(request.query._count);
        // Newest first, as the record's list of documents.
        const after = afterKeyset(
          request.query._cursor,
          { at: documents.createdAt, id: documents.id },
          'desc',
        );
        const facts = requestFacts(request);
        const search = { action: 'record.documents_listed', patientId, limit };
        const page = await withTransaction(deps.db, (tx) =>
          searchRecord(tx, client, facts, deps.clock(), search, () =>
            tx
              .select()
              .from(documents)
              .where(
                and(
                  eq(documents.patientId, patientId),
                  eq(documents.draft, false),
                  inArray(documents.status, SHOWN_STATUSES),
                  after,
                ),
              )
              .orderBy(desc(documents.createdAt), desc(documents.id))
              .limit(limit + 1),
          ),
        );
        const { items, next } = pageOf(page, limit, (last) => [
          last.createdAt.toISOString(),
          last.id,
        ]);
        return searchset(
          base,
          {
            path: 'DocumentReference',
            params: {
              patient: patientId,
              _count: request.query._count,
              _cursor: request.query._cursor,
            },
          },
          items.map((row) => present(row, base)),
          next,
        );
      },
    );
  },
};

/**
 * Binary: the bytes of a document that passed its checks, linked from its DocumentReference's
 * attachment, and read with the DocumentReference scope. It answers with the raw bytes and the
 * document's own content type, whatever the Accept header: a Binary resource in JSON would
 * base64 the whole file in memory, and an imaging study may be gigabytes (decision 0015: no
 * file is held in memory).
 */
export const binaryResource: FhirResource = {
  type: 'Binary',
  scope: 'system/DocumentReference.read',
  interactions: ['read'],
  searchParams: [],
  routes: (deps) => async (app) => {
    const storage = createStorage(deps.config.documents.storage, deps.config.dataDir);

    app.get(
      '/Binary/:id',
      {
        config: { fhirOwnContentType: true },
        schema: {
          operationId: 'fhirReadBinary',
          tags: ['fhir'],
          summary: 'The bytes of a document that passed its checks, as its own content type',
          params: Type.Object({ id: IdParam }, { additionalProperties: false }),
          response: {
            200: {
              description: 'The file',
              content: { 'application/octet-stream': { schema: Type.String() } },
            },
            ...outcomeResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        // Nothing to hand out (added in error, held back, removed) is "not found", as in FHIR.
        const row = await readOne(
          deps,
          request,
          'document.downloaded',
          (found) => inRecord(found) && downloadable(found),
        );
        if (!row?.storageKey) throw fhirNotFound();
        const content = await storage.open(row.storageKey);
        if (row.sizeBytes !== null) void reply.header('content-length', row.sizeBytes);
        return (
          reply
            .header('content-type', row.mediaType ?? 'application/octet-stream')
            .header('content-disposition', contentDisposition(row.fileName))
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', 'sandbox')
            // A stream: the schema's string describes the bytes for OpenAPI only.
            .send(content as never)
        );
      },
    );
  },
};
