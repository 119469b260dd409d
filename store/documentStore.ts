import { storeModel } from './storeModel';
import { createHash, randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
import { SinettiError, NotFoundError } from '../common/errors';
import { forbidChanges } from './writeOnce';
import { addToIdList, idList, idListModel, isDuplicateKey } from './keyedWrites';

/**
 * PDFs live as chunked documents with their SHA-256; a version, once written, is never
 * changed. Workflows carry only version ids. Every write carries a key so a
 * retried activity finds the version it already wrote instead of adding one.
 */

export interface StoredVersion {
  versionId: string;
  documentId: string;
  version: number;
  sha256: string;
  size: number;
  fileName: string;
  kind: string;
  createdAt: Date;
}

export interface SaveVersionInput {
  /** Idempotency key, e.g. `${workflowId}/${activityId}` or an upload request id. */
  key: string;
  /** Omit to start a new document. */
  documentId?: string;
  bytes: Buffer;
  fileName: string;
  /** What the version is: "upload", "prepared", "signed", "sealed", … */
  kind: string;
}

export interface DocumentStore {
  saveVersion(input: SaveVersionInput): Promise<StoredVersion>;
  getVersion(versionId: string): Promise<StoredVersion>;
  readVersion(versionId: string): Promise<Buffer>;
  listVersions(documentId: string): Promise<StoredVersion[]>;
  /** The processes that wrote a document's versions (the workflow id each write's key starts with), for who may read it. */
  writers(documentId: string): Promise<string[]>;
}

export class DocumentTooLargeError extends SinettiError {
  constructor(size: number, limit: number) {
    super(
      'document_too_large',
      `The document is ${(size / 1e6).toFixed(1)} MB; the limit is ${(limit / 1e6).toFixed(1)} MB. Compress it or split it into parts.`,
      413,
      { size, limit },
    );
  }
}

interface VersionRecord extends Omit<StoredVersion, 'versionId'> {
  _id: string;
  key: string;
  /** The content is in `chunkCount` chunk documents with ids `${fileId}:0`, `${fileId}:1`, … */
  fileId: string;
  chunkCount: number;
}

const versionSchema = new Schema<VersionRecord>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true, unique: true },
    documentId: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    sha256: { type: String, required: true },
    size: { type: Number, required: true },
    fileName: { type: String, required: true },
    kind: { type: String, required: true },
    fileId: { type: String, required: true },
    chunkCount: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'document_versions' },
);
versionSchema.index({ documentId: 1, version: 1 }, { unique: true });
forbidChanges(versionSchema, 'Document versions are immutable');

export const DocumentVersionModel = storeModel<VersionRecord>('DocumentVersion', versionSchema);

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toStored(record: VersionRecord): StoredVersion {
  const { _id, documentId, version, sha256, size, fileName, kind, createdAt } = record;
  return { versionId: _id, documentId, version, sha256, size, fileName, kind, createdAt };
}

/**
 * Chunks are addressed by their _id alone. FerretDB 1.x answers _id lookups
 * from its primary key but scans (and loads) every chunk for any other
 * filter, which is what GridFS's files_id queries are: with a few thousand
 * versions stored, each read took seconds.
 */
interface ChunkRecord {
  _id: string;
  data: Buffer;
}
const chunkSchema = new Schema<ChunkRecord>(
  { _id: { type: String, required: true }, data: { type: Buffer, required: true } },
  { versionKey: false, collection: 'document_chunks' },
);
forbidChanges(chunkSchema, 'Document content is immutable');
const DocumentChunkModel = storeModel<ChunkRecord>('DocumentChunk', chunkSchema);

const CHUNK_BYTES = 1024 * 1024;

/**
 * Each document's versions in order, keyed by the document id, so finding
 * the latest version or listing them reads by _id (see BY_ID_ONLY in
 * store/connection.ts). Only ever appended to.
 */
const DocumentHeadModel = idListModel('DocumentHead', 'documents');

/** A version's id follows from its write's key, so a retried write finds its version with one _id lookup. */
export function versionIdForKey(key: string): string {
  return createHash('sha256').update(`document-version:${key}`).digest('base64url').slice(0, 32);
}

