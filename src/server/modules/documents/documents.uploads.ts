import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FileStore } from '@tus/file-store';
import { Metadata, Server, type Upload } from '@tus/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { AppError, toProblem } from '../../platform/http/problem';
import { errorResponses, IdParam, requestFacts, UUID_PATTERN } from '../../platform/http/routes';
import type { RequestFacts, SignedInActor } from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import type { DocumentChecker } from './documents.checker';
import {
  authoriseUpload,
  authoriseUploadContinuation,
  createDocument,
  invalidMetadata,
  markUploaded,
  type NewUpload,
} from './documents.commands';
import { UploadCreationHeaders } from './documents.contracts';
import { giveUpUpload } from './documents.expiry';
import { refuseOverQuota } from './documents.quota';
import { cleanText, safeFileName } from './documents.filename';

export const UPLOADS_PATH = '/api/v1/uploads';

/** What the Fastify side learnt about a request, handed to the tus hooks through its raw request. */
interface UploadRequest {
  actor: SignedInActor;
  facts: RequestFacts;
  creation?: NewUpload;
  /** PATCH and HEAD: the upload the route authorised, the only one tus may touch. */
  uploadId?: string;
}
const pending = new WeakMap<IncomingMessage, UploadRequest>();

/** tus hands its hooks a web Request that still carries the Node one. */
function contextOf(req: unknown): UploadRequest {
  const node = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
  const context = node ? pending.get(node) : undefined;
  if (!context) throw new Error('upload request without its context');
  return context;
}
/**
 * An AppError as tus writes refusals: status and the problem as body (tus sends it as text;
 * only a change after the route's check ends here: a race, or access lost while the bytes
 * of the last PATCH arrived).
 */
class TusRefusal extends Error {
  constructor(
    readonly status_code: number,
    readonly body: string,
  ) {
    super(body);
  }
}

/**
 * Resumable uploads (tus 1.0.0) at /api/v1/uploads. Fastify authenticates (session cookie,
 * CSRF token) and refuses malformed or oversized creations with problem+json; everything
 * else, body included, goes to @tus/server as raw Node request and response, which streams
 * the bytes to a staging file (@tus/file-store) — never into memory. The upload's id is the
 * document's id. Creation is authorised and recorded in `onUploadCreate`; the last byte
 * marks the document `checking` and queues its checks.
 */
export function uploadRoutes(
  deps: AppDeps,
  stagingDir: string,
  checker: DocumentChecker,
): FastifyPluginAsyncTypebox {
  const maxBytes = deps.config.documents.maxBytes;
  // Made on the first upload: its file store creates the staging directory as it is built.
  let server: Server | null = null;
  const tus = () =>
    (server ??= new Server({
      path: UPLOADS_PATH,
      datastore: new FileStore({ directory: stagingDir }),
      maxSize: maxBytes,
      relativeLocation: true,
      // Same origin only: no Access-Control-Allow-Origin at all.
      allowedOrigins: [],
      // tus would read the id from the whole URL, query string included, so
      // `/uploads/<mine>?x=/<theirs>` would reach another person's upload past the route's
      // check of <mine>. It gets the id the route authorised instead.
      getFileIdFromRequest: (req) => contextOf(req).uploadId,
      namingFunction: (req) => {
        const creation = contextOf(req).creation;
        if (!creation) throw new Error('upload created without a document id');
        return creation.documentId;
      },
      onUploadCreate: async (req, upload: Upload) => {
        const { actor, facts, creation } = contextOf(req);
        if (!creation || upload.id !== creation.documentId) throw new Error('unexpected upload id');
        await refuseAsProblem(() => createDocument(deps, actor, creation, facts));
        return {};
      },
      onUploadFinish: async (req, upload: Upload) => {
        const { actor, facts } = contextOf(req);
        // Access is decided again as the upload finishes. Refused, the upload is given up at
        // once: its bytes do not wait a week in staging, nor count against the quota.
        await refuseAsProblem(async () => {
          try {
            await markUploaded(deps, actor, upload.id, facts);
          } catch (error) {
            if (error instanceof AppError && (error.status === 403 || error.status === 404)) {
              await giveUpUpload(deps, stagingDir, upload.id, {
                code: 'document.upload_refused',
                by: 'Carethread (uploads)',
              });
            }
            throw error;
          }
        });
        checker.enqueue(upload.id);
        return {};
      },
    }));

  return async (app) => {
    // tus streams the PATCH body itself: Fastify must leave it unread (and unlimited).
    app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => {
      done(null);
    });

    const handOver = async (
      request: FastifyRequest,
      reply: FastifyReply,
      context: UploadRequest,
    ) => {
      pending.set(request.raw, context);
      reply.hijack();
      try {
        await tus().handle(request.raw, reply.raw);
      } finally {
        pending.delete(request.raw);
      }
    };

    app.post(
      '/uploads',
      {
        schema: {
          operationId: 'uploadDocument',
          tags: ['documents'],
          summary: 'Start a resumable upload of a document (tus 1.0.0 creation)',
          description:
            'The tus creation request. The answer’s Location (/api/v1/uploads/<documentId>) is the ' +
            'upload URL for PATCH and HEAD (tus), and its last part the document’s id. After the ' +
            'last byte the document is checked; poll getDocument. A person may have at most ' +
            'DOCUMENT_MAX_OUTSTANDING_UPLOADS uploads (of DOCUMENT_MAX_OUTSTANDING_BYTES in all) ' +
            'unfinished or not yet sent with a message: beyond that, 429 document.quota_exceeded ' +
            '(finish or discard earlier uploads).',
          headers: UploadCreationHeaders,
          response: {
            201: {
              description:
                'Created, with no body: Location: /api/v1/uploads/<documentId>, Tus-Resumable: 1.0.0',
              content: { 'text/plain': { schema: Type.String({ maxLength: 0 }) } },
            },
            ...errorResponses(400, 401, 403, 404, 413, 429),
          },
        },
      },
      async (request, reply) => {
        const actor = requireVerifiedActor(request.actor);
        const creation = parseCreation(request.headers, maxBytes);
        // Refusals here are problem+json; onUploadCreate decides again as it records.
        await authoriseUpload(deps.db, actor, creation, deps.clock());
        await refuseOverQuota(
          deps.db,
          actor.userId,
          creation.declaredSizeBytes,
          deps.config.documents.quota,
        );
        await handOver(request, reply, { actor, facts: requestFacts(request), creation });
      },
    );

    for (const method of ['PATCH', 'HEAD'] as const) {
      app.route({
        method,
        url: '/uploads/:uploadId',
        schema: {
          hide: true,
          params: Type.Object({ uploadId: IdParam }, { additionalProperties: false }),
        },
        handler: async (request, reply) => {
          const actor = requireVerifiedActor(request.actor);
          const { uploadId } = request.params;
          await authoriseUploadContinuation(deps, actor, uploadId, method);
          await handOver(request, reply, { actor, facts: requestFacts(request), uploadId });
        },
      });
    }
  };
}

