import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import { NotFoundError, SinettiError } from '../common/errors';
import type { Language } from '../mail/templates';
import type { VerificationMethod } from '../verification/signerVerification';
import type { SealedSecret } from './sealedSecrets';
import { isDuplicateKey } from './keyedWrites';

/**
 * The personal side of an employment contract: who signs, their contact
 * details and the contract's terms. It lives here, written once by the API,
 * so the workflow and its history carry only ids and roles. What a signer
 * did on the page (typed name, consent, IP, browser) is kept as evidence
 * under an id the workflow passes on.
 */

export const SIGNER_ROLES = ['employee', 'employer'] as const;
export type SignerRole = (typeof SIGNER_ROLES)[number];

export interface ContractParty {
  name: string;
  address: string;
  businessId?: string;
}

/** The written terms of Employment Contracts Act 55/2001 chapter 2 section 4. */
export interface ContractTerms {
  employer: ContractParty;
  employee: ContractParty;
  startDate: string;
  /** Fixed term only, with its reason. */
  endDate?: string;
  fixedTermReason?: string;
  trialPeriod?: string;
  placeOfWork: string;
  duties: string;
  payBasis: string;
  payPeriod: string;
  workingHours: string;
  annualLeave: string;
  noticePeriod: string;
  collectiveAgreement: string;
}

export interface ContractSigner {
  participantId: string;
  role: SignerRole;
  order: number;
  name: string;
  email: string;
  phone?: string;
  language: Language;
  /** The signature field this signer fills: their own id, or the id of the signer they replaced. */
  fieldName?: string;
  /** Set on a replacement: the participant it took over from. */
  replaces?: string;
  /** Set on a replaced signer: who took over. */
  replacedBy?: string;
  /** A replacement staged by an admin that the process has not yet taken on. */
  pending?: boolean;
  /** Strong identification: the identity code HR entered, encrypted, and its keyed hash for matching. Never shown or logged. */
  identityCode?: { sealed: SealedSecret; hash: string };
}

/** A signer as shown to staff and the API: without the identity code. */
export function shownSigner(signer: ContractSigner): Omit<ContractSigner, 'identityCode'> {
  const { identityCode: _identityCode, ...shown } = signer;
  return shown;
}

/** Whose signature fields a signer fills, and who currently signs (not replaced, not merely staged). */
export function signatureFieldOf(signer: ContractSigner): string {
  return signer.fieldName ?? signer.participantId;
}

export function activeSigners(record: EmploymentContractRecord): ContractSigner[] {
  return record.signers.filter((s) => !s.replacedBy && !s.pending);
}

export interface EmploymentContractRecord {
  contractId: string;
  title: string;
  /** The language the template is rendered in. */
  language: Language;
  createdBy: string;
  hr: { name: string; email: string; language: Language };
  terms?: ContractTerms;
  /** An uploaded PDF used instead of the template. */
  uploadedVersionId?: string;
  signers: ContractSigner[];
  /** What a signer must do before deciding, besides opening their link; none when unset. */
  verification?: VerificationMethod;
  /** The HR unit the contract belongs to (rules/processVisibility.ts); none: organisation-wide. */
  unit?: string;
  createdAt: Date;
}

// Keyed by contract id: see BY_ID_ONLY in store/connection.ts.
const contractSchema = new Schema<EmploymentContractRecord & { _id: string }>(
  {
    _id: { type: String, required: true },
    contractId: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    language: { type: String, required: true },
    createdBy: { type: String, required: true, index: true },
    hr: { type: Schema.Types.Mixed, required: true },
    terms: Schema.Types.Mixed,
    uploadedVersionId: String,
    signers: { type: Schema.Types.Mixed, required: true },
    verification: String,
    unit: String,
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'employment_contracts' },
);

const ContractModel = storeModel<EmploymentContractRecord & { _id: string }>('EmploymentContract', contractSchema);

export interface SignerEvidence {
  evidenceId: string;
  contractId: string;
  participantId: string;
  decision: 'sign' | 'decline';
  /** The name the signer typed (sign) and the reason given (decline). */
  typedName?: string;
  reason?: string;
  documentSha256: string;
  ip?: string;
  userAgent?: string;
  /** How the signer was verified before deciding ("none", "emailCode", "smsCode") and when. */
  verification?: { method: string; verifiedAt?: Date };
  at: Date;
}

