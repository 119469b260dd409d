import path from 'node:path';
import { z } from 'zod';
import { type HttpProtectionConfig, loadHttpProtectionConfig } from './httpProtection';
import { type IdentityConfig, loadIdentityConfig } from './identity';
import { loadStrongIdentificationConfig, type StrongIdentificationConfig } from './strongIdentification';
import { loadOfficialMailConfig, type OfficialMailConfig } from './officialMail';
import { loadWebhookConfig, type WebhookConfig } from './webhooks';
import { loadMessagesPasswordRotationConfig, type MessagesPasswordRotationConfig } from './messagesPasswordRotation';
import { loadRetimestampingConfig, type RetimestampingConfig } from './retimestamping';
import { type ArchiveTransferConfig, loadArchiveTransferConfig } from './archiveTransfer';

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
  /** mTLS to the Temporal frontend: PEM files of this client's certificate and key, and of the CA that signed the server's. */
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  /** The name in the server's certificate, when it is not the host in TEMPORAL_ADDRESS. */
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  MONGODB_URI: z.string().optional(),
  FERRETDB_PORT: z.coerce.number().int().default(27017),
  SMTP_URL: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().default(1025),
  MAIL_WEB_PORT: z.coerce.number().int().default(1080),
  MAIL_FROM: z.string().default('Sinetti <sinetti@localhost>'),
  /** Larger finished documents are mailed as a download link instead of an attachment. */
  MAIL_ATTACHMENT_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  API_PORT: z.coerce.number().int().default(3000),
  API_HOST: z.string().default('127.0.0.1'),
  /** role:token pairs, comma separated, e.g. "hr:abc,admin:def". */
  SINETTI_STAFF_TOKENS: z.string().optional(),
  MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /** Uploaded PDFs are inspected in a worker thread within these limits (inspection/pdfInspection.ts). */
  SINETTI_PDF_MAX_PAGES: z.coerce.number().int().positive().default(500),
  SINETTI_PDF_MAX_OBJECTS: z.coerce.number().int().positive().default(200_000),
  SINETTI_PDF_MAX_INFLATED_MB: z.coerce.number().int().positive().default(256),
  SINETTI_PDF_MAX_OBJECT_STREAM_MB: z.coerce.number().int().positive().default(32),
  SINETTI_PDF_INSPECTION_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  SINETTI_PDF_INSPECTION_MEMORY_MB: z.coerce.number().int().positive().default(256),
  /** Page images for people's pages (inspection/pageImages.ts). */
  SINETTI_PAGE_RENDER_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  SINETTI_PAGE_RENDER_CONCURRENCY: z.coerce.number().int().positive().default(2),
  SIGNING_P12_PATH: z.string().optional(),
  SIGNING_P12_PASSWORD: z.string().optional(),
  /** RFC 3161 TSAs, comma separated, tried in order; unset = the embedded development TSA. */
  SINETTI_TSA_URLS: z.string().optional(),
  /** PEM files of the CAs a TSA's certificate must chain to, comma separated; unset = the development CA. */
  SINETTI_TSA_TRUST_ANCHORS: z.string().optional(),
  SINETTI_TSA_PORT: z.coerce.number().int().default(8318),
  SINETTI_OCSP_PORT: z.coerce.number().int().default(8319),
  SINETTI_CRL_PORT: z.coerce.number().int().default(8320),
  /** Where the development CA, seal and TSA certificates live; default <data dir>/signing. */
  SINETTI_DEVELOPMENT_PKI_DIR: z.string().optional(),
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
  temporal: { address: string; embedded: boolean; namespace: string; taskQueue: string; uiPort: number; tls?: TemporalTlsFiles };
  mongodb: { uri: string; embedded: boolean; port: number };
  smtp: { url: string; embedded: boolean; port: number; webPort: number; from: string };
  api: { port: number; host: string };
  staffTokens: StaffToken[];
  maxDocumentBytes: number;
  pdfLimits: PdfLimits;
  pageRendering: { timeoutMs: number; concurrency: number };
  mailAttachmentLimitBytes: number;
  signing: { p12Path?: string; p12Password?: string; developmentPkiDir: string };
  longTermValidity: LongTermValidityConfig;
  payloadKeys?: string;
  temporalUiOrigins: string[];
  officialMail: OfficialMailConfig;
  http: HttpProtectionConfig;
  identity: IdentityConfig;
  strongIdentification: StrongIdentificationConfig;
  webhooks: WebhookConfig;
  messagesPasswordRotation: MessagesPasswordRotationConfig;
  retimestamping: RetimestampingConfig;
  archiveTransfer: ArchiveTransferConfig;
  logLevel: string;
}

