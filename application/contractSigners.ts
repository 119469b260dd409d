import { randomUUID } from 'node:crypto';
import { ParticipantLinks, type ResolvedLink } from '../links/signerLinks';
import type { Language } from '../mail/templates';
import { SimulatedSmsSender } from '../integrations/sms/smsSender';
import { SinettiError } from '../common/errors';
import { inspectPdf } from '../signing/errors';
import type { DocumentStore } from '../store/documentStore';
import { type ContractSigner, type EmploymentContractRecord, EmploymentContracts } from '../store/employmentContracts';
import { contractStateQuery, type EmploymentContractState } from '../workflows/employmentContract';
import { type DecisionReceipt, decideUpdate, REJECTIONS, type RejectionType, type RoundSnapshot } from '../workflows/signingRound';
import {
  type Completion,
  type SignerVerifier,
  type VerificationEvidence,
  verifierFor,
  type VerificationSubject,
} from '../verification/signerVerification';
import { type IdentificationOutcome, type IdentityMatching, strongIdentificationFor } from '../verification/identityMatch';
import type { IdentificationResult, StrongIdentification } from '../verification/strongIdentification';
import { queryProcess, SIGNING_REJECTION_STATUS, updateProcess } from './processHandles';
import { type Requester, type ServiceDeps } from './serviceDeps';

/**
 * A signer's side of an employment contract, behind their personal link.
 * The token is resolved here and only the participant id goes on to the
 * process; what the signer did (typed name, consent, IP, browser) is stored
 * as evidence first and the process is given its id.
 */

export interface SignerLink {
  link: ResolvedLink;
  record: EmploymentContractRecord;
  signer: ContractSigner;
}

export class ContractSignerService {
  private readonly contracts = new EmploymentContracts();
  private readonly links = new ParticipantLinks();
  private readonly sms;
  readonly strong: StrongIdentification;
  private readonly matching: IdentityMatching;

  constructor(private readonly deps: ServiceDeps) {
    this.sms = deps.sms ?? new SimulatedSmsSender();
    ({ strong: this.strong, matching: this.matching } = strongIdentificationFor(deps, 'contract'));
  }

  /** The link's contract and signer; undefined when the link names neither; LinkRejectedError when it is expired or revoked. */
  async open(token: string): Promise<SignerLink | undefined> {
    const link = await this.links.resolve(token);
    const record = await this.contracts.find(link.processId);
    const signer = record?.signers.find((s) => s.participantId === link.participantId);
    return record && signer ? { link, record, signer } : undefined;
  }

  state(contractId: string): Promise<EmploymentContractState> {
    return queryProcess(this.deps.temporal, contractId, contractStateQuery);
  }

  /** The contract's chosen verification (a one-time code by e-mail or SMS, or none). */
  verifier(record: EmploymentContractRecord): SignerVerifier {
    return verifierFor(record.verification, {
      mail: this.deps.mail,
      sms: this.sms,
      organization: this.deps.config.organization,
      strong: this.strong,
    });
  }

  subject({ record, signer }: SignerLink, language: Language): VerificationSubject {
    return {
      processId: record.contractId,
      participantId: signer.participantId,
      name: signer.name,
      email: signer.email,
      phone: signer.phone,
      language,
      documentTitle: record.title,
      staffContact: record.hr,
    };
  }

  verified(signer: SignerLink, language: Language, proof: string | undefined): Promise<VerificationEvidence | undefined> {
    return this.verifier(signer.record).check(this.subject(signer, language), proof);
  }

  /** Sends a one-time code and audits that it went (never the code or where). */
  async sendCode(signer: SignerLink, language: Language, by: Requester) {
    const verifier = this.verifier(signer.record);
    const challenge = await verifier.begin(this.subject(signer, language));
    await this.deps.audit.append({
      eventId: `${signer.record.contractId}/code/${randomUUID()}`,
      processId: signer.record.contractId,
      actor: by.actor,
      action: challenge.kind === 'refused' ? 'contract.code_refused' : 'contract.code_sent',
      at: new Date(),
      ip: by.ip,
      userAgent: by.userAgent,
      details: challenge.kind === 'refused' ? { method: verifier.method, reason: challenge.reason } : { method: verifier.method },
    });
    return challenge;
  }

  async checkCode(signer: SignerLink, language: Language, code: string, by: Requester): Promise<Completion> {
    const method = signer.record.verification;
    const result = await this.verifier(signer.record).complete(this.subject(signer, language), { code });
    await this.deps.audit.append({
      eventId: `${signer.record.contractId}/verify/${randomUUID()}`,
      processId: signer.record.contractId,
      actor: by.actor,
      action: result.ok ? 'contract.verified' : 'contract.verification_failed',
      at: new Date(),
      ip: by.ip,
      userAgent: by.userAgent,
      details: result.ok ? { method } : { method, reason: result.reason },
    });
    return result;
  }

