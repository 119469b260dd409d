import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type DataConverter } from '@temporalio/common';
import { type SinettiConfig } from '../config/config';
import { FAILURE_CONVERTER_PATH } from './failureConverter';
import { AesGcmPayloadCodec, type PayloadKey, parsePayloadKeys } from './payloadCodec';

/**
 * Production names its keys in SINETTI_PAYLOAD_KEYS. The embedded stack makes
 * one on first start and keeps it in the data directory, next to the
 * Temporal database it protects.
 */
export function loadPayloadKeys(config: SinettiConfig): PayloadKey[] {
  if (config.payloadKeys) return parsePayloadKeys(config.payloadKeys);
  const file = path.join(config.dataDir, 'payload-keys');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, `dev-${Date.now().toString(36)}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parsePayloadKeys(fs.readFileSync(file, 'utf8').trim());
}

export function loadPayloadCodec(config: SinettiConfig): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(loadPayloadKeys(config));
}

/** Every payload, failure messages included (see common/failureConverter.ts), goes through the codec. */
export function sinettiDataConverter(config: SinettiConfig): DataConverter {
  return { payloadCodecs: [loadPayloadCodec(config)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
