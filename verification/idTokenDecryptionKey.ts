import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';

/**
 * The key the identity provider encrypts signers' ID tokens to (JWE): the Finnish Trust Network and Suomi.fi
 * e-Identification deliver the ID token encrypted to a public key the relying party registers. Sinetti reads the
 * private key from a file, PEM (PKCS#8 or PKCS#1) or a JWK, gives it to openid-client to decrypt with, and publishes
 * its public half at /.well-known/jwks.json for the provider.
 */
export interface IdTokenEncryption {
  /** The JWE key management algorithm the provider uses, e.g. RSA-OAEP-256 or ECDH-ES. */
  alg: string;
  /** The content encryption, e.g. A256GCM. */
  enc: string;
  /** The private key as a JWK with its kid, use and alg: what openid-client decrypts with. */
  privateJwk: JsonWebKey;
  /** Its public half, as the provider is given it. */
  publicJwk: JsonWebKey;
}

const PUBLIC_MEMBERS: Record<string, string[]> = { RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'], OKP: ['kty', 'crv', 'x'] };

/** The key in a file (SINETTI_EIDENT_DECRYPTION_KEY), refused at start with a message that names the file. */
export function loadIdTokenEncryption(keyPath: string, alg: string, enc: string): IdTokenEncryption {
  let text: string;
  try {
    text = fs.readFileSync(keyPath, 'utf8');
  } catch (error) {
    throw new Error(`SINETTI_EIDENT_DECRYPTION_KEY (${keyPath}) cannot be read: ${(error as Error).message}`, { cause: error });
  }
  return idTokenEncryption(text, alg, enc, `SINETTI_EIDENT_DECRYPTION_KEY (${keyPath})`);
}

export function idTokenEncryption(keyText: string, alg: string, enc: string, source: string): IdTokenEncryption {
  let key: KeyObject;
  try {
    const text = keyText.trim();
    key = text.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' })
      : createPrivateKey({ key: text, format: 'pem' });
  } catch (error) {
    throw new Error(`${source} is not a private key, PEM or JWK: ${(error as Error).message}`, { cause: error });
  }
  const exported = key.export({ format: 'jwk' });
  const members = PUBLIC_MEMBERS[exported.kty ?? ''];
  if (!members) throw new Error(`${source} must be an RSA or EC key, not ${exported.kty}.`);
  if (exported.kty === 'RSA' && !alg.startsWith('RSA'))
    throw new Error(`SINETTI_EIDENT_ID_TOKEN_ENCRYPTION_ALG ${alg} does not fit an RSA key; use RSA-OAEP-256 (or RSA-OAEP).`);
  if (exported.kty !== 'RSA' && !alg.startsWith('ECDH'))
    throw new Error(`SINETTI_EIDENT_ID_TOKEN_ENCRYPTION_ALG ${alg} does not fit an EC key; use ECDH-ES (or ECDH-ES+A256KW).`);
  const publicKey = createPublicKey(key).export({ format: 'jwk' });
  // The key's id: its public part's SHA-256, so the same key always has the same id and a new one a new id.
  const kid = createHash('sha256')
    .update(JSON.stringify(members.map((member) => publicKey[member as keyof JsonWebKey])))
    .digest('base64url')
    .slice(0, 22);
  const marks = { kid, use: 'enc', alg };
  const publicJwk: JsonWebKey = { ...Object.fromEntries(members.map((m) => [m, publicKey[m as keyof JsonWebKey]])), ...marks };
  return { alg, enc, privateJwk: { ...exported, ...marks }, publicJwk };
}
