import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { errorPage, pickPersonPage, STYLESHEET } from './demo-idp-pages';
import type { DemoPerson } from './demo-idp-people';

/**
 * A demo identity provider: an `oidc-provider` instance that signs in whoever the person at
 * the browser picks from a list. It emulates NHS login (patients) and CIS2 (staff) for the
 * demo, and Entra ID for tests. Never used in production (configuration refuses it).
 */
export interface DemoIssuerOptions {
  /** The issuer URL; its path is where the provider is mounted (e.g. /demo-idp/nhs-login). */
  issuer: string;
  serviceName: string;
  people: DemoPerson[];
  /** Scope → claims released for it. */
  claims: Record<string, string[]>;
  client: {
    clientId: string;
    redirectUris: string[];
    /** The public key of our private_key_jwt client assertions. */
    jwk: JWK;
    idTokenAlg: 'RS256' | 'RS512';
  };
  /** Extra authorisation request parameters to accept (NHS login's `vtr`). */
  extraParams?: string[];
}

export interface DemoIssuer {
  issuer: string;
  mountPath: string;
  /** Handles a request whose URL starts with mountPath. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Called with the token request's parameters whenever a code is redeemed (tests read our assertion). */
  onTokenIssued(listener: (params: Record<string, unknown>) => void): void;
}

type MountedRequest = IncomingMessage & { originalUrl?: string };

type Payload = Record<string, unknown> & { uid?: string; grantId?: string; userCode?: string };

/**
 * The provider's storage: this process's memory, which is all a demo needs (a restart just
 * means signing in again). Written out so the provider does not warn about its default.
 */
function memoryAdapter() {
  const store = new Map<string, { payload: Payload; expiresAt: number }>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) store.delete(key);
    return store.get(key)?.payload;
  };
  return class MemoryAdapter {
    constructor(private readonly model: string) {}
    private key = (id: string) => `${this.model}:${id}`;
    upsert(id: string, payload: Payload, expiresIn: number) {
      store.set(this.key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 });
      return Promise.resolve();
    }
    find(id: string) {
      return Promise.resolve(live(this.key(id)));
    }
    findByUid(uid: string) {
      const found = [...store.keys()].find(
        (k) => k.startsWith(`${this.model}:`) && live(k)?.uid === uid,
      );
      return Promise.resolve(found ? live(found) : undefined);
    }
    findByUserCode(userCode: string) {
      const found = [...store.keys()].find((k) => live(k)?.userCode === userCode);
      return Promise.resolve(found ? live(found) : undefined);
    }
    consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      return Promise.resolve();
    }
    destroy(id: string) {
      store.delete(this.key(id));
      return Promise.resolve();
    }
    revokeByGrantId(grantId: string) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
      return Promise.resolve();
    }
  };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 8192) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(html);
}

