import { type AuditEvent, type AuditLog } from '../audit/auditLog';
import { type SigningCredentials } from '../signing/credentials';
import { prepareSignatureFields } from '../signing/prepareSignatureFields';
import type { SignatureStamp } from '../signing/signField';
import { signFieldForTheLongTerm, type LongTermValidityServices } from '../signing/longTermValidity';
import { type DocumentStore } from '../store/documentStore';
import { type SignaturePlans } from '../store/signaturePlans';
import { failFastOnBadInput, idempotencyKey } from './activityContext';

/** Thin wrappers over the store, sealing and the audit log. They take and return ids. */

export interface DocumentActivityDeps {
  store: DocumentStore;
  plans: SignaturePlans;
  audit: AuditLog;
  credentials: SigningCredentials;
  longTermValidity: LongTermValidityServices;
  organization: string;
}

export interface VersionRef {
  versionId: string;
  documentId: string;
  sha256: string;
}

/** What a workflow keeps of a stored version: its ids and hash, never its bytes. */
export function versionRef(version: VersionRef): VersionRef {
  return { versionId: version.versionId, documentId: version.documentId, sha256: version.sha256 };
}

export function createDocumentActivities(deps: DocumentActivityDeps) {
  return {
    /** Creates every signature field the process will need, before anyone signs. */
    async prepareSignatureFields(input: {
      versionId: string;
      fields: { name: string; label: string }[];
      pageTitle?: string;
    }): Promise<VersionRef> {
      return failFastOnBadInput(async () => {
        const source = await deps.store.getVersion(input.versionId);
        const { pdf, plan } = await prepareSignatureFields(await deps.store.readVersion(input.versionId), input.fields, {
          pageTitle: input.pageTitle,
        });
        const saved = await deps.store.saveVersion({
          key: idempotencyKey(),
          documentId: source.documentId,
          bytes: pdf,
          fileName: source.fileName,
          kind: 'prepared',
        });
        await deps.plans.save(source.documentId, plan);
        return versionRef(saved);
      });
    },

    /** Fills one planned field with a PDF signature in an incremental update. */
    async signDocumentField(input: {
      versionId: string;
      fieldName: string;
      stamp: Omit<SignatureStamp, 'signedAt'> & { signedAt: string };
    }): Promise<VersionRef> {
      return failFastOnBadInput(async () => {
        const source = await deps.store.getVersion(input.versionId);
        const plan = await deps.plans.get(source.documentId);
        const signed = await signFieldForTheLongTerm(
          await deps.store.readVersion(input.versionId),
          plan,
          input.fieldName,
          { ...input.stamp, signedAt: new Date(input.stamp.signedAt) },
          deps.credentials,
          deps.longTermValidity,
        );
        const saved = await deps.store.saveVersion({
          key: idempotencyKey(),
          documentId: source.documentId,
          bytes: signed,
          fileName: source.fileName,
          kind: input.fieldName === 'organisation-seal' ? 'sealed' : 'signed',
        });
        return versionRef(saved);
      });
    },

    async recordAuditEvent(event: Omit<AuditEvent, 'eventId' | 'at'> & { at: string }): Promise<void> {
      await deps.audit.append({ ...event, at: new Date(event.at), eventId: idempotencyKey() });
    },
  };
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
