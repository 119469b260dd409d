import mongoose, { Schema } from 'mongoose';
import { NotFoundError } from '../common/errors';
import type { Language } from '../mail/templates';
import { isDuplicateKey } from './documentStore';

/**
 * The personal side of an employment contract: who signs, their contact
 * details and the contract's terms. It lives here, written once by the API,
 * so the workflow and its history carry only ids and roles. What a signer
 * did on the page (typed name, consent, IP, browser) is kept as evidence
 * under an id the workflow passes on.
 */

export const SIGNER_ROLES = ['employee', 'employer'] as const;
export type SignerRole = (typeof SIGNER_ROLES)[number];

export interface ContractParty { name: string; address: string; businessId?: string }

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
  createdAt: Date;
}

const contractSchema = new Schema<EmploymentContractRecord>({
  contractId: { type: String, required: true, unique: true },
  title: { type: String, required: true },
  language: { type: String, required: true },
  createdBy: { type: String, required: true, index: true },
  hr: { type: Schema.Types.Mixed, required: true },
  terms: Schema.Types.Mixed,
  uploadedVersionId: String,
  signers: { type: Schema.Types.Mixed, required: true },
  createdAt: { type: Date, required: true },
}, { versionKey: false, collection: 'employment_contracts' });

const ContractModel = mongoose.models.EmploymentContract as mongoose.Model<EmploymentContractRecord>
  ?? mongoose.model<EmploymentContractRecord>('EmploymentContract', contractSchema);

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
  at: Date;
}

const evidenceSchema = new Schema<SignerEvidence>({
  evidenceId: { type: String, required: true, unique: true },
  contractId: { type: String, required: true, index: true },
  participantId: { type: String, required: true },
  decision: { type: String, required: true },
  typedName: String,
  reason: String,
  documentSha256: { type: String, required: true },
  ip: String,
  userAgent: String,
  at: { type: Date, required: true },
}, { versionKey: false, collection: 'signer_evidence' });

const EvidenceModel = mongoose.models.SignerEvidence as mongoose.Model<SignerEvidence>
  ?? mongoose.model<SignerEvidence>('SignerEvidence', evidenceSchema);

function plain<T>(record: T & { _id?: unknown }): T {
  const { _id, ...rest } = record;
  return rest as T;
}

export class EmploymentContracts {
  async create(record: EmploymentContractRecord): Promise<void> {
    try {
      await ContractModel.create(record);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async get(contractId: string): Promise<EmploymentContractRecord> {
    const record = await ContractModel.findOne({ contractId }).lean();
    if (!record) throw new NotFoundError(`Contract ${contractId}`);
    return plain(record);
  }

  async find(contractId: string): Promise<EmploymentContractRecord | undefined> {
    const record = await ContractModel.findOne({ contractId }).lean();
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

  async recordEvidence(evidence: SignerEvidence): Promise<void> {
    await EvidenceModel.create(evidence);
  }

  async evidence(evidenceId: string): Promise<SignerEvidence> {
    const record = await EvidenceModel.findOne({ evidenceId }).lean();
    if (!record) throw new NotFoundError(`Evidence ${evidenceId}`);
    return plain(record);
  }
}
