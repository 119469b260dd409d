import { storeModel } from './storeModel';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Schema } from 'mongoose';
import { type StaffRole } from '../config/config';
import { unitLimits, type UnitLimits } from '../config/identity';
import { NotFoundError } from '../common/errors';

/**
 * API keys for machine clients (a case-management system, scripts). A key
 * is `snk_<id>_<secret>`: the id is the record's _id (an _id lookup, pushed
 * down by FerretDB), the secret is kept only as its SHA-256 — enough for
 * 256 random bits — so the key is shown once, at creation, and never again.
 * A key may be limited to organisation units: it then sees and acts on the
 * processes of those units only, exactly as staff who hold its roles there.
 */
export interface ApiKeyRecord {
  _id: string;
  name: string;
  roles: StaffRole[];
  /** The units the key acts for; absent or empty, every unit (as staff who hold the roles everywhere). */
  units?: string[];
  secretHash: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
  revokedBy?: string;
}

export type ApiKeySummary = Omit<ApiKeyRecord, 'secretHash'>;

const apiKeySchema = new Schema<ApiKeyRecord>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    roles: { type: [String], required: true },
    units: { type: [String], default: undefined },
    secretHash: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    lastUsedAt: Date,
    revokedAt: Date,
    revokedBy: String,
  },
  { versionKey: false, collection: 'api_keys' },
);

const ApiKeyModel = storeModel<ApiKeyRecord>('ApiKey', apiKeySchema);

const KEY_PATTERN = /^snk_([A-Za-z0-9-]{16})_([A-Za-z0-9_-]{43})$/;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function summary({ secretHash: _secret, ...rest }: ApiKeyRecord): ApiKeySummary {
  return rest;
}

export class ApiKeys {
  /** Creates a key; the returned `key` is the only time its secret exists outside the client. */
  async create(
    input: { name: string; roles: StaffRole[]; units?: string[]; expiresAt: Date; createdBy: string },
    now = new Date(),
  ): Promise<{ key: string; apiKey: ApiKeySummary }> {
    const id = randomBytes(12).toString('base64url').replace(/_/g, '-');
    const secret = randomBytes(32).toString('base64url');
    const { units, ...rest } = input;
    const record: ApiKeyRecord = { _id: id, ...rest, ...(units?.length ? { units } : {}), secretHash: hashSecret(secret), createdAt: now };
    await ApiKeyModel.create(record);
    return { key: `snk_${id}_${secret}`, apiKey: summary(record) };
  }

  /** The key's record when it is well-formed, known, unrevoked and unexpired; its last use is recorded. */
  async authenticate(presented: string, now = new Date()): Promise<ApiKeySummary | undefined> {
    const match = KEY_PATTERN.exec(presented);
    if (!match) return undefined;
    const record = await ApiKeyModel.findById(match[1]).lean();
    if (!record || record.revokedAt || record.expiresAt <= now) return undefined;
    const expected = Buffer.from(record.secretHash, 'hex');
    if (!timingSafeEqual(expected, Buffer.from(hashSecret(match[2]), 'hex'))) return undefined;
    await ApiKeyModel.updateOne({ _id: record._id }, { $set: { lastUsedAt: now } });
    return summary({ ...record, lastUsedAt: now });
  }

  async list(): Promise<ApiKeySummary[]> {
    const records = await ApiKeyModel.find().sort({ createdAt: -1 }).limit(500).lean();
    return records.map(summary);
  }

  async revoke(id: string, revokedBy: string, now = new Date()): Promise<ApiKeySummary> {
    const record = await ApiKeyModel.findById(id).lean();
    if (!record) throw new NotFoundError(`API key ${id}`);
    if (!record.revokedAt) await ApiKeyModel.updateOne({ _id: id }, { $set: { revokedAt: now, revokedBy } });
    return summary({ ...record, revokedAt: record.revokedAt ?? now, revokedBy: record.revokedBy ?? revokedBy });
  }
}

/** A key's roles held in its units, as the who-sees-what rules read a person's (rules/processVisibility.ts). */
export function unitLimitsOfKey(key: Pick<ApiKeySummary, 'roles' | 'units'>): UnitLimits {
  const units = key.units ?? [];
  return unitLimits(key.roles.flatMap((role) => (units.length ? units.map((unit) => ({ role, unit })) : [{ role }])));
}
