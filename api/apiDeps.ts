import { type Client } from '@temporalio/client';
import { AuditLog } from '../audit/auditLog';
import { type SinettiConfig } from '../config/config';
import { Mailer } from '../mail/mailer';
import { ChunkedDocumentStore } from '../store/documentStore';
import type { ServiceDeps } from '../application/serviceDeps';
import type { Services } from '../application/services';
import type { StaffAccess } from './staffAccess';

/** What the API is built from: the real services in production and in tests alike. */
export type ApiDeps = ServiceDeps;

/** What a process's router is given: the application services and the configuration, nothing to reach around them. */
export interface RouterContext {
  services: Services;
  config: SinettiConfig;
  /** Staff sessions, sign-in and API keys. */
  access: StaffAccess;
}

/** The API's real dependencies for a configuration; close() releases the SMTP pool. */
export function createApiDeps(config: SinettiConfig, temporal: Client): ApiDeps & { close(): void } {
  const mail = new Mailer(config.smtp.url, config.smtp.from);
  return {
    config,
    store: new ChunkedDocumentStore(config.maxDocumentBytes),
    audit: new AuditLog(),
    temporal,
    mail,
    close: () => mail.close(),
  };
}
