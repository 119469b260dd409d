import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { renderAuditCertificate } from '../../activities/auditCertificate';
import type { AuditLog } from '../../audit/auditLog';
import { SinettiError } from '../../common/errors';
import type { Archive, ArchiveEntry } from '../../store/archive';
import type { DocumentStore } from '../../store/documentStore';
import { metadataProblems, PACKAGE_METADATA_SCHEMA, type PackageFileMetadata, type PackageMetadata } from './packageMetadata';
import { validatePdfSignatures } from './signatureValidation';

/**
 * The archive transfer package of a finished process, laid out as a BagIt
 * bag (RFC 8493), which archives' ingest tools read and check as is:
 *
 *   bagit.txt, bag-info.txt            what the bag is, who made it, how big
 *   manifest-sha256.txt                a checksum for every file under data/
 *   tagmanifest-sha256.txt             checksums of the files above
 *   data/document.pdf                  the final signed and sealed PDF, unchanged
 *   data/audit-certificate.pdf         the whole audit trail, rendered now
 *   data/validation-report.json        every signature checked (signatureValidation.ts)
 *   data/attachments/NN-<name>         the process's further archived files
 *   data/metadata.json                 records metadata (packageMetadata.ts), and
 *   data/metadata.schema.json          the JSON Schema it validates against
 *
 * PDF/A: the document goes as signed. Converting it would break the
 * signatures and the seal, which are the evidence; the metadata says so.
 */

export interface ArchivePackageDeps {
  store: DocumentStore;
  audit: AuditLog;
  archive: Archive;
  organization: string;
}

export interface PackageFile {
  path: string;
  bytes: Buffer;
}

export interface ArchivePackage {
  packageId: string;
  metadata: PackageMetadata;
  files: PackageFile[];
}

const RECORD_TYPES: Record<string, string> = { employmentContract: 'Työsopimus', minutesReview: 'Pöytäkirja', formToDecision: 'Päätös' };

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);

