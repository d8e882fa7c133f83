import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses, pageLimit } from '../../platform/http/routes';
import { clearCapturedEmails } from './mailbox.commands';
import { CapturedEmailPage, ListCapturedEmailsQuery } from './mailbox.contracts';
import { listCapturedEmails } from './mailbox.queries';

const tags = ['development'];

/**
 * The development mailbox: what the demo's email capture received. Registered only when
 * the capture is on (no SMTP_URL, not production); elsewhere these paths are 404. Anyone
 * signed in may read it — in the demo every account is a demo account, and emails carry no
 * patient data (N2).
 */
export function mailboxRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.get(
      '/dev/mailbox',
      {
        // The demo's emails stay readable while someone sets up an authenticator app.
        config: { beforeTotpSetup: true },
        schema: {
          operationId: 'listCapturedEmails',
          tags,
          summary: 'Emails the demo capture received, newest first (demo mode only)',
          querystring: ListCapturedEmailsQuery,
          response: { 200: CapturedEmailPage, ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        const { to, cursor, limit } = request.query;
        return listCapturedEmails(deps.db, { to, cursor, limit: pageLimit(limit) });
      },
    );

    app.delete(
      '/dev/mailbox',
      {
        schema: {
          operationId: 'clearCapturedEmails',
          tags,
          summary: 'Empty the development mailbox (demo mode only)',
          response: { 204: Type.Null(), ...errorResponses(401, 403) },
        },
      },
      async (_request, reply) => {
        await clearCapturedEmails(deps.db);
        return reply.code(204).send(null);
      },
    );
  };
}
