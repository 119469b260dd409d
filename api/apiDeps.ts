import { Client } from '@temporalio/client';
import { AuditLog } from '../audit/auditLog';
import { SinettiConfig } from '../config/config';
import type { SmsSender } from '../integrations/sms/smsSender';
import { Mailer, MailSender } from '../mail/mailer';
import { DocumentStore, ChunkedDocumentStore } from '../store/documentStore';

/** What the API's routes are given; the real services in production and in tests alike. */
export interface ApiDeps {
  config: SinettiConfig;
  store: DocumentStore;
  audit: AuditLog;
  temporal: Client;
  mail: MailSender;
  /** Text messages for one-time codes; the simulator when not given. */
  sms?: SmsSender;
}

/** The API's real dependencies for a configuration; close() releases the SMTP pool. */
export function createApiDeps(config: SinettiConfig, temporal: Client): ApiDeps & { close(): void } {
  const mail = new Mailer(config.smtp.url, config.smtp.from);
  return { config, store: new ChunkedDocumentStore(config.maxDocumentBytes), audit: new AuditLog(), temporal, mail, close: () => mail.close() };
}
