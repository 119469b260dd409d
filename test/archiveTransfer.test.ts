import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { recordsMetadataFor } from '../config/recordsPlan';
import { checkPackageDirectory } from '../integrations/archive/archivePackage';
import { validatePdfSignatures } from '../integrations/archive/signatureValidation';
import { Archive } from '../store/archive';
import type { TransferResult } from '../activities/archiveTransferActivities';
import { transferFinishedProcessesOnce } from '../integrations/archive/archiveTransferWatch';
import { ChunkedDocumentStore } from '../store/documentStore';
import type { EmploymentContractState } from '../workflows/employmentContract';
import type { OrganisationSealState } from '../workflows/organisationSeal';
import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  openContractHarness,
  signThroughPage,
  sleep,
  uniqueEmail,
} from './support/contractHarness';
import { recordHistoryIfAsked } from './support/recordHistory';
import { samplePdf } from './support/samplePdf';
import { staffHeaders } from './support/staffSession';

/**
 * Archive transfer packages on the real stack: a contract run to the end,
 * and a sealed set of minutes and a sealed decision archived under their
 * task classes, each pushed to a directory by the transfer workflow, then
 * read back as the archive would: checksums, metadata against the schema
 * the package carries, and the signatures' validation report.
 */

let harness: ContractHarness;
let destination: string;

beforeAll(async () => {
  destination = fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-archive-'));
  harness = await openContractHarness('archive', { ARCHIVE_TRANSFER_DIR: destination });
});
afterAll(async () => {
  await harness?.close();
  fs.rmSync(destination, { recursive: true, force: true });
});

async function transfer(processId: string): Promise<{ packageId: string; directory: string }> {
  const started = await harness
    .api()
    .post(`/api/archive/${processId}/transfer`)
    .set(await staffHeaders(harness.baseUrl, 'registry'));
  expect(started.status).toBe(202);
  for (let i = 0; i < 150; i++) {
    const status = await harness
      .api()
      .get(`/api/archive/${processId}/transfer`)
      .set(await staffHeaders(harness.baseUrl, 'registry'));
    if (status.body.status === 'COMPLETED') {
      expect(status.body.result).toMatchObject({ written: true, validation: 'valid' });
      return { packageId: status.body.result.packageId, directory: path.join(destination, status.body.result.packageId) };
    }
    expect(status.body.status).toBe('RUNNING');
    await sleep(200);
  }
  throw new Error(`The transfer of ${processId} did not finish`);
}