export class ChunkedDocumentStore implements DocumentStore {
  constructor(private readonly maxBytes: number) {}

  async saveVersion(input: SaveVersionInput): Promise<StoredVersion> {
    if (input.bytes.length > this.maxBytes) throw new DocumentTooLargeError(input.bytes.length, this.maxBytes);
    const versionId = versionIdForKey(input.key);
    const existing = await DocumentVersionModel.findById(versionId).lean();
    if (existing) return this.listed(existing);

    const documentId = input.documentId ?? randomUUID();
    const sha256 = sha256Hex(input.bytes);
    const { fileId, chunkCount } = await this.writeChunks(input.bytes);
    // Two writers may race for the same version number; the unique index decides, the loser retries.
    for (let attempt = 0; attempt < 5; attempt++) {
      const head = await DocumentHeadModel.findById(documentId).lean();
      if (input.documentId && !head) throw new NotFoundError(`Document ${input.documentId}`);
      const record: VersionRecord = {
        _id: versionId,
        key: input.key,
        documentId,
        version: (head?.ids.length ?? 0) + 1,
        sha256,
        size: input.bytes.length,
        fileName: input.fileName,
        kind: input.kind,
        fileId,
        chunkCount,
        createdAt: new Date(),
      };
      try {
        await DocumentVersionModel.create(record);
        return await this.listed(record);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const sameKey = await DocumentVersionModel.findById(versionId).lean();
        if (sameKey) return this.listed(sameKey);
        await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
      }
    }
    throw new Error(`Could not allocate a version number for document ${documentId}`);
  }

  /** Puts the version on its document's list (again, after a crash between the two writes) and returns it. */
  private async listed(record: VersionRecord): Promise<StoredVersion> {
    await addToIdList(DocumentHeadModel, record.documentId, [record._id]);
    return toStored(record);
  }

  /** Content is written before its version record, so a version never points at missing bytes. */
  private async writeChunks(bytes: Buffer): Promise<{ fileId: string; chunkCount: number }> {
    const fileId = randomUUID();
    const chunkCount = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
    const chunks = Array.from({ length: chunkCount }, (_, n) => ({
      _id: `${fileId}:${n}`,
      data: bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES),
    }));
    await DocumentChunkModel.insertMany(chunks, { ordered: true });
    return { fileId, chunkCount };
  }

  async getVersion(versionId: string): Promise<StoredVersion> {
    const record = await DocumentVersionModel.findById(versionId).lean();
    if (!record) throw new NotFoundError(`Document version ${versionId}`);
    return toStored(record);
  }

  async readVersion(versionId: string): Promise<Buffer> {
    const record = await DocumentVersionModel.findById(versionId).lean();
    if (!record) throw new NotFoundError(`Document version ${versionId}`);
    const chunks: Buffer[] = [];
    for (let n = 0; n < record.chunkCount; n++) {
      const chunk = await DocumentChunkModel.findById(`${record.fileId}:${n}`);
      if (!chunk) throw new Error(`Document version ${versionId} is missing part ${n + 1} of ${record.chunkCount}`);
      chunks.push(Buffer.from(chunk.data));
    }
    const bytes = Buffer.concat(chunks);
    if (sha256Hex(bytes) !== record.sha256) throw new Error(`Document version ${versionId} does not match its stored SHA-256`);
    return bytes;
  }

  async writers(documentId: string): Promise<string[]> {
    const records = await Promise.all(
      (await idList(DocumentHeadModel, documentId)).map((versionId) => DocumentVersionModel.findById(versionId, { key: 1 }).lean()),
    );
    return [...new Set(records.flatMap((record) => (record ? [record.key.split('/')[0]] : [])))];
  }

  async listVersions(documentId: string): Promise<StoredVersion[]> {
    const records = await Promise.all(
      (await idList(DocumentHeadModel, documentId)).map((versionId) => DocumentVersionModel.findById(versionId).lean()),
    );
    return records
      .filter((record): record is NonNullable<typeof record> => record !== null)
      .map(toStored)
      .sort((a, b) => a.version - b.version);
  }
}
