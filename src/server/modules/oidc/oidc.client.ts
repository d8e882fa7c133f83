import { createPrivateKey } from 'node:crypto';
import { importPKCS8 } from 'jose';
import * as client from 'openid-client';
import { refuse } from './oidc.errors';

/** What we need to talk to one identity provider as one client. */
export interface ClientSpec {
  issuer: string;
  clientId: string;
  privateKey: CryptoKey;
  keyId: string | null;
  /** Which of our keys `privateKey` is: a different key is a different client. */
  keyName: string;
  /** The algorithm the provider signs ID tokens with; anything else is refused. */
  idTokenAlg: 'RS256' | 'RS512';
  /** Entra wants the certificate thumbprint in `x5t`. */
  x5t?: boolean;
}

/** Imports a PKCS#8 PEM for signing client assertions: RS512/RS256 for RSA, ES256 for P-256. */
export async function importSigningKey(pem: string, rsaAlg: 'RS256' | 'RS512'): Promise<CryptoKey> {
  const type = createPrivateKey(pem).asymmetricKeyType;
  const alg = type === 'rsa' ? rsaAlg : type === 'ec' ? 'ES256' : null;
  if (alg === null) throw new Error('client assertion keys must be RSA or P-256');
  return importPKCS8(pem, alg);
}

/**
 * private_key_jwt (RFC 7523): `iss` = `sub` = our client id, a fresh `jti`, a one-minute
 * lifetime, and `aud` the token endpoint, as NHS login and CIS2 ask.
 */
function privateKeyJwt(spec: ClientSpec): client.ClientAuth {
  const key = { key: spec.privateKey, ...(spec.keyId ? { kid: spec.keyId } : {}) };
  return (as, metadata, body, headers) =>
    client.PrivateKeyJwt(key, {
      [client.modifyAssertion]: (header, payload) => {
        payload.aud = as.token_endpoint;
        if (spec.x5t && spec.keyId) header.x5t = spec.keyId;
      },
    })(as, metadata, body, headers);
}

/**
 * Discovered provider configurations, one per client: issuer, client id, key and how we sign
 * with it. A coordinator's change to any of these is a new entry, used from the very next
 * sign-in on every server, with nothing to invalidate. Discovery runs on first use, not at
 * start-up, so a provider that is down (or the demo one, served by this very process) never
 * stops the server from starting; a failed discovery is retried on the next sign-in.
 */
export class OidcClients {
  private readonly cache = new Map<string, Promise<client.Configuration>>();

  constructor(private readonly allowHttp: boolean) {}

  configuration(spec: ClientSpec): Promise<client.Configuration> {
    const cacheKey = [
      spec.issuer,
      spec.clientId,
      spec.keyName,
      spec.keyId ?? '',
      spec.idTokenAlg,
      spec.x5t === true ? 'x5t' : '',
    ].join('\n');
    let found = this.cache.get(cacheKey);
    if (!found) {
      found = this.discover(spec);
      this.cache.set(cacheKey, found);
      found.catch(() => this.cache.delete(cacheKey));
    }
    return found.catch(() => {
      throw refuse('oidc.provider_unavailable');
    });
  }

  private async discover(spec: ClientSpec): Promise<client.Configuration> {
    const config = await client.discovery(
      new URL(spec.issuer),
      spec.clientId,
      {
        id_token_signed_response_alg: spec.idTokenAlg,
        token_endpoint_auth_method: 'private_key_jwt',
      },
      privateKeyJwt(spec),
      { execute: this.allowHttp ? [client.allowInsecureRequests] : [], timeout: 10 },
    );
    config.timeout = 10;
    // openid-client trusts an ID token from the token endpoint on TLS alone (as OIDC allows);
    // we verify its signature against the provider's JWKS as well.
    client.enableNonRepudiationChecks(config);
    return config;
  }
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The URL to send the browser to, with fresh state, nonce and PKCE (S256) verifier. */
export async function authorizationRequest(
  config: client.Configuration,
  parameters: Record<string, string>,
): Promise<AuthorizationRequest> {
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, {
    ...parameters,
    response_type: 'code',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { url, state, nonce, codeVerifier };
}

export interface VerifiedSignIn {
  /** The ID token's claims, signature, issuer, audience, expiry and nonce checked. */
  idToken: Record<string, unknown> & { sub: string };
  /** Userinfo, whose `sub` is the ID token's. */
  userinfo: Record<string, unknown>;
}

const isNetworkError = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'TimeoutError' ||
    error.name === 'AbortError' ||
    (error instanceof TypeError && /fetch failed/.test(error.message)));

/**
 * Redeems the authorisation code and checks everything openid-client checks (state, PKCE,
 * ID token algorithm, iss, aud, exp, nonce, and — with non-repudiation checks — signature), then fetches userinfo and
 * requires its `sub` to be the ID token's. Every failure becomes a stable refusal.
 */
export async function redeem(
  config: client.Configuration,
  callbackUrl: URL,
  expected: { state: string; nonce: string; codeVerifier: string },
): Promise<VerifiedSignIn> {
  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      pkceCodeVerifier: expected.codeVerifier,
      idTokenExpected: true,
    });
  } catch (error) {
    if (error instanceof client.AuthorizationResponseError) {
      throw refuse(error.error === 'access_denied' ? 'oidc.cancelled' : 'oidc.provider_error');
    }
    if (error instanceof client.ResponseBodyError) throw refuse('oidc.token_rejected');
    if (isNetworkError(error)) throw refuse('oidc.provider_unavailable');
    throw refuse('oidc.id_token_invalid');
  }
  const idToken = tokens.claims();
  if (!idToken) throw refuse('oidc.id_token_invalid');
  let userinfo;
  try {
    userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
  } catch (error) {
    if (isNetworkError(error)) throw refuse('oidc.provider_unavailable');
    if (
      error instanceof client.ClientError &&
      error.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED'
    ) {
      throw refuse('oidc.userinfo_mismatch');
    }
    throw refuse('oidc.token_rejected');
  }
  return { idToken: { ...idToken }, userinfo: { ...userinfo } };
}