export async function createDemoIssuer(options: DemoIssuerOptions): Promise<DemoIssuer> {
  // Loaded only here: oidc-provider is a development dependency, never needed in production.
  const { default: Provider, interactionPolicy } = await import('oidc-provider');
  const mountPath = new URL(options.issuer).pathname.replace(/\/+$/, '');
  const signing = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const signingJwk = { ...(await exportJWK(signing.privateKey)), use: 'sig', kid: 'demo-signing' };
  const people = new Map(options.people.map((p) => [p.sub, p]));

  // The demo asks who you are at every sign-in, so one browser can try several people.
  const policy = interactionPolicy.base();
  policy
    .get('login')
    ?.checks.add(
      new interactionPolicy.Check('demo_pick_each_time', 'The demo asks every time', (ctx) =>
        ctx.oidc.result?.login ? false : true,
      ),
    );

  const configuration: Configuration = {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: options.client.clientId,
        redirect_uris: options.client.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        id_token_signed_response_alg: options.client.idTokenAlg,
        jwks: { keys: [options.client.jwk] },
      },
    ],
    jwks: { keys: [signingJwk] },
    claims: { openid: ['sub'], ...options.claims },
    scopes: ['openid', ...Object.keys(options.claims)],
    extraParams: options.extraParams ?? [],
    // Real NHS login puts the proofing claims in the ID token as well as userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    clientAuthMethods: ['private_key_jwt'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'RS512'],
      clientAuthSigningAlgValues: ['RS256', 'RS512', 'ES256'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}`,
    },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: {
      AccessToken: 5 * 60,
      Grant: 10 * 60,
      IdToken: 5 * 60,
      Interaction: 10 * 60,
      Session: 10 * 60,
    },
    findAccount: (_ctx, sub) => {
      const person = people.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...person.claims }) };
    },
    // A demo has no consent screen: every sign-in is granted what it asked for.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      const scope = ctx.oidc.params?.scope;
      grant.addOIDCScope(typeof scope === 'string' ? scope : 'openid');
      await grant.save();
      return grant;
    },
    renderError: (ctx, _out, _error) => {
      ctx.type = 'html';
      ctx.body = errorPage('The demo identity provider could not complete this request.');
    },
  };
  const provider = new Provider(options.issuer, configuration);
  provider.proxy = false;
  const callback = provider.callback();

  async function interaction(req: MountedRequest, res: ServerResponse, path: string) {
    const [, uid, action] = path.split('/').filter(Boolean) as [string, string?, string?];
    const base = `${mountPath}/interaction/${uid ?? ''}`;
    if (req.method === 'GET' && action === undefined) {
      await provider.interactionDetails(req, res);
      sendHtml(
        res,
        200,
        pickPersonPage({
          serviceName: options.serviceName,
          action: `${base}/login`,
          cancelAction: `${base}/cancel`,
          people: options.people,
        }),
      );
      return;
    }
    if (req.method === 'POST' && action === 'login') {
      await provider.interactionDetails(req, res);
      const sub = (await readForm(req)).get('person');
      if (!sub || !people.has(sub)) {
        sendHtml(
          res,
          400,
          pickPersonPage({
            serviceName: options.serviceName,
            action: `${base}/login`,
            cancelAction: `${base}/cancel`,
            people: options.people,
            error: true,
          }),
        );
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: sub, remember: false } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (req.method === 'POST' && action === 'cancel') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The person cancelled signing in' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    sendHtml(res, 404, errorPage('There is no such page.'));
  }

  return {
    issuer: options.issuer,
    mountPath,
    onTokenIssued: (listener) =>
      void provider.on('grant.success', (ctx: KoaContextWithOIDC) =>
        listener({ ...(ctx.oidc.params ?? {}) }),
      ),
    handle: async (req: MountedRequest, res) => {
      const url = req.url ?? '/';
      const rest = url.slice(mountPath.length) || '/';
      const path = rest.split('?')[0] ?? '/';
      try {
        if (path.startsWith('/interaction/')) {
          await interaction(req, res, path);
          return;
        }
        // Mounted under a prefix: the provider routes on the rest and builds URLs from both.
        req.originalUrl = url;
        req.url = rest;
        await callback(req, res);
      } catch {
        if (!res.headersSent) {
          sendHtml(res, 400, errorPage('This sign-in has expired or is not valid.'));
        }
      }
    },
  };
}

/** Serves every demo issuer under /demo-idp, plus the pages' stylesheet. */
export function demoIdpHandler(issuers: DemoIssuer[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    if (url === '/demo-idp/assets/demo-idp.css') {
      res.setHeader('content-type', 'text/css; charset=utf-8');
      res.end(STYLESHEET);
      return;
    }
    const issuer = issuers.find((i) => url === i.mountPath || url.startsWith(`${i.mountPath}/`));
    if (!issuer) {
      sendHtml(res, 404, errorPage('There is no such page.'));
      return;
    }
    await issuer.handle(req, res);
  };
}
