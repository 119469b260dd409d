import { Client } from '@temporalio/client';
import { AuditLog } from '../audit/auditLog';
import { SinettiConfig } from '../config/config';
import { MailSender } from '../mail/mailer';
import { DocumentStore } from '../store/documentStore';

/** What the API's routes are given; the real services in production and in tests alike. */
export interface ApiDeps {
  config: SinettiConfig;
  store: DocumentStore;
  audit: AuditLog;
  temporal: Client;
  mail: MailSender;
}
