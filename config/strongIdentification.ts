import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DEVELOPMENT_ID_TOKEN_DECRYPTION_KEY } from '../integrations/identityProvider/developmentIdTokenKey';
import { ENCRYPTING_SIGNER_CLIENT } from '../integrations/identityProvider/testPersons';
import { idTokenEncryption, type IdTokenEncryption, loadIdTokenEncryption } from '../verification/idTokenDecryptionKey';
import { type IdentityConfig } from './identity';

/**
 * Strong identification of signers before they sign (Suomi.fi
 * e-Identification or a Finnish Trust Network broker, over OpenID Connect).
 * With SINETTI_EIDENT_ISSUER unset, the embedded development provider plays
 * Suomi.fi with its test persons (integrations/identityProvider/testPersons.ts).
 */
const environment = z.object({
  SINETTI_EIDENT_ISSUER: z.string().url().optional(),
  SINETTI_EIDENT_CLIENT_ID: z.string().optional(),
  SINETTI_EIDENT_CLIENT_SECRET: z.string().optional(),
  /** The levels of assurance asked for, most wanted first; FTN's substantial (loa2) and high (loa3). */
  SINETTI_EIDENT_ACR_VALUES: z.string().default('http://ftn.ficora.fi/2017/loa3 http://ftn.ficora.fi/2017/loa2'),
  /** The ID token claim carrying the personal identity code: Suomi.fi's nationalIdentificationNumber OID. */
  SINETTI_EIDENT_IDENTITY_CODE_CLAIM: z.string().default('urn:oid:1.2.246.21'),
  SINETTI_EIDENT_SCOPE: z.string().default('openid profile personal_identity_code'),
  /** The key of the keyed hash (HMAC-SHA256) identity codes are matched by, base64 of at least 32 bytes. */
  SINETTI_IDENTITY_CODE_HASH_KEY: z.string().optional(),
  /**
   * A file with the private key the provider encrypts ID tokens to (PEM or JWK): the Finnish Trust Network and Suomi.fi
   * send them encrypted. Set, only encrypted ID tokens are taken; its public half is at /.well-known/jwks.json.
   */
  SINETTI_EIDENT_DECRYPTION_KEY: z
    .string()
    .optional()
    .transform((file) => file || undefined),
  SINETTI_EIDENT_ID_TOKEN_ENCRYPTION_ALG: z.string().default('RSA-OAEP-256'),
  SINETTI_EIDENT_ID_TOKEN_ENCRYPTION_ENC: z.string().default('A256GCM'),
});

export interface StrongIdentificationConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  acrValues: string[];
  identityCodeClaim: string;
  scope: string;
  hashKey: Buffer;
  /** Names the provider in the evidence: "Suomi.fi e-Identification" or the development simulation. */
  providerName: string;
  /** How the provider encrypts ID tokens, and the key to decrypt them; undefined when it only signs them. */
  idTokenEncryption?: IdTokenEncryption;
}

export function loadStrongIdentificationConfig(env: NodeJS.ProcessEnv, identity: IdentityConfig): StrongIdentificationConfig {
  const e = environment.parse(env);
  const embedded = !e.SINETTI_EIDENT_ISSUER;
  // Production without SINETTI_EIDENT_ISSUER or the hash key is refused with the other development defaults (config/config.ts).
  if (!embedded && (!e.SINETTI_EIDENT_CLIENT_ID || !e.SINETTI_EIDENT_CLIENT_SECRET))
    throw new Error('SINETTI_EIDENT_CLIENT_ID and SINETTI_EIDENT_CLIENT_SECRET are required with SINETTI_EIDENT_ISSUER.');
  const hashKey = e.SINETTI_IDENTITY_CODE_HASH_KEY
    ? Buffer.from(e.SINETTI_IDENTITY_CODE_HASH_KEY, 'base64')
    : // Development only: a fixed key, so codes entered before a restart still match.
      createHash('sha256').update('sinetti-development-identity-code-hash-key').digest();
  if (hashKey.length < 32) throw new Error('SINETTI_IDENTITY_CODE_HASH_KEY must be at least 32 bytes in base64.');
  const alg = e.SINETTI_EIDENT_ID_TOKEN_ENCRYPTION_ALG;
  const enc = e.SINETTI_EIDENT_ID_TOKEN_ENCRYPTION_ENC;
  const encryption = e.SINETTI_EIDENT_DECRYPTION_KEY
    ? loadIdTokenEncryption(e.SINETTI_EIDENT_DECRYPTION_KEY, alg, enc)
    : embedded
      ? // The development provider's e-Identification client encrypts, as the real ones do.
        idTokenEncryption(
          DEVELOPMENT_ID_TOKEN_DECRYPTION_KEY,
          ENCRYPTING_SIGNER_CLIENT.idTokenEncryption.alg,
          ENCRYPTING_SIGNER_CLIENT.idTokenEncryption.enc,
          'The development ID token key',
        )
      : undefined;
  return {
    issuer: e.SINETTI_EIDENT_ISSUER ?? `http://127.0.0.1:${identity.oidc.embeddedPort}`,
    clientId: e.SINETTI_EIDENT_CLIENT_ID ?? ENCRYPTING_SIGNER_CLIENT.clientId,
    clientSecret: e.SINETTI_EIDENT_CLIENT_SECRET ?? ENCRYPTING_SIGNER_CLIENT.clientSecret,
    acrValues: e.SINETTI_EIDENT_ACR_VALUES.split(/\s+/).filter(Boolean),
    identityCodeClaim: e.SINETTI_EIDENT_IDENTITY_CODE_CLAIM,
    scope: e.SINETTI_EIDENT_SCOPE,
    hashKey,
    providerName: embedded ? 'Suomi.fi e-Identification (development simulation)' : 'Suomi.fi e-Identification',
    ...(encryption ? { idTokenEncryption: encryption } : {}),
  };
}
