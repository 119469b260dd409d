import { randomBytes } from 'node:crypto';
import { parse, serialize } from 'cookie';
import { type Request, type Response } from 'express';
import { type BaseClient, generators, Issuer } from 'openid-client';
import { type SinettiConfig, type StaffRole } from '../config/config';
import { grantsFromClaim, unitLimits, type UnitLimits } from '../config/identity';
import { SinettiError } from '../common/errors';

/**
 * Sinetti as the relying party of the organisation's OpenID Provider
 * (`openid-client`): authorization code with PKCE, the person's roles from
 * the configured claim through the configured mapping. The state, nonce
 * and code verifier of a sign-in under way travel in a short-lived cookie
 * of their own, with the page the person was going to.
 */
const PENDING_COOKIE = 'sinetti_signin';
const PENDING_SECONDS = 600;

interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export interface SignedInPerson {
  name: string;
  subject: string;
  roles: StaffRole[];
  units: UnitLimits;
  idToken?: string;
}

/** Only a path on this site may be returned to, never another site. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/hr';
}

export class StaffSignIn {
  private client?: Promise<BaseClient>;
  readonly redirectUri: string;
  readonly signedOutUri: string;

  constructor(private readonly config: SinettiConfig) {
    this.redirectUri = `${config.publicUrl}/auth/callback`;
    this.signedOutUri = `${config.publicUrl}/auth/signed-out`;
  }

  /** The provider's metadata is fetched at the first sign-in, and again after a failure. */
  private relyingParty(): Promise<BaseClient> {
    const { oidc } = this.config.identity;
    this.client ??= Issuer.discover(oidc.issuer).then(
      (issuer) =>
        new issuer.Client({
          client_id: oidc.clientId,
          client_secret: oidc.clientSecret,
          redirect_uris: [this.redirectUri],
          response_types: ['code'],
          post_logout_redirect_uris: [this.signedOutUri],
        }),
    );
    this.client.catch(() => {
      this.client = undefined;
    });
    return this.client.catch((error: Error) => {
      throw new SinettiError(
        'identity_provider_unavailable',
        `The sign-in service (${oidc.issuer}) cannot be reached: ${error.message}. Try again in a moment.`,
        503,
      );
    });
  }

  /** Sends the browser to the provider; the pending sign-in waits in its cookie. */
  async begin(res: Response, returnTo: string): Promise<void> {
    const client = await this.relyingParty();
    const pending: PendingSignIn = {
      state: generators.state(),
      nonce: generators.nonce(),
      codeVerifier: generators.codeVerifier(),
      returnTo: safeReturnTo(returnTo),
    };
    res.append(
      'Set-Cookie',
      serialize(PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.publicUrl.startsWith('https:'),
        path: '/auth',
        maxAge: PENDING_SECONDS,
      }),
    );
    res.redirect(
      303,
      client.authorizationUrl({
        scope: this.config.identity.oidc.scope,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: generators.codeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      }),
    );
  }

  /** Completes the code flow: the person, their roles, and where they were going. */
  async complete(req: Request, res: Response): Promise<{ person: SignedInPerson; returnTo: string }> {
    const raw = parse(req.headers.cookie ?? '')[PENDING_COOKIE];
    res.append('Set-Cookie', serialize(PENDING_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/auth', maxAge: 0 }));
    let pending: PendingSignIn;
    try {
      pending = JSON.parse(Buffer.from(raw ?? '', 'base64url').toString()) as PendingSignIn;
      if (!pending.state || !pending.codeVerifier) throw new Error('incomplete');
    } catch {
      throw new SinettiError('sign_in_expired', 'The sign-in took too long or was started in another browser. Start again.', 400);
    }
    const client = await this.relyingParty();
    const params = client.callbackParams(req);
    if (params.error)
      throw new SinettiError('sign_in_refused', `The sign-in service refused: ${params.error_description ?? params.error}.`, 401);
    let tokens;
    try {
      tokens = await client.callback(this.redirectUri, params, {
        state: pending.state,
        nonce: pending.nonce,
        code_verifier: pending.codeVerifier,
      });
    } catch (error) {
      throw new SinettiError('sign_in_failed', `The sign-in could not be completed (${(error as Error).message}). Start again.`, 401);
    }
    const claims = tokens.claims();
    const { roleClaim, roleMap } = this.config.identity.oidc;
    const grants = grantsFromClaim(claims[roleClaim], roleMap);
    const roles = [...new Set(grants.map((grant) => grant.role))];
    const name = String(claims.name ?? claims.preferred_username ?? claims.email ?? claims.sub);
    return {
      person: { name, subject: claims.sub, roles, units: unitLimits(grants), idToken: tokens.id_token },
      returnTo: pending.returnTo,
    };
  }

  /** The provider's end-session address when it offers one (RP-initiated logout), else undefined. */
  async endSessionUrl(idToken: string | undefined): Promise<string | undefined> {
    const client = await this.relyingParty().catch(() => undefined);
    if (!client?.issuer.metadata.end_session_endpoint) return undefined;
    return client.endSessionUrl({
      id_token_hint: idToken,
      post_logout_redirect_uri: this.signedOutUri,
      state: randomBytes(8).toString('hex'),
    });
  }
}