  /** The provider's answer for this signer, matched against the identity code HR entered (verification/identityMatch.ts). */
  identified({ record, signer }: SignerLink, result: IdentificationResult, by: Requester): Promise<IdentificationOutcome> {
    return this.matching.identified(
      {
        processId: record.contractId,
        participantId: signer.participantId,
        name: signer.name,
        documentTitle: record.title,
        identityCodeHash: record.verification === 'strongIdentification' ? signer.identityCode?.hash : undefined,
        staffContact: record.hr,
      },
      result,
      by,
    );
  }

  /** True when too many refused identifications have locked this signer's link. */
  identificationLocked({ record, signer }: SignerLink): Promise<boolean> {
    return this.matching.locked(record.contractId, signer.participantId);
  }

  /** HR opens a signer's link locked by refused identifications. */
  async unlockIdentification(contractId: string, participantId: string, by: Requester): Promise<{ unlocked: boolean }> {
    const record = await this.contracts.get(contractId);
    this.contracts.signer(record, participantId);
    return { unlocked: await this.matching.unlock(contractId, participantId, by) };
  }

  /** The pages of the version being signed, audited as viewed when `audit` is set. */
  async viewDocument(signer: SignerLink, state: EmploymentContractState, by: Requester, audit: boolean): Promise<{ pageCount: number }> {
    const { pageCount } = await inspectPdf(await this.deps.store.readVersion(state.round.documentVersionId!));
    if (audit) {
      await this.deps.audit.append({
        eventId: `${signer.record.contractId}/viewed/${signer.signer.participantId}`,
        processId: signer.record.contractId,
        actor: by.actor,
        action: 'contract.viewed',
        at: new Date(),
        ip: by.ip,
        userAgent: by.userAgent,
        documentSha256: state.round.documentSha256,
      });
    }
    return { pageCount };
  }

  /** Stores what the signer did as evidence, then hands the process the decision with the evidence's id. */
  async decide(
    { record, signer }: SignerLink,
    decision: {
      decision: 'sign' | 'decline';
      documentSha256: string;
      typedName?: string;
      reason?: string;
      verification: VerificationEvidence;
    },
    by: Requester,
  ): Promise<DecisionReceipt> {
    const evidenceId = randomUUID();
    // Checked first, so a decision the round would refuse leaves no evidence record behind.
    await checkDecisionBeforeEvidence(
      this.deps.store,
      (await this.state(record.contractId)).round,
      signer.participantId,
      decision.documentSha256,
    );
    await this.contracts.recordEvidence({
      evidenceId,
      contractId: record.contractId,
      participantId: signer.participantId,
      decision: decision.decision,
      typedName: decision.decision === 'sign' ? decision.typedName?.trim() : undefined,
      reason: decision.decision === 'decline' ? decision.reason : undefined,
      documentSha256: decision.documentSha256,
      ip: by.ip,
      userAgent: by.userAgent,
      verification: decision.verification,
      at: new Date(),
    });
    return updateProcess(this.deps.temporal, record.contractId, decideUpdate, {
      participantId: signer.participantId,
      decision: decision.decision,
      documentSha256: decision.documentSha256,
      evidenceId,
    });
  }

  /** The document as the signer sees it now: the sealed one once complete. */
  async document(state: EmploymentContractState): Promise<{ bytes: Buffer; sha256: string } | undefined> {
    const versionId = state.sealedVersionId ?? state.round.documentVersionId;
    if (!versionId) return undefined;
    const version = await this.deps.store.getVersion(versionId);
    return { bytes: await this.deps.store.readVersion(versionId), sha256: version.sha256 };
  }

  readVersion(versionId: string): Promise<Buffer> {
    return this.deps.store.readVersion(versionId);
  }
}

/**
 * A signer's decision checked as the round's validator will check it, before
 * its evidence (typed name, IP, browser) is stored: a decision the round would
 * refuse leaves no evidence record behind. The round accepts the hash of any
 * version it has shown; from outside, a hash no version of the document has
 * is refused here, and the round's own check stays the last word.
 */
export async function checkDecisionBeforeEvidence(
  store: DocumentStore,
  round: RoundSnapshot,
  participantId: string,
  documentSha256: string,
): Promise<void> {
  const refuse = (type: RejectionType) => new SinettiError(type, REJECTIONS[type], SIGNING_REJECTION_STATUS[type]);
  if (round.status !== 'open') throw refuse('round_closed');
  if (!round.documentVersionId) throw refuse('not_open_yet');
  const signer = round.signers.find((s) => s.participantId === participantId);
  if (!signer) throw refuse('unknown_signer');
  if (signer.status === 'signed' || signer.status === 'declined' || signer.status === 'deciding') throw refuse('already_decided');
  if (signer.status !== 'invited') throw refuse('not_your_turn');
  if (documentSha256 === round.documentSha256) return;
  const { documentId } = await store.getVersion(round.documentVersionId);
  if (!(await store.listVersions(documentId)).some((version) => version.sha256 === documentSha256)) throw refuse('stale_document');
}