/** Paths, read when connecting (common/temporalClient.ts), so a renewed certificate is picked up on restart. */
export interface TemporalTlsFiles {
  certPath?: string;
  keyPath?: string;
  caPath?: string;
  serverName?: string;
}

export interface PdfLimits {
  maxPages: number;
  maxObjects: number;
  maxInflatedBytes: number;
  maxObjectStreamBytes: number;
  timeoutMs: number;
  memoryMb: number;
}

export const STAFF_ROLES = ['hr', 'secretary', 'handler', 'registry', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export interface StaffToken {
  role: StaffRole;
  token: string;
  /** The account's name in the audit trail: the one configured, else made up (dev-hr, hr-1). */
  name: string;
  /** The person's name as configured (role:token:name), for greeting them; absent for a made-up account name. */
  personName?: string;
}

/** The name to greet a staff member by: only a name configured for them, never a made-up account name. */
export function staffPersonName(tokens: StaffToken[], accountName: string | undefined): string | undefined {
  return accountName ? tokens.find((t) => t.name === accountName)?.personName : undefined;
}

/** Development tokens: printed by `npm start`, never used when SINETTI_STAFF_TOKENS is set, refused in production. */
const DEVELOPMENT_TOKENS: StaffToken[] = STAFF_ROLES.map((role) => ({ role, token: `dev-${role}-token`, name: `dev-${role}` }));

export function parseStaffTokens(spec: string | undefined, production = false): StaffToken[] {
  if (!spec) return production ? [] : DEVELOPMENT_TOKENS;
  return spec.split(',').map((pair, index) => {
    const [role, token, name] = pair.trim().split(':');
    if (!STAFF_ROLES.includes(role as StaffRole) || !token || token.length < 16) {
      throw new Error(
        `SINETTI_STAFF_TOKENS entry ${index + 1}: expected role:token[:name] with a role of ${STAFF_ROLES.join('|')} and a token of at least 16 characters`,
      );
    }
    return name
      ? { role: role as StaffRole, token, name, personName: name }
      : { role: role as StaffRole, token, name: `${role}-${index + 1}` };
  });
}

function temporalTls(e: Environment): TemporalTlsFiles | undefined {
  if (!e.TEMPORAL_TLS_CERT && !e.TEMPORAL_TLS_KEY && !e.TEMPORAL_TLS_CA && !e.TEMPORAL_TLS_SERVER_NAME) return undefined;
  if (!e.TEMPORAL_TLS_CERT !== !e.TEMPORAL_TLS_KEY)
    throw new Error('Invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (the client certificate and its key)');
  return { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY, caPath: e.TEMPORAL_TLS_CA, serverName: e.TEMPORAL_TLS_SERVER_NAME };
}

/**
 * Without staff tokens the public development tokens (dev-admin-token …) let
 * anyone in, and without a PKCS#12 a self-made development seal signs: fine on
 * a laptop, never in production, so production mode refuses to start.
 */
function refuseDevelopmentDefaultsInProduction(env: NodeJS.ProcessEnv, e: Environment): void {
  if (env.NODE_ENV !== 'production') return;
  const missing: string[] = [];
  if (!env.SINETTI_OIDC_ISSUER)
    missing.push(
      'SINETTI_OIDC_ISSUER with its client id and secret (without them staff would sign in at the development identity provider)',
    );
  if (!e.SIGNING_P12_PATH) missing.push('SIGNING_P12_PATH and SIGNING_P12_PASSWORD (without them a self-made development seal would sign)');
  if (!env.SINETTI_EIDENT_ISSUER || !env.SINETTI_IDENTITY_CODE_HASH_KEY)
    missing.push(
      'SINETTI_EIDENT_ISSUER with its client id and secret, and SINETTI_IDENTITY_CODE_HASH_KEY (without them signers would identify at the development provider)',
    );
  if (missing.length)
    throw new Error(`Production mode (NODE_ENV=production) needs ${missing.join(' and ')}. Set them, or unset NODE_ENV for development.`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): SinettiConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  refuseDevelopmentDefaultsInProduction(env, e);
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
      tls: temporalTls(e),
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
    pdfLimits: {
      maxPages: e.SINETTI_PDF_MAX_PAGES,
      maxObjects: e.SINETTI_PDF_MAX_OBJECTS,
      maxInflatedBytes: e.SINETTI_PDF_MAX_INFLATED_MB * 1024 * 1024,
      maxObjectStreamBytes: e.SINETTI_PDF_MAX_OBJECT_STREAM_MB * 1024 * 1024,
      timeoutMs: e.SINETTI_PDF_INSPECTION_TIMEOUT_MS,
      memoryMb: e.SINETTI_PDF_INSPECTION_MEMORY_MB,
    },
    pageRendering: { timeoutMs: e.SINETTI_PAGE_RENDER_TIMEOUT_MS, concurrency: e.SINETTI_PAGE_RENDER_CONCURRENCY },
    mailAttachmentLimitBytes: e.MAIL_ATTACHMENT_LIMIT_BYTES,
    signing: {
      p12Path: e.SIGNING_P12_PATH,
      p12Password: e.SIGNING_P12_PASSWORD,
      developmentPkiDir: path.resolve(e.SINETTI_DEVELOPMENT_PKI_DIR ?? path.join(e.SINETTI_DATA_DIR, 'signing')),
    },
    longTermValidity: longTermValidityConfig(e),
    payloadKeys: e.SINETTI_PAYLOAD_KEYS,
    temporalUiOrigins: (e.TEMPORAL_UI_ORIGINS ?? `http://127.0.0.1:${e.TEMPORAL_UI_PORT},http://localhost:${e.TEMPORAL_UI_PORT}`)
      .split(',')
      .map((o) => o.trim()),
    officialMail: loadOfficialMailConfig(env),
    http: loadHttpProtectionConfig(env),
    identity,
    strongIdentification: loadStrongIdentificationConfig(env, identity),
    webhooks: loadWebhookConfig(env),
    messagesPasswordRotation: loadMessagesPasswordRotationConfig(env),
    retimestamping: loadRetimestampingConfig(env),
    archiveTransfer: loadArchiveTransferConfig(env, path.resolve(e.SINETTI_DATA_DIR)),
    logLevel: e.LOG_LEVEL,
  };
}

/** Timestamping and revocation: the configured TSAs, or the embedded development TSA, OCSP responder and CRL. */
export interface LongTermValidityConfig {
  tsaUrls: string[];
  tsaTrustAnchorFiles: string[];
  embedded: { tsaPort: number; ocspPort: number; crlPort: number } | undefined;
}

function longTermValidityConfig(e: Environment): LongTermValidityConfig {
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const embedded = e.SINETTI_TSA_URLS
    ? undefined
    : { tsaPort: e.SINETTI_TSA_PORT, ocspPort: e.SINETTI_OCSP_PORT, crlPort: e.SINETTI_CRL_PORT };
  return {
    tsaUrls: embedded ? [`http://127.0.0.1:${embedded.tsaPort}/`] : list(e.SINETTI_TSA_URLS),
    tsaTrustAnchorFiles: list(e.SINETTI_TSA_TRUST_ANCHORS),
    embedded,
  };
}
