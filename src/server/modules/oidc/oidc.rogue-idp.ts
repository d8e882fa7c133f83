import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { base64url, exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { listen, type LoopbackServer } from './oidc.test-support';

/**
 * A deliberately misbehaving OpenID provider for tests, built with jose: discovery, JWKS,
 * an authorisation endpoint that answers at once, one-time codes, and a token endpoint
 * whose ID token each scenario may break. The point is that our relying party refuses it.
 */
export type Forgery =
  | 'none'
  | 'tampered_signature'
  | 'alg_none'
  | 'hs256_with_public_key'
  | 'wrong_aud'
  | 'wrong_iss'
  | 'expired'
  | 'nonce_mismatch'
  | 'state_mismatch'
  | 'userinfo_sub_mismatch';

export interface RogueIdp extends LoopbackServer {
  forgery: Forgery;
  /** Claims put in the ID token only (userinfo keeps `claims`), e.g. a vector of trust. */
  idTokenOnly: Record<string, unknown>;
}

interface PendingCode {
  nonce: string;
  sub: string;
}

const b64 = (value: object) => base64url.encode(JSON.stringify(value));

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}

function json(res: ServerResponse, status: number, value: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(value));
}

export async function startRogueIdp(options: {
  clientId: string;
  sub: string;
  claims: Record<string, unknown>;
}): Promise<RogueIdp> {
  const keys = await generateKeyPair('RS512', { extractable: true, modulusLength: 2048 });
  const publicJwk = {
    ...(await exportJWK(keys.publicKey)),
    kid: 'rogue',
    alg: 'RS512',
    use: 'sig',
  };
  const publicPem = await exportSPKI(keys.publicKey);
  const codes = new Map<string, PendingCode>();
  const server = await listen();
  const issuer = server.url;
  const idp: RogueIdp = { ...server, forgery: 'none', idTokenOnly: {} };

  async function idToken(nonce: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = {
      iss: issuer,
      sub: options.sub,
      aud: options.clientId,
      iat: now,
      exp: now + 300,
      nonce,
      ...options.claims,
      ...idp.idTokenOnly,
    };
    switch (idp.forgery) {
      case 'wrong_aud':
        claims.aud = 'someone-else';
        break;
      case 'wrong_iss':
        claims.iss = 'http://127.0.0.1:9/not-the-issuer';
        break;
      case 'expired':
        claims.iat = now - 7200;
        claims.exp = now - 3600;
        break;
      case 'nonce_mismatch':
        claims.nonce = 'not-the-nonce-we-were-sent';
        break;
      case 'alg_none':
        return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      case 'hs256_with_public_key':
        // The classic key-confusion attack: HMAC keyed with the provider's public key.
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: 'rogue' })
          .sign(new TextEncoder().encode(publicPem));
      default:
        break;
    }
    const signed = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS512', kid: 'rogue' })
      .sign(keys.privateKey);
    if (idp.forgery !== 'tampered_signature') return signed;
    const [header, payload, signature = ''] = signed.split('.');
    const flipped = signature[10] === 'A' ? 'B' : 'A';
    return `${header}.${payload}.${signature.slice(0, 10)}${flipped}${signature.slice(11)}`;
  }

  server.setHandler(async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS512'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        code_challenge_methods_supported: ['S256'],
      });
    } else if (url.pathname === '/jwks') {
      json(res, 200, { keys: [publicJwk] });
    } else if (url.pathname === '/authorize') {
      const code = randomBytes(16).toString('hex');
      codes.set(code, { nonce: url.searchParams.get('nonce') ?? '', sub: options.sub });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      const state = url.searchParams.get('state') ?? '';
      back.searchParams.set('state', idp.forgery === 'state_mismatch' ? `${state}x` : state);
      res.statusCode = 302;
      res.setHeader('location', back.href);
      res.end();
    } else if (url.pathname === '/token' && req.method === 'POST') {
      const form = await readForm(req);
      const pending = codes.get(form.get('code') ?? '');
      // Codes are single-use, as at any real provider.
      codes.delete(form.get('code') ?? '');
      if (!pending) {
        json(res, 400, { error: 'invalid_grant' });
        return;
      }
      json(res, 200, {
        access_token: randomBytes(16).toString('hex'),
        token_type: 'Bearer',
        expires_in: 300,
        id_token: await idToken(pending.nonce),
      });
    } else if (url.pathname === '/userinfo') {
      const sub = idp.forgery === 'userinfo_sub_mismatch' ? 'somebody-else' : options.sub;
      json(res, 200, { sub, ...options.claims });
    } else {
      json(res, 404, { error: 'not_found' });
    }
  });
  return idp;
}
