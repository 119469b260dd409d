import { METADATA_ENCODING_KEY } from '@temporalio/common';
import type { AesGcmPayloadCodec } from '../common/payloadCodec';

/**
 * A secret Sinetti must use again in plain text (a webhook signing secret,
 * a service password) kept encrypted with the payload keys: the codec's
 * AES-256-GCM, its key ids and so its key rotation. What is stored is the
 * key id and the ciphertext; the plain text exists only in memory.
 */
export interface SealedSecret {
  keyId: string;
  data: string;
}

const KEY_ID = 'encryption-key-id';

export async function sealSecret(codec: AesGcmPayloadCodec, secret: string): Promise<SealedSecret> {
  const [sealed] = await codec.encode([{ metadata: { [METADATA_ENCODING_KEY]: Buffer.from('binary/plain') }, data: Buffer.from(secret) }]);
  return { keyId: Buffer.from(sealed.metadata![KEY_ID]).toString(), data: Buffer.from(sealed.data!).toString('base64') };
}

export async function openSecret(codec: AesGcmPayloadCodec, sealed: SealedSecret): Promise<string> {
  const [plain] = await codec.decode([
    {
      metadata: { [METADATA_ENCODING_KEY]: Buffer.from('binary/encrypted'), [KEY_ID]: Buffer.from(sealed.keyId) },
      data: Buffer.from(sealed.data, 'base64'),
    },
  ]);
  return Buffer.from(plain.data!).toString();
}
