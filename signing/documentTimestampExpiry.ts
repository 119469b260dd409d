import { readSignedData, signerCertificateDer, type SignedDataParts } from './cmsParts';
import { parseCertificate } from './pkix';
import { findSignatures } from './pdfSignatures';

/**
 * How long a B-LTA document's proof holds as it is: until the certificate
 * of the TSA that made its newest document timestamp expires (or its CA's,
 * if that comes first). Before then a fresh document timestamp over the
 * whole file, with fresh validation data, carries the proof further.
 */

export interface DocumentTimestampLifetime {
  /** How many document timestamps the file holds. */
  documentTimestamps: number;
  /** When the newest one's TSA chain stops proving anything; undefined when the file has no document timestamp. */
  expiresAt?: Date;
}

export function documentTimestampLifetime(pdf: Buffer): DocumentTimestampLifetime {
  const timestamps = findSignatures(pdf).filter((signature) => signature.isDocumentTimestamp);
  const newest = timestamps.at(-1);
  if (!newest) return { documentTimestamps: 0 };
  let signedData: SignedDataParts;
  try {
    signedData = readSignedData(newest.der);
  } catch {
    return { documentTimestamps: timestamps.length, expiresAt: new Date(0) }; // not SignedData: proves nothing, due now
  }
  const certificates = signedData.certificates.map(parseCertificate);
  const signerDer = signedData.signerInfo && signerCertificateDer(signedData.signerInfo, signedData.certificates);
  const signer = signerDer && parseCertificate(signerDer);
  // A token without its TSA certificate proves nothing we can check later: due now.
  if (!signer) return { documentTimestamps: timestamps.length, expiresAt: new Date(0) };
  const chain = [signer];
  for (let current = signer; ;) {
    const issuer = certificates.find((candidate) => !chain.includes(candidate) && candidate.subject.isEqual(current.issuer));
    if (!issuer) break;
    chain.push((current = issuer));
  }
  const expiresAt = new Date(Math.min(...chain.map((certificate) => certificate.notAfter.value.getTime())));
  return { documentTimestamps: timestamps.length, expiresAt };
}
