import { storeModel } from '../store/storeModel';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { parse, serialize } from 'cookie';
import { type Request, type Response } from 'express';
import { Schema } from 'mongoose';
import { type BaseClient, errors, generators, Issuer } from 'openid-client';
import { SinettiError } from '../common/errors';
import { type StrongIdentificationConfig } from '../config/strongIdentification';
import { LOA_HIGH, LOA_SUBSTANTIAL, SIGNER_CALLBACK_PATH } from '../integrations/identityProvider/testPersons';
import { logger } from '../observability/logger';
import { checkIdentityCode } from '../rules/identifiers';

/**
 * Strong identification of a signer before they sign: Sinetti as the
 * relying party of Suomi.fi e-Identification (or an FTN broker) with
 * authorization code + PKCE, asking for substantial or high assurance.
 * The identity code in the ID token is compared only as a keyed hash with
 * the one HR entered; it is never stored, logged or passed on. What is kept
 * is the evidence: provider, level of assurance and its transaction ids.
 */

export type LevelOfAssurance = 'substantial' | 'high';

export interface IdentificationEvidence {
  provider: string;
  levelOfAssurance: LevelOfAssurance;
  acr: string;
  /** The provider's transaction: `txn`, else `jti`, else `sid`, else the ID token's SHA-256. */
  transactionId: string;
  sid?: string;
  jti?: string;
  identifiedAt: Date;
}

export type IdentificationResult =
  | { ok: true; returnPath: string; language?: string; identityCodeHash: string; evidence: IdentificationEvidence }
  | {
      ok: false;
      returnPath?: string;
      language?: string;
      /** `undecryptable`: the ID token was not encrypted to Sinetti's key (or not encrypted at all) and was refused. */
      reason: 'cancelled' | 'failed' | 'level_too_low' | 'no_identity_code' | 'undecryptable';
    };

const LEVELS: Record<string, LevelOfAssurance> = { [LOA_SUBSTANTIAL]: 'substantial', [LOA_HIGH]: 'high' };

const PENDING_COOKIE = 'sinetti_identification';
const PENDING_SECONDS = 900;
const PROOF_TTL_MS = 30 * 60_000;

interface PendingIdentification {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The link's page to come back to (/s/<token> a signer's, /m/<token> the minutes' chair's or secretary's); the browser had it already. */
  returnPath: string;
  /** The language the page was in, so the answer is shown in it too. */
  language: string;
}

/** A browser's proof of a successful identification, by its SHA-256, as the one-time codes keep theirs. */
interface IdentificationProofRecord {
  _id: string;
  processId: string;
  participantId: string;
  evidence: IdentificationEvidence;
  expiresAt: Date;
}

const IdentificationProofModel = storeModel<IdentificationProofRecord>(
  'SignerIdentificationProof',
  new Schema<IdentificationProofRecord>(
    {
      _id: { type: String, required: true },
      processId: { type: String, required: true },
      participantId: { type: String, required: true },
      evidence: { type: Schema.Types.Mixed, required: true },
      expiresAt: { type: Date, required: true },
    },
    { versionKey: false, collection: 'signer_identification_proofs' },
  ),
);

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** The keyed hash identity codes are matched by: HMAC-SHA256 of the normalised code. */
export function identityCodeHash(key: Buffer, identityCode: string): string {
  const checked = checkIdentityCode(identityCode);
  return createHmac('sha256', key)
    .update(checked.valid ? checked.code : identityCode.trim().toUpperCase())
    .digest('hex');
}

export class StrongIdentification {
  private client?: Promise<BaseClient>;
  readonly redirectUri: string;

  constructor(
    readonly config: StrongIdentificationConfig,
    private readonly publicUrl: string,
  ) {
    this.redirectUri = `${publicUrl}${SIGNER_CALLBACK_PATH}`;
  }

  hash(identityCode: string): string {
    return identityCodeHash(this.config.hashKey, identityCode);
  }

  private relyingParty(): Promise<BaseClient> {
    const { config } = this;
    const encryption = config.idTokenEncryption;
    this.client ??= Issuer.discover(config.issuer).then(
      (issuer) =>
        new issuer.Client(
          {
            client_id: config.clientId,
            client_secret: config.clientSecret,
            redirect_uris: [this.redirectUri],
            response_types: ['code'],
            // With a key, openid-client decrypts the ID token (JWE) itself, and refuses one that is not encrypted so.
            ...(encryption ? { id_token_encrypted_response_alg: encryption.alg, id_token_encrypted_response_enc: encryption.enc } : {}),
          },
          encryption ? { keys: [encryption.privateJwk] } : undefined,
        ),
    );
    this.client.catch(() => {
      this.client = undefined;
    });
    return this.client.catch(() => {
      throw new SinettiError('identity_provider_unavailable', 'The identification service cannot be reached. Try again in a moment.', 503);
    });
  }