/** Runs work, turning an AppError into a refusal tus sends as it is. */
async function refuseAsProblem(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw new TusRefusal(error.status, JSON.stringify(toProblem(error)));
  }
}

const UUID = new RegExp(UUID_PATTERN);

/** Upload-Length and Upload-Metadata, checked before tus sees the request. */
export function parseCreation(headers: FastifyRequest['headers'], maxBytes: number): NewUpload {
  const lengthHeader = headers['upload-length'];
  if (typeof lengthHeader !== 'string' || !/^\d{1,16}$/.test(lengthHeader)) {
    throw invalidMetadata('Upload-Length must give the file’s size in bytes.');
  }
  const declaredSizeBytes = Number(lengthHeader);
  // An empty file is nothing to check or keep: refused here, in words of its own, rather than
  // recorded and then rejected as not the type its name says.
  if (declaredSizeBytes === 0) {
    throw new AppError(400, 'document.empty', 'Empty file', 'The selected file is empty.');
  }
  if (declaredSizeBytes > maxBytes) {
    throw new AppError(
      413,
      'document.too_large',
      'File too large',
      `Files can be at most ${maxBytes} bytes.`,
    );
  }
  let metadata: Record<string, string | null>;
  try {
    const raw = headers['upload-metadata'];
    metadata = Metadata.parse(typeof raw === 'string' ? raw : undefined);
  } catch {
    throw invalidMetadata('Upload-Metadata is not valid tus metadata.');
  }
  // Every text goes through the one cleaning that file names get (no NUL or control characters).
  const text = (key: string) => {
    const value = metadata[key];
    const cleaned = value === undefined || value === null ? '' : cleanText(value);
    return cleaned === '' ? null : cleaned;
  };
  const id = (key: string) => {
    const value = text(key);
    if (value !== null && !UUID.test(value))
      throw invalidMetadata(`${key} must be a lower-case UUID.`);
    return value;
  };
  const patientId = id('patientId');
  if (patientId === null) throw invalidMetadata('patientId is required.');
  const rawName = text('filename');
  const fileName = rawName === null ? null : safeFileName(rawName);
  if (fileName === null) throw invalidMetadata('filename is required.');
  const title = text('title') ?? fileName;
  // Characters, as safeFileName counts them: an emoji is one, not two UTF-16 units.
  if ([...title].length > 200) throw invalidMetadata('title can be at most 200 characters.');
  const purpose = text('purpose') ?? 'record';
  if (purpose !== 'record' && purpose !== 'message') {
    throw invalidMetadata('purpose must be “record” or “message”.');
  }
  return {
    documentId: randomUUID(),
    patientId,
    fileName,
    title,
    conversationId: id('conversationId'),
    teamId: id('teamId'),
    declaredSizeBytes,
    draft: purpose === 'message',
  };
}
