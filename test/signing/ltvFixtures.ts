import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRevocationClient } from '../../integrations/revocation/revocationClient';
import { createTimestampClient } from '../../integrations/timestamping/timestampClient';
import type { DevelopmentPki } from '../../signing/developmentPki';
import type { LongTermValidityServices } from '../../signing/longTermValidity';
import { testConfig } from '../support/testStack';
import { loadDevelopmentPki } from '../../worker/signingCredentials';
import { findSignatures } from '../../signing/pdfSignatures';
import { validatePdf } from '../../signing/validation/validatePdf';
import { temporaryDirectory } from './signingFixtures';

const run = promisify(execFile);

/** The test stack's development PKI and the clients for its TSA, OCSP responder and CRL (started by globalSetup). */
export async function trustServices(): Promise<{
  pki: DevelopmentPki;
  services: LongTermValidityServices;
  pkiDir: string;
  caPemFile: string;
}> {
  const config = testConfig();
  const pki = await loadDevelopmentPki(config);
  const caPemFile = path.join(temporaryDirectory('ca'), 'ca.pem');
  fs.writeFileSync(caPemFile, pem(pki.caCertificate));
  return {
    pki,
    pkiDir: config.signing.developmentPkiDir,
    caPemFile,
    services: {
      timestamps: createTimestampClient({ urls: config.longTermValidity.tsaUrls, trustAnchors: [pki.caCertificate] }),
      revocation: createRevocationClient(),
    },
  };
}

export function pem(der: Buffer): string {
  const lines = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`;
}

/** `openssl ts -verify` of a DER TimeStampToken against a SHA-256 digest, with the given CA. */
export async function opensslVerifyToken(token: Buffer, sha256: Buffer, caPemFile: string): Promise<string> {
  const file = path.join(temporaryDirectory('tst'), 'token.der');
  fs.writeFileSync(file, token);
  try {
    const { stdout } = await run('openssl', [
      'ts',
      '-verify',
      '-in',
      file,
      '-token_in',
      '-digest',
      sha256.toString('hex'),
      '-CAfile',
      caPemFile,
    ]);
    return stdout;
  } catch (error) {
    return `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? String(error)}`;
  }
}

export async function opensslOcspText(response: Buffer): Promise<string> {
  const file = path.join(temporaryDirectory('ocsp'), 'response.der');
  fs.writeFileSync(file, response);
  const { stdout } = await run('openssl', ['ocsp', '-respin', file, '-resp_text', '-noverify']);
  return stdout;
}

export function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The outside view of a finished document: every CMS signature B-LTA and valid by our validator, a document timestamp last, openssl accepting it. */
export async function expectArchivalPdf(pdf: Buffer): Promise<void> {
  const { pki, caPemFile } = await trustServices();
  const report = await validatePdf(pdf, { trustAnchors: [pki.caCertificate] });
  const signatures = report.signatures.filter((signature) => signature.kind === 'signature');
  expect(signatures.length).toBeGreaterThan(0);
  expect(signatures.map((signature) => [signature.level, signature.indication])).toEqual(signatures.map(() => ['B-LTA', 'valid']));
  const last = report.signatures[report.signatures.length - 1];
  expect(last).toMatchObject({ kind: 'document-timestamp', indication: 'valid', covers: { wholeDocument: true } });
  const documentTimestamp = findSignatures(pdf).pop()!;
  const [, a, b, c] = documentTimestamp.byteRange;
  expect(await opensslVerifyToken(documentTimestamp.der, sha256(pdf.subarray(0, a), pdf.subarray(b, b + c)), caPemFile)).toMatch(
    /Verification: OK/,
  );
}