  /** Sends the browser to the provider, asking for a fresh login at substantial or high assurance. */
  async begin(res: Response, returnPath: string, language: string): Promise<void> {
    const client = await this.relyingParty();
    const pending: PendingIdentification = {
      state: generators.state(),
      nonce: generators.nonce(),
      codeVerifier: generators.codeVerifier(),
      returnPath,
      language,
    };
    res.append(
      'Set-Cookie',
      serialize(PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.publicUrl.startsWith('https:'),
        path: SIGNER_CALLBACK_PATH,
        maxAge: PENDING_SECONDS,
      }),
    );
    res.redirect(
      303,
      client.authorizationUrl({
        scope: this.config.scope,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: generators.codeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
        acr_values: this.config.acrValues.join(' '),
        // Every signature its own identification: never a session left in this browser by someone else.
        prompt: 'login',
      }),
    );
  }

  /** The provider's answer: the identity code's keyed hash and the evidence, or why there is none. */
  async complete(req: Request, res: Response): Promise<IdentificationResult> {
    res.append('Set-Cookie', serialize(PENDING_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: SIGNER_CALLBACK_PATH, maxAge: 0 }));
    let pending: PendingIdentification;
    try {
      pending = JSON.parse(
        Buffer.from(parse(req.headers.cookie ?? '')[PENDING_COOKIE] ?? '', 'base64url').toString(),
      ) as PendingIdentification;
      if (!pending.state || !pending.codeVerifier || !/^\/[sm]\/[^/?#\\]+$/.test(pending.returnPath)) throw new Error('incomplete');
    } catch {
      return { ok: false, reason: 'failed' };
    }
    const { returnPath, language } = pending;
    const client = await this.relyingParty();
    const params = client.callbackParams(req);
    if (params.error) return { ok: false, returnPath, language, reason: params.error === 'access_denied' ? 'cancelled' : 'failed' };
    let tokens;
    try {
      tokens = await client.callback(this.redirectUri, params, {
        state: pending.state,
        nonce: pending.nonce,
        code_verifier: pending.codeVerifier,
      });
    } catch (error) {
      if (error instanceof errors.RPError && /JWE/.test(error.message)) {
        // The operator's to fix, not the signer's: the provider encrypts to a key Sinetti does not hold (or not at all).
        logger.warn(
          { issuer: this.config.issuer, kid: this.config.idTokenEncryption?.publicJwk.kid, reason: error.message },
          'an identification was refused: its ID token could not be decrypted with SINETTI_EIDENT_DECRYPTION_KEY; check the key the provider has (/.well-known/jwks.json)',
        );
        return { ok: false, returnPath, language, reason: 'undecryptable' };
      }
      return { ok: false, returnPath, language, reason: 'failed' };
    }
    const claims = tokens.claims();
    const level = LEVELS[String(claims.acr ?? '')];
    if (!level) return { ok: false, returnPath, language, reason: 'level_too_low' };
    const identityCode = claims[this.config.identityCodeClaim];
    if (typeof identityCode !== 'string' || !identityCode) return { ok: false, returnPath, language, reason: 'no_identity_code' };
    const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
    const sid = text(claims.sid);
    const jti = text(claims.jti);
    return {
      ok: true,
      returnPath,
      language,
      identityCodeHash: this.hash(identityCode),
      evidence: {
        provider: this.config.providerName,
        levelOfAssurance: level,
        acr: String(claims.acr),
        transactionId: text(claims.txn) ?? jti ?? sid ?? sha256(tokens.id_token ?? ''),
        ...(sid ? { sid } : {}),
        ...(jti ? { jti } : {}),
        identifiedAt: new Date(typeof claims.auth_time === 'number' ? claims.auth_time * 1000 : Date.now()),
      },
    };
  }

  /** Remembers a matched identification for this signer; the browser keeps the proof. */
  async recordProof(
    processId: string,
    participantId: string,
    evidence: IdentificationEvidence,
  ): Promise<{ proof: string; expiresAt: Date }> {
    const proof = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + PROOF_TTL_MS);
    await IdentificationProofModel.create({ _id: sha256(proof), processId, participantId, evidence, expiresAt });
    return { proof, expiresAt };
  }

  /** The evidence of a live identification of this signer by this browser; undefined otherwise. */
  async check(processId: string, participantId: string, proof: string | undefined): Promise<IdentificationEvidence | undefined> {
    if (!proof || proof.length > 100) return undefined;
    const record = await IdentificationProofModel.findById(sha256(proof)).lean();
    if (!record || record.processId !== processId || record.participantId !== participantId) return undefined;
    return record.expiresAt.getTime() > Date.now() ? record.evidence : undefined;
  }
}
