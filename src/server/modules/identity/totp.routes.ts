import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps';
import { requireSession } from '../../platform/http/authentication';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import { getSignInPolicy, type SignInPolicy, updateSignInPolicy } from './sign-in-policy';
import {
  ConfirmTotpBody,
  RecoveryCodesResponse,
  SignInPolicyParams,
  SignInPolicyResponse,
  TotpEnrolmentResponse,
  TotpStatusResponse,
  UpdateSignInPolicyBody,
} from './totp.contracts';
import { confirmTotpSetup, getTotpStatus, startTotpSetup } from './totp.commands';

const tags = ['identity'];
// Setting up the app is exactly what a session awaiting set-up must be able to do.
const duringSetup = { beforeTotpSetup: true };

const presentPolicy = (policy: SignInPolicy) => ({
  organisationId: policy.organisationId,
  requireTotp: policy.requireTotp,
  updatedAt: policy.updatedAt?.toISOString() ?? null,
});

/** Authenticator apps (TOTP) for local accounts, and organisations' sign-in policies (C5). */
export function totpRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/me/totp',
      {
        config: duringSetup,
        schema: {
          operationId: 'getTotpStatus',
          tags,
          summary: 'Whether the signed-in user has an authenticator app, and must set one up',
          response: { 200: TotpStatusResponse, ...errorResponses(401) },
        },
      },
      async (request) => {
        const session = requireSession(request);
        const status = await getTotpStatus(deps, session.actor);
        return {
          ...status,
          enabledAt: status.enabledAt?.toISOString() ?? null,
          setupRequired: session.totpSetupRequired,
        };
      },
    );

    app.post(
      '/me/totp/setup',
      {
        config: duringSetup,
        schema: {
          operationId: 'startTotpSetup',
          tags,
          summary: 'Start (or resume) setting up an authenticator app: secret, URI and QR code',
          response: { 200: TotpEnrolmentResponse, ...errorResponses(401, 403, 409) },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return startTotpSetup(deps, session.actor, requestFacts(request));
      },
    );

    app.post(
      '/me/totp',
      {
        config: duringSetup,
        schema: {
          operationId: 'confirmTotpSetup',
          tags,
          summary: 'Confirm the authenticator app with a current code; returns recovery codes once',
          body: ConfirmTotpBody,
          response: { 201: RecoveryCodesResponse, ...errorResponses(400, 401, 403, 409, 429) },
        },
      },
      async (request, reply) => {
        const session = requireSession(request);
        const result = await confirmTotpSetup(
          deps,
          session.actor,
          request.body.code,
          requestFacts(request),
        );
        return reply.code(201).send(result);
      },
    );

    app.get(
      '/organisations/:organisationId/sign-in-policy',
      {
        schema: {
          operationId: 'getOrganisationSignInPolicy',
          tags,
          summary: "How the organisation's staff sign in (coordinators only)",
          params: SignInPolicyParams,
          response: { 200: SignInPolicyResponse, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return presentPolicy(
          await getSignInPolicy(deps, session.actor, request.params.organisationId),
        );
      },
    );

    app.put(
      '/organisations/:organisationId/sign-in-policy',
      {
        schema: {
          operationId: 'updateOrganisationSignInPolicy',
          tags,
          summary: 'Require an authenticator app for staff who sign in with a password',
          params: SignInPolicyParams,
          body: UpdateSignInPolicyBody,
          response: { 200: SignInPolicyResponse, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return presentPolicy(
          await updateSignInPolicy(
            deps,
            session.actor,
            request.params.organisationId,
            request.body,
            requestFacts(request),
          ),
        );
      },
    );
  };
}
