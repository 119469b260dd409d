import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * Every payload Sinetti hands to Temporal (workflow inputs, results,
 * signals, updates, queries) is encrypted with AES-256-GCM before it leaves
 * the process, so names, e-mails and identity codes never sit in plain text
 * in Temporal's database. The one place that knows the keys: the client,
 * the workers, the tests and the codec endpoint all use this class.
 *
 * Keys carry ids. New payloads use the first (newest) key; old payloads still
 * decode as long as their key is listed, which is how keys are rotated.
 *
 * Decoding refuses what is not encrypted. AES-GCM's tag then vouches for
 * every payload's origin as well as hiding it: whoever reaches Temporal's
 * port without a key cannot start, signal or update anything with a
 * plaintext payload of their own (an Update moving a deadline, say, under a
 * forged actor).
 */

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Plaintext encodings Temporal itself needs to get through decode. None:
 * everything the SDK decodes comes from a Sinetti process (and is encrypted)
 * or from an operator's tool with no payloads (cancel, terminate, stack trace
 * queries). What Temporal writes in plain text never reaches a codec:
 * search attributes go through their own converter, and the patch and
 * local-activity markers' bookkeeping is read by the SDK's core only.
 * An encoding added here must say why Temporal needs it and why it cannot
 * carry anything a person could forge.
 */
const PLAINTEXT_TEMPORAL_NEEDS: ReadonlySet<string> = new Set();

/**
 * What a refused payload decodes to: a payload no converter reads. Refusing by
 * substitution rather than by throwing matters for Updates: Temporal's
 * workflow runtime rejects an Update whose input cannot be converted before
 * accepting it, so nothing reaches history and the workflow carries on,
 * whereas an error thrown by the codec fails the whole workflow task.
 */
export const REFUSED_PLAINTEXT_ENCODING = 'binary/refused-not-encrypted-with-a-sinetti-key';

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export class UnknownPayloadKeyError extends ValueError {
  constructor(keyId: string) {
    super(
      `A payload is encrypted with key "${keyId}", which this process does not have. Add that key to SINETTI_PAYLOAD_KEYS (keep old keys listed after rotating).`,
    );
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: PayloadKey[]) {
    if (keys.length === 0) throw new Error('At least one payload encryption key is needed');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`Payload key "${id}" must be 32 bytes (AES-256), not ${key.length}`);
    }
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0];
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCODING), [KEY_ID]: Buffer.from(id) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString();
      if (encoding !== ENCODING) {
        if (PLAINTEXT_TEMPORAL_NEEDS.has(encoding)) return payload;
        return { metadata: { [METADATA_ENCODING_KEY]: Buffer.from(REFUSED_PLAINTEXT_ENCODING) }, data: new Uint8Array() };
      }
      const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString();
      const key = this.byId.get(keyId);
      if (!key) throw new UnknownPayloadKeyError(keyId);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** Parses `id:base64key,id2:base64key2` (newest first). */
export function parsePayloadKeys(spec: string): PayloadKey[] {
  return spec.split(',').map((entry, index) => {
    const [id, material] = entry.trim().split(':');
    const key = Buffer.from(material ?? '', 'base64');
    if (!id || key.length !== 32) throw new Error(`SINETTI_PAYLOAD_KEYS entry ${index + 1}: expected id:<32 bytes in base64>`);
    return { id, key };
  });
}