/** What the archive does on receipt: checksums, then the metadata against the schema in the package. */
function readPackage(directory: string) {
  expect(checkPackageDirectory(directory)).toEqual([]);
  expect(fs.readFileSync(path.join(directory, 'bagit.txt'), 'utf8')).toContain('BagIt-Version: 1.0');
  const schema = JSON.parse(fs.readFileSync(path.join(directory, 'data', 'metadata.schema.json'), 'utf8'));
  const metadata = JSON.parse(fs.readFileSync(path.join(directory, 'data', 'metadata.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  expect(validate(metadata) ? [] : validate.errors).toEqual([]);
  const report = JSON.parse(fs.readFileSync(path.join(directory, 'data', 'validation-report.json'), 'utf8'));
  const manifest = fs.readFileSync(path.join(directory, 'manifest-sha256.txt'), 'utf8');
  for (const file of [
    'data/document.pdf',
    'data/audit-certificate.pdf',
    'data/validation-report.json',
    'data/metadata.json',
    'data/metadata.schema.json',
  ])
    expect(manifest).toContain(`  ${file}\n`);
  return { metadata, report, schema, validate };
}

async function sealedDocument(title: string): Promise<OrganisationSealState> {
  const store = new ChunkedDocumentStore(harness.stack.config.maxDocumentBytes);
  const upload = await store.saveVersion({
    key: `archive-test/${Date.now()}-${Math.random()}`,
    bytes: await samplePdf(2, title),
    fileName: 'document.pdf',
    kind: 'upload',
  });
  const started = await harness
    .api()
    .post(`/api/versions/${upload.versionId}/seal`)
    .set(await staffHeaders(harness.baseUrl, 'registry'))
    .send({ title });
  expect(started.status).toBe(202);
  return {
    ...((await harness.stack.client.workflow.getHandle(started.body.processId).result()) as OrganisationSealState),
    processId: started.body.processId,
  } as OrganisationSealState & { processId: string };
}

describe('archive transfer packages', () => {
  it('a completed contract: the sealed PDF as signed, the audit certificate, a passing validation report and Sähke2 metadata, checksums that hold', async () => {
    const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    await harness.stack.withWorker(async () => {
      const created = await harness
        .api()
        .post('/api/contracts')
        .set(await staffHeaders(harness.baseUrl, 'hr'))
        .send(contractRequest(who));
      const contractId = created.body.contractId as string;
      expect(
        (
          await harness
            .api()
            .post(`/api/archive/${contractId}/transfer`)
            .set(await staffHeaders(harness.baseUrl, 'registry'))
        ).status,
      ).toBe(409);
      expect((await signThroughPage(harness, await invitationLink(who.employee), 'Maija Meikäläinen')).status).toBe(303);
      expect((await signThroughPage(harness, await invitationLink(who.employer), 'Erkki Esimies')).status).toBe(303);
      const result = (await harness.stack.client.workflow.getHandle(contractId).result()) as EmploymentContractState;
      expect(result.status).toBe('completed');

      const onDemand = await harness
        .api()
        .get(`/api/archive/${contractId}/package`)
        .set(await staffHeaders(harness.baseUrl, 'registry'));
      expect(onDemand.status).toBe(200);
      expect(onDemand.body.files.map((f: { path: string }) => f.path)).toContain('data/metadata.json');

      const { packageId, directory } = await transfer(contractId);
      recordHistoryIfAsked(harness.stack, `archive-transfer/${contractId}`, 'archiveTransferWorkflow');
      const { metadata, report } = readPackage(directory);
      expect(metadata.Record).toMatchObject({
        ProcessId: contractId,
        Type: 'Työsopimus',
        Status: 'Allekirjoitettu',
        Function: { TaskClass: '02 01 01' },
        Restriction: {
          PublicityClass: 'Osittain salassa pidettävä',
          SecurityPeriod: 50,
          SecurityReason: 'JulkL (621/1999) 24.1 § 32 kohta',
          PersonalData: 'contains',
        },
        Retention: { RetentionPeriod: 50 },
        Format: { PdfA: false },
      });
      expect(
        metadata.Record.Signatures.map((s: { Agent: { Role: string; Name?: string }; Valid: boolean }) => [
          s.Agent.Role,
          s.Agent.Name,
          s.Valid,
        ]),
      ).toEqual([
        ['Signer', 'Maija Meikäläinen', true],
        ['Signer', 'Erkki Esimies', true],
        ['Seal', harness.stack.config.organization, true],
      ]);
      // Two signers and the seal, then the B-LTA document timestamp over the whole file.
      expect(report).toMatchObject({
        conclusion: 'PASSED',
        signatures: [
          { digestMatches: true },
          { digestMatches: true },
          { digestMatches: true },
          { subFilter: 'ETSI.RFC3161', digestMatches: true, coversWholeDocument: true },
        ],
      });
      const document = fs.readFileSync(path.join(directory, 'data', 'document.pdf'));
      const [archived] = await new Archive().forProcess(contractId);
      expect(metadata.Record.Files[0]).toMatchObject({ Use: 'Document', Sha256: archived.sha256, Size: document.length });
      expect(metadata.Record.Files.map((f: { Use: string }) => f.Use)).toEqual([
        'Document',
        'AuditCertificate',
        'ValidationReport',
        'Attachment',
      ]);

      // Asked again: the same package, not written twice.
      const again = await harness
        .api()
        .post(`/api/archive/${contractId}/transfer`)
        .set(await staffHeaders(harness.baseUrl, 'registry'));
      expect(again.body.status).toBe('COMPLETED');
      expect(fs.readdirSync(destination).filter((name) => name === packageId)).toHaveLength(1);

      // A changed byte is caught twice over: by the manifest and by the signatures.
      const tampered = Buffer.from(document);
      const at = tampered.indexOf('/Length') + 3;
      tampered[at] = tampered[at] === 0x65 ? 0x66 : 0x65;
      fs.writeFileSync(path.join(directory, 'data', 'document.pdf'), tampered);
      expect(checkPackageDirectory(directory)).toEqual(['data/document.pdf does not match its checksum']);
      expect(validatePdfSignatures(tampered).conclusion).toBe('FAILED');
    });
  });

  it('sealed minutes and a sealed decision, archived under their task classes, each a valid package', async () => {
    await harness.stack.withWorker(async () => {
      for (const kind of [
        {
          processType: 'minutesReview',
          taskClass: '00 01 02',
          type: 'Pöytäkirja',
          title: 'Kunnanhallitus 5/2026',
          publicity: 'Julkinen',
          retention: 'permanent',
        },
        {
          processType: 'formToDecision',
          taskClass: '02 05 01',
          type: 'Päätös',
          title: 'Avustuspäätös 12/2026',
          publicity: 'Julkinen',
          retention: 10,
        },
      ]) {
        const sealed = (await sealedDocument(kind.title)) as OrganisationSealState & { processId: string };
        const processId = `${kind.processType}-${sealed.processId}`;
        const version = await new ChunkedDocumentStore(harness.stack.config.maxDocumentBytes).getVersion(sealed.sealedVersionId!);
        await new Archive().store({
          archiveId: `${processId}/final`,
          processId,
          processType: kind.processType,
          title: kind.title,
          versionId: version.versionId,
          documentId: version.documentId,
          sha256: version.sha256,
          attachmentVersionIds: [],
          metadata: recordsMetadataFor(kind.taskClass),
          createdAt: new Date(),
          archivedAt: new Date(),
        });
        const { directory } = await transfer(processId);
        const { metadata, report, validate } = readPackage(directory);
        expect(metadata.Record).toMatchObject({
          Type: kind.type,
          Title: kind.title,
          Function: { TaskClass: kind.taskClass },
          Restriction: { PublicityClass: kind.publicity },
          Retention: { RetentionPeriod: kind.retention },
        });
        expect(metadata.Record.Restriction.SecurityPeriod).toBeUndefined();
        expect(report.conclusion).toBe('PASSED');
        expect(metadata.Record.Signatures).toEqual([
          expect.objectContaining({ Agent: expect.objectContaining({ Role: 'Seal' }), Valid: true }),
        ]);
        // The schema holds the rules: a partly secret record without its security reason does not pass.
        const secretWithoutReason = {
          ...metadata,
          Record: { ...metadata.Record, Restriction: { PublicityClass: 'Osittain salassa pidettävä', PersonalData: 'contains' } },
        };
        expect(validate(secretWithoutReason)).toBe(false);
      }
    });
  });

  it('a contract that finishes is pushed to the destination without anyone asking: the watch starts its transfer once', async () => {
    const who = { employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') };
    await harness.stack.withWorker(async () => {
      const created = await harness
        .api()
        .post('/api/contracts')
        .set(await staffHeaders(harness.baseUrl, 'hr'))
        .send(contractRequest(who));
      const contractId = created.body.contractId as string;
      expect((await signThroughPage(harness, await invitationLink(who.employee), 'Maija Meikäläinen')).status).toBe(303);
      expect((await signThroughPage(harness, await invitationLink(who.employer), 'Erkki Esimies')).status).toBe(303);
      await harness.stack.client.workflow.getHandle(contractId).result();
      const watch = { temporal: harness.stack.client, taskQueue: harness.stack.config.temporal.taskQueue };
      let started: string[] = [];
      for (let i = 0; i < 60 && !started.includes(contractId); i++) {
        started = await transferFinishedProcessesOnce(watch); // visibility lists the close a moment later
        if (!started.includes(contractId)) await sleep(500);
      }
      expect(started).toContain(contractId);
      const result = (await harness.stack.client.workflow.getHandle(`archive-transfer/${contractId}`).result()) as TransferResult;
      expect(result).toMatchObject({ written: true, validation: 'valid' });
      readPackage(path.join(destination, result.packageId));
      // The next look overlaps this one: nothing is started twice.
      expect(await transferFinishedProcessesOnce(watch)).not.toContain(contractId);
    });
  });
});
