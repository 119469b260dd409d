import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { DEVELOPMENT_PKI_FILE, loadOrCreateDevelopmentPki } from '../../signing/developmentPki';
import { authorityInfoAccess, crlDistributionPoints, hasExtendedKeyUsage, OID, parseCertificate } from '../../signing/pkix';
import { temporaryDirectory } from './signingFixtures';

const run = promisify(execFile);
const URLS = {
  ocsp: 'http://127.0.0.1:18913/',
  crl: 'http://127.0.0.1:18914/development-ca.crl',
  caIssuers: 'http://127.0.0.1:18914/development-ca.crt',
};

async function asn1parse(der: Buffer): Promise<string> {
  const file = path.join(temporaryDirectory('asn1'), 'certificate.der');
  writeFileSync(file, der);
  return (await run('openssl', ['asn1parse', '-inform', 'der', '-in', file])).stdout;
}

describe('the development PKI', () => {
  it('names the local OCSP responder, CRL and CA certificate in its leaf certificates, and the TSA certificate is for time-stamping only', async () => {
    const pki = await loadOrCreateDevelopmentPki(temporaryDirectory('pki'), 'Esimerkkilän kunta', URLS);
    for (const der of [pki.seal.certificate, pki.tsa.certificate]) {
      const certificate = parseCertificate(der);
      expect(authorityInfoAccess(certificate, OID.accessOcsp)).toEqual([URLS.ocsp]);
      expect(authorityInfoAccess(certificate, OID.accessCaIssuers)).toEqual([URLS.caIssuers]);
      expect(crlDistributionPoints(certificate)).toEqual([URLS.crl]);
    }
    expect(hasExtendedKeyUsage(parseCertificate(pki.tsa.certificate), OID.timeStamping)).toBe(true);
    expect(new X509Certificate(pki.tsa.certificate).toLegacyObject().ext_key_usage).toEqual(['1.3.6.1.5.5.7.3.8']);
  });

  it('writes non-ASCII names as UTF8String, so "Esimerkkilän kunta" reads right in pdfsig', async () => {
    const pki = await loadOrCreateDevelopmentPki(temporaryDirectory('pki-names'), 'Esimerkkilän kunta', URLS);
    const parsed = await asn1parse(pki.seal.certificate);
    expect(parsed).toMatch(/UTF8STRING\s+:Esimerkkilän kunta/);
    expect(parsed).toMatch(/PRINTABLESTRING\s+:FI/);
    expect(pki.seal.subjectName).toBe('Esimerkkilän kunta');
  });

  it('upgrades a file from an older Sinetti (no TSA, no service URLs) and keeps its CA', async () => {
    const dir = temporaryDirectory('pki-old');
    const caKeys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
    const sealKeys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
    const name = [{ shortName: 'CN', value: 'Vanha CA' }];
    const make = (publicKey: forge.pki.PublicKey, subject: typeof name, serial: string, isCa: boolean) => {
      const certificate = forge.pki.createCertificate();
      Object.assign(certificate, { publicKey, serialNumber: serial });
      certificate.validity.notBefore = new Date(Date.now() - 3600_000);
      certificate.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
      certificate.setSubject(subject);
      certificate.setIssuer(name);
      certificate.setExtensions([{ name: 'basicConstraints', cA: isCa }]);
      certificate.sign(caKeys.privateKey, forge.md.sha256.create());
      return forge.pki.certificateToPem(certificate);
    };
    writeFileSync(
      path.join(dir, DEVELOPMENT_PKI_FILE),
      JSON.stringify({
        organisationName: 'Esimerkkilän kunta',
        caCertificatePem: make(caKeys.publicKey, name, '01', true),
        caPrivateKeyPem: forge.pki.privateKeyToPem(caKeys.privateKey),
        sealCertificatePem: make(sealKeys.publicKey, [{ shortName: 'CN', value: 'Vanha sinetti' }], '02', false),
        sealPrivateKeyPem: forge.pki.privateKeyToPem(sealKeys.privateKey),
      }),
    );
    const oldCa = new X509Certificate(JSON.parse(readFileSync(path.join(dir, DEVELOPMENT_PKI_FILE), 'utf8')).caCertificatePem).raw;
    const pki = await loadOrCreateDevelopmentPki(dir, 'Esimerkkilän kunta', URLS);
    expect(pki.caCertificate.equals(oldCa)).toBe(true);
    expect(new X509Certificate(pki.seal.certificate).checkIssued(new X509Certificate(oldCa))).toBe(true);
    expect(authorityInfoAccess(parseCertificate(pki.seal.certificate), OID.accessOcsp)).toEqual([URLS.ocsp]);
  });

  it('gives two processes starting at once the same identity', async () => {
    const dir = temporaryDirectory('pki-race');
    const [first, second] = await Promise.all([
      loadOrCreateDevelopmentPki(dir, 'Esimerkkilän kunta', URLS),
      loadOrCreateDevelopmentPki(dir, 'Esimerkkilän kunta', URLS),
    ]);
    expect(first.seal.certificate.equals(second.seal.certificate)).toBe(true);
    expect(first.tsa.certificate.equals(second.tsa.certificate)).toBe(true);
  });
});