export function packageIdOf(entry: ArchiveEntry): string {
  return safeName(entry.archiveId.replace(/\//g, '--'));
}

async function archivedEntry(archive: Archive, processId: string): Promise<ArchiveEntry> {
  const [entry] = await archive.forProcess(processId);
  if (!entry)
    throw new SinettiError(
      'not_archived',
      `Process ${processId} has no archived document yet: a package is made once the process has finished and archived its document.`,
      409,
    );
  return entry;
}

export async function buildArchivePackage(deps: ArchivePackageDeps, processId: string, now = new Date()): Promise<ArchivePackage> {
  const entry = await archivedEntry(deps.archive, processId);
  const packageId = packageIdOf(entry);
  const document = await deps.store.readVersion(entry.versionId);
  if (sha256(document) !== entry.sha256)
    throw new Error(`The stored document of ${processId} no longer matches the checksum it was archived with`);
  const certificate = await renderAuditCertificate({
    organization: deps.organization,
    title: entry.title,
    processId,
    events: await deps.audit.forProcess(processId),
    describeActor: (actor) => actor,
  });
  const report = validatePdfSignatures(document, now);
  const attachments: PackageFile[] = [];
  for (const [index, versionId] of entry.attachmentVersionIds.entries()) {
    const version = await deps.store.getVersion(versionId);
    attachments.push({
      path: `data/attachments/${String(index + 1).padStart(2, '0')}-${safeName(version.fileName)}`,
      bytes: await deps.store.readVersion(versionId),
    });
  }
  const payload: (PackageFile & { use: PackageFileMetadata['Use']; mimeType: string })[] = [
    { path: 'data/document.pdf', bytes: document, use: 'Document', mimeType: 'application/pdf' },
    { path: 'data/audit-certificate.pdf', bytes: certificate, use: 'AuditCertificate', mimeType: 'application/pdf' },
    { path: 'data/validation-report.json', bytes: json(report), use: 'ValidationReport', mimeType: 'application/json' },
    ...attachments.map((a) => ({
      ...a,
      use: 'Attachment' as const,
      mimeType: a.path.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream',
    })),
  ];
  const m = entry.metadata;
  // The agents' signatures; document timestamps (B-LTA) are in the validation report, not signatures of a person or the organisation.
  const signed = report.signatures.filter((s) => s.subFilter !== 'ETSI.RFC3161');
  const last = signed.length - 1;
  const metadata: PackageMetadata = {
    MetadataVersion: '1',
    Package: { PackageId: packageId, Created: now.toISOString(), Organisation: deps.organization, SourceSystem: 'Sinetti' },
    Record: {
      NativeId: entry.archiveId,
      ProcessId: processId,
      Type: RECORD_TYPES[entry.processType] ?? 'Asiakirja',
      Title: entry.title,
      Status: report.conclusion === 'PASSED' ? 'Allekirjoitettu' : 'Valmis',
      Function: { TaskClass: m.taskClass, Title: m.function },
      Date: { Created: new Date(entry.createdAt).toISOString(), Archived: new Date(entry.archivedAt).toISOString() },
      Restriction: {
        PublicityClass: m.publicityClass,
        PersonalData: m.personalData,
        ...(m.securityPeriodYears ? { SecurityPeriod: m.securityPeriodYears } : {}),
        ...(m.securityReason ? { SecurityReason: m.securityReason } : {}),
        ...(m.securityPeriodStart ? { SecurityPeriodStart: m.securityPeriodStart } : {}),
      },
      Retention: { RetentionPeriod: m.retentionPeriod, RetentionReason: m.retentionReason, RetentionPeriodStart: m.retentionStart },
      Format: {
        PdfA: false,
        Note: 'The signed PDF is kept byte for byte as signed: converting it to PDF/A would invalidate its signatures and seal.',
      },
      Signatures: signed.map((s, index) => ({
        Agent: {
          Role: index === last && s.signerName === deps.organization ? ('Seal' as const) : ('Signer' as const),
          ...(s.signerName ? { Name: s.signerName } : {}),
          ...(s.signerCertificate ? { Certificate: s.signerCertificate.subject } : {}),
        },
        ...(s.claimedSigningTime ? { ClaimedSigningTime: s.claimedSigningTime } : {}),
        ...(s.subFilter ? { Method: s.subFilter } : {}),
        Valid: s.digestMatches && s.signatureValueValid,
      })),
      Files: payload.map((f) => ({ Use: f.use, Path: f.path, MimeType: f.mimeType, Sha256: sha256(f.bytes), Size: f.bytes.length })),
    },
  };
  const problems = metadataProblems(metadata);
  if (problems.length) throw new Error(`The package metadata of ${processId} does not match its schema: ${problems.join('; ')}`);

  const data: PackageFile[] = [
    ...payload.map(({ path: p, bytes }) => ({ path: p, bytes })),
    { path: 'data/metadata.json', bytes: json(metadata) },
    { path: 'data/metadata.schema.json', bytes: json(PACKAGE_METADATA_SCHEMA) },
  ];
  const manifest = Buffer.from(data.map((f) => `${sha256(f.bytes)}  ${f.path}\n`).join(''));
  const tags: PackageFile[] = [
    { path: 'bagit.txt', bytes: Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n') },
    {
      path: 'bag-info.txt',
      bytes: Buffer.from(
        [
          `Source-Organization: ${deps.organization}`,
          `Bagging-Date: ${now.toISOString().slice(0, 10)}`,
          `External-Identifier: ${entry.archiveId}`,
          `Payload-Oxum: ${data.reduce((sum, f) => sum + f.bytes.length, 0)}.${data.length}`,
          'Bag-Software-Agent: Sinetti',
          '',
        ].join('\n'),
      ),
    },
    { path: 'manifest-sha256.txt', bytes: manifest },
  ];
  const tagManifest = Buffer.from(tags.map((f) => `${sha256(f.bytes)}  ${f.path}\n`).join(''));
  return { packageId, metadata, files: [...tags, { path: 'tagmanifest-sha256.txt', bytes: tagManifest }, ...data] };
}

/**
 * Writes the package under the destination directory as `<packageId>/`:
 * first to a hidden partial directory, then renamed, so the archive's
 * ingest never sees half a package. A package already there is left as it
 * is (a retried transfer) after its checksums are checked.
 */
export function writePackage(pkg: ArchivePackage, destination: string): { directory: string; written: boolean } {
  const directory = path.join(destination, pkg.packageId);
  if (fs.existsSync(directory)) {
    const problems = checkPackageDirectory(directory);
    if (problems.length)
      throw new Error(`A package ${pkg.packageId} is already at the destination and fails its checksums: ${problems.join('; ')}`);
    return { directory, written: false };
  }
  const partial = path.join(destination, `.${pkg.packageId}.partial-${process.pid}`);
  fs.rmSync(partial, { recursive: true, force: true });
  for (const file of pkg.files) {
    fs.mkdirSync(path.dirname(path.join(partial, file.path)), { recursive: true });
    fs.writeFileSync(path.join(partial, file.path), file.bytes);
  }
  fs.renameSync(partial, directory);
  return { directory, written: true };
}

/** A bag's checksums checked against its files: the problems found, or none. */
export function checkPackageDirectory(directory: string): string[] {
  const problems: string[] = [];
  for (const manifest of ['tagmanifest-sha256.txt', 'manifest-sha256.txt']) {
    const file = path.join(directory, manifest);
    if (!fs.existsSync(file)) {
      problems.push(`${manifest} is missing`);
      continue;
    }
    for (const line of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const [expected, relative] = line.split(/\s+/, 2);
      const target = path.join(directory, relative);
      if (!fs.existsSync(target)) problems.push(`${relative} is missing`);
      else if (sha256(fs.readFileSync(target)) !== expected) problems.push(`${relative} does not match its checksum`);
    }
  }
  return problems;
}
