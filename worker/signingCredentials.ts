import fs from 'node:fs';
import { type SinettiConfig } from '../config/config';
import { loadPkcs12Credentials, type SigningCredentials } from '../signing/credentials';
import { createRevocationClient } from '../integrations/revocation/revocationClient';
import { createTimestampClient } from '../integrations/timestamping/timestampClient';
import type { LongTermValidityServices } from '../signing/longTermValidity';
import { loadOrCreateDevelopmentPki, type DevelopmentPki, type DevelopmentTrustUrls } from '../signing/developmentPki';

/** Where the embedded OCSP responder, CRL and CA certificate answer; the development certificates name these. */
export function developmentTrustUrls(config: SinettiConfig): DevelopmentTrustUrls | undefined {
  const ports = config.longTermValidity.embedded;
  if (!ports) return undefined;
  return {
    ocsp: `http://127.0.0.1:${ports.ocspPort}/`,
    crl: `http://127.0.0.1:${ports.crlPort}/development-ca.crl`,
    caIssuers: `http://127.0.0.1:${ports.crlPort}/development-ca.crt`,
  };
}

export function loadDevelopmentPki(config: SinettiConfig): Promise<DevelopmentPki> {
  return loadOrCreateDevelopmentPki(config.signing.developmentPkiDir, config.organization, developmentTrustUrls(config));
}

/** Production seals with the configured PKCS#12; development with a CA and seal certificate made on first start. */
export async function loadSigningCredentials(config: SinettiConfig): Promise<SigningCredentials> {
  if (config.signing.p12Path) {
    return loadPkcs12Credentials(fs.readFileSync(config.signing.p12Path), config.signing.p12Password ?? '');
  }
  return (await loadDevelopmentPki(config)).seal;
}

/** The CAs a TSA's certificate must chain to: the configured PEM files, or the development CA. */
export async function loadTsaTrustAnchors(config: SinettiConfig): Promise<Buffer[]> {
  if (config.longTermValidity.tsaTrustAnchorFiles.length === 0) {
    if (!config.longTermValidity.embedded)
      throw new Error(
        'SINETTI_TSA_URLS names TSAs; name the CA certificates their tokens must chain to in SINETTI_TSA_TRUST_ANCHORS (PEM files).',
      );
    return [(await loadDevelopmentPki(config)).caCertificate];
  }
  return config.longTermValidity.tsaTrustAnchorFiles.flatMap((file) => pemCertificates(fs.readFileSync(file, 'utf8')));
}

function pemCertificates(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((match) =>
    Buffer.from(match[1].replace(/\s+/g, ''), 'base64'),
  );
}

/** The TSA client (configured TSAs in order, answers checked against the trust anchors) and the revocation client. */
export async function createLongTermValidityServices(config: SinettiConfig): Promise<LongTermValidityServices> {
  return {
    timestamps: createTimestampClient({
      urls: config.longTermValidity.tsaUrls,
      trustAnchors: await loadTsaTrustAnchors(config),
      timeoutMs: 5_000,
    }),
    revocation: createRevocationClient({ timeoutMs: 5_000 }),
  };
}

/** What the validator trusts: the TSA anchors and, in development, the development CA that issues the seal. */
export async function loadValidationTrustAnchors(config: SinettiConfig): Promise<Buffer[]> {
  const anchors = await loadTsaTrustAnchors(config);
  if (config.signing.p12Path) return anchors;
  const developmentCa = (await loadDevelopmentPki(config)).caCertificate;
  return anchors.some((anchor) => anchor.equals(developmentCa)) ? anchors : [...anchors, developmentCa];
}