const evidenceSchema = new Schema<SignerEvidence & { _id: string }>(
  {
    _id: { type: String, required: true },
    evidenceId: { type: String, required: true, unique: true },
    contractId: { type: String, required: true, index: true },
    participantId: { type: String, required: true },
    decision: { type: String, required: true },
    typedName: String,
    reason: String,
    documentSha256: { type: String, required: true },
    ip: String,
    userAgent: String,
    verification: Schema.Types.Mixed,
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'signer_evidence' },
);

const EvidenceModel = storeModel<SignerEvidence & { _id: string }>('SignerEvidence', evidenceSchema);

function plain<T>(record: T & { _id?: unknown }): T {
  const { _id, ...rest } = record;
  return rest as T;
}

export class EmploymentContracts {
  async create(record: EmploymentContractRecord): Promise<void> {
    try {
      await ContractModel.create({ _id: record.contractId, ...record });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async get(contractId: string): Promise<EmploymentContractRecord> {
    const record = await ContractModel.findById(contractId).lean();
    if (!record) throw new NotFoundError(`Contract ${contractId}`);
    return plain(record);
  }

  async find(contractId: string): Promise<EmploymentContractRecord | undefined> {
    const record = await ContractModel.findById(contractId).lean();
    return record ? plain(record) : undefined;
  }

  async list(limit = 200): Promise<EmploymentContractRecord[]> {
    const records = await ContractModel.find({}).sort({ createdAt: -1 }).limit(limit).lean();
    return records.map(plain);
  }

  signer(record: EmploymentContractRecord, participantId: string): ContractSigner {
    const signer = record.signers.find((s) => s.participantId === participantId);
    if (!signer) throw new NotFoundError(`Signer ${participantId} of contract ${record.contractId}`);
    return signer;
  }

  /**
   * Stores the person an admin wants to take over an undecided signer's
   * turn, before the process is told: the process then gets only the new
   * participant id. Returns that id.
   */
  async stageReplacement(contractId: string, participantId: string, person: { name: string; email: string }): Promise<string> {
    const record = await this.get(contractId);
    const previous = this.signer(record, participantId);
    if (previous.replacedBy || previous.pending)
      throw new SinettiError('unknown_signer', `${participantId} no longer signs this contract.`, 409);
    if (activeSigners(record).some((s) => s.participantId !== participantId && s.email.toLowerCase() === person.email.toLowerCase())) {
      throw new SinettiError('invalid_request', 'email: this person already signs this contract.', 400, [
        { field: 'email', message: 'Already a signer of this contract.' },
      ]);
    }
    const field = signatureFieldOf(previous);
    const replacementId = `${field}-r${record.signers.filter((s) => signatureFieldOf(s) === field).length}`;
    const replacement: ContractSigner = {
      participantId: replacementId,
      role: previous.role,
      order: previous.order,
      name: person.name,
      email: person.email,
      language: previous.language,
      fieldName: field,
      replaces: participantId,
      pending: true,
    };
    await ContractModel.updateOne({ _id: contractId }, { $set: { signers: [...record.signers, replacement] } });
    return replacementId;
  }

  /** Forgets a staged replacement the process refused. */
  async discardReplacement(contractId: string, replacementId: string): Promise<void> {
    const record = await this.get(contractId);
    const signers = record.signers.filter((s) => !(s.participantId === replacementId && s.pending));
    await ContractModel.updateOne({ _id: contractId }, { $set: { signers } });
  }

  /** The process has taken the replacement on: from now on it is the signer. Idempotent. */
  async confirmReplacement(contractId: string, participantId: string, replacementId: string): Promise<void> {
    const record = await this.get(contractId);
    const signers = record.signers.map((s) => {
      if (s.participantId === participantId) return { ...s, replacedBy: replacementId };
      if (s.participantId === replacementId) {
        const { pending: _pending, ...rest } = s;
        return rest;
      }
      return s;
    });
    await ContractModel.updateOne({ _id: contractId }, { $set: { signers } });
  }

  async recordEvidence(evidence: SignerEvidence): Promise<void> {
    await EvidenceModel.create({ _id: evidence.evidenceId, ...evidence });
  }

  async evidence(evidenceId: string): Promise<SignerEvidence> {
    const record = await EvidenceModel.findById(evidenceId).lean();
    if (!record) throw new NotFoundError(`Evidence ${evidenceId}`);
    return plain(record);
  }
}
