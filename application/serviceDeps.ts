import type { Client } from '@temporalio/client';
import type { AuditLog } from '../audit/auditLog';
import type { SinettiConfig } from '../config/config';
import type { SmsSender } from '../integrations/sms/smsSender';
import type { MailSender } from '../mail/mailer';
import type { DocumentStore } from '../store/documentStore';
import type { StaffScope } from '../rules/processVisibility';

/** What every application service is built from; the API's dependencies in production and in tests alike. */
export interface ServiceDeps {
  config: SinettiConfig;
  store: DocumentStore;
  audit: AuditLog;
  temporal: Client;
  mail: MailSender;
  /** Text messages for one-time codes; the simulator when not given. */
  sms?: SmsSender;
}

/** Who asked, as the audit trail records it. */
export interface Requester {
  /** "staff:hr:<name>", "applicant" or "participant:<id>". */
  actor: string;
  staffName?: string;
  /** A staff member's roles and units: what they may read (rules/processVisibility.ts). */
  scope?: StaffScope;
  ip?: string;
  userAgent?: string;
}
