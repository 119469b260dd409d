import path from 'node:path';
import { z } from 'zod';
import { IdentityConfig, loadIdentityConfig } from './identity';
import { loadOfficialMailConfig, OfficialMailConfig } from './officialMail';

/**
 * Everything Sinetti reads from the environment, in one place. Unset
 * TEMPORAL_ADDRESS / MONGODB_URI / SMTP_URL mean "use the embedded stack".
 */
const environment = z.object({
  SINETTI_DATA_DIR: z.string().default(path.resolve(__dirname, '..', 'data')),
  SINETTI_ORGANIZATION: z.string().default('Esimerkkilän kunta'),
  SINETTI_PUBLIC_URL: z.string().url().optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('sinetti'),
  TEMPORAL_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  MONGODB_URI: z.string().optional(),
  FERRETDB_PORT: z.coerce.number().int().default(27017),
  SMTP_URL: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().default(1025),
  MAIL_WEB_PORT: z.coerce.number().int().default(1080),
  MAIL_FROM: z.string().default('Sinetti <sinetti@localhost>'),
  /** Larger finished documents are mailed as a download link instead of an attachment. */
  MAIL_ATTACHMENT_LIMIT_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  API_PORT: z.coerce.number().int().default(3000),
  API_HOST: z.string().default('127.0.0.1'),
  /** role:token pairs, comma separated, e.g. "hr:abc,admin:def". */
  SINETTI_STAFF_TOKENS: z.string().optional(),
  MAX_DOCUMENT_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  SIGNING_P12_PATH: z.string().optional(),
  SIGNING_P12_PASSWORD: z.string().optional(),
  /** Payload encryption keys, `id:base64` comma separated, newest first. */
  SINETTI_PAYLOAD_KEYS: z.string().optional(),
  /** Origins of the Temporal Web UI allowed to call the codec endpoint, comma separated. */
  TEMPORAL_UI_ORIGINS: z.string().optional(),
  LOG_LEVEL: z.string().default('info'),
});

export type Environment = z.infer<typeof environment>;

export interface SinettiConfig {
  dataDir: string;
  organization: string;
  publicUrl: string;
  temporal: { address: string; embedded: boolean; namespace: string; taskQueue: string; uiPort: number };
  mongodb: { uri: string; embedded: boolean; port: number };
  smtp: { url: string; embedded: boolean; port: number; webPort: number; from: string };
  api: { port: number; host: string };
  staffTokens: StaffToken[];
  maxDocumentBytes: number;
  mailAttachmentLimitBytes: number;
  signing: { p12Path?: string; p12Password?: string };
  payloadKeys?: string;
  temporalUiOrigins: string[];
  officialMail: OfficialMailConfig;
  identity: IdentityConfig;
  logLevel: string;
}

export const STAFF_ROLES = ['hr', 'secretary', 'handler', 'registry', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export interface StaffToken { role: StaffRole; token: string; name: string }

/** Development tokens: printed by `npm start`, never used when SINETTI_STAFF_TOKENS is set, refused in production. */
const DEVELOPMENT_TOKENS: StaffToken[] = STAFF_ROLES.map((role) => ({ role, token: `dev-${role}-token`, name: `dev-${role}` }));

export function parseStaffTokens(spec: string | undefined, production = false): StaffToken[] {
  if (!spec) return production ? [] : DEVELOPMENT_TOKENS;
  return spec.split(',').map((pair, index) => {
    const [role, token, name] = pair.trim().split(':');
    if (!STAFF_ROLES.includes(role as StaffRole) || !token || token.length < 16) {
      throw new Error(`SINETTI_STAFF_TOKENS entry ${index + 1}: expected role:token[:name] with a role of ${STAFF_ROLES.join('|')} and a token of at least 16 characters`);
    }
    return { role: role as StaffRole, token, name: name ?? `${role}-${index + 1}` };
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): SinettiConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const identity = loadIdentityConfig(env);
  return {
    dataDir: path.resolve(e.SINETTI_DATA_DIR),
    organization: e.SINETTI_ORGANIZATION,
    publicUrl: e.SINETTI_PUBLIC_URL ?? `http://${e.API_HOST}:${e.API_PORT}`,
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT}`,
      embedded: !e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiPort: e.TEMPORAL_UI_PORT,
    },
    mongodb: {
      uri: e.MONGODB_URI ?? `mongodb://127.0.0.1:${e.FERRETDB_PORT}/sinetti`,
      embedded: !e.MONGODB_URI,
      port: e.FERRETDB_PORT,
    },
    smtp: {
      url: e.SMTP_URL ?? `smtp://127.0.0.1:${e.SMTP_PORT}`,
      embedded: !e.SMTP_URL,
      port: e.SMTP_PORT,
      webPort: e.MAIL_WEB_PORT,
      from: e.MAIL_FROM,
    },
    api: { port: e.API_PORT, host: e.API_HOST },
    staffTokens: parseStaffTokens(e.SINETTI_STAFF_TOKENS, identity.production),
    maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
    mailAttachmentLimitBytes: e.MAIL_ATTACHMENT_LIMIT_BYTES,
    signing: { p12Path: e.SIGNING_P12_PATH, p12Password: e.SIGNING_P12_PASSWORD },
    payloadKeys: e.SINETTI_PAYLOAD_KEYS,
    temporalUiOrigins: (e.TEMPORAL_UI_ORIGINS ?? `http://127.0.0.1:${e.TEMPORAL_UI_PORT},http://localhost:${e.TEMPORAL_UI_PORT}`).split(',').map((o) => o.trim()),
    officialMail: loadOfficialMailConfig(env),
    identity,
    logLevel: e.LOG_LEVEL,
  };
}
