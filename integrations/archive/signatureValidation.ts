import { timestampImprint } from '../timestamping/timestampToken';
import { createHash, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/**
 * The validation report put in an archive package: for every signature in
 * the PDF, whether the signed byte ranges still hash to the digest the
 * signature names, whether the signature value verifies with the signer's
 * certificate, and whether the last signature covers the whole file (so
 * nothing was added after the seal). It checks integrity and the
 * signature values only; certificate trust chains, revocation and
 * timestamps are the long-term-validation work's (signing/) and are
 * reported as not checked rather than guessed.
 */

export interface SignatureCheck {
  index: number;
  subFilter?: string;
  byteRange: [number, number, number, number];
  /** The claimed signing time from the signature dictionary (/M), ISO 8601. */
  claimedSigningTime?: string;
  /** The signer as the signature dictionary names them (/Name). */
  signerName?: string;
  signerCertificate?: { subject: string; issuer: string; serialNumber: string; validFrom: string; validTo: string; sha256: string };
  digestMatches: boolean;
  signatureValueValid: boolean;
  coversWholeDocument: boolean;
  problems: string[];
}

export interface ValidationReport {
  validator: string;
  validatedAt: string;
  document: { sha256: string; bytes: number };
  conclusion: 'PASSED' | 'FAILED' | 'NO_SIGNATURES';
  notChecked: string[];
  signatures: SignatureCheck[];
}

const { asn1 } = forge;
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const SIGNATURE_DICTIONARY = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]\s*\/Contents\s*<([0-9A-Fa-f]+)>/g;

function pdfDateToIso(value: string | undefined): string | undefined {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value ?? '');
  if (!m) return undefined;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`).toISOString();
}

/** A PDF text string as written by signing/pdfSyntax.ts: a literal, or UTF-16BE hex with a byte order mark. */
function pdfTextStringValue(token: string | undefined): string | undefined {
  if (!token) return undefined;
  if (token.startsWith('(')) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  const bytes = Buffer.from(token.slice(1, -1), 'hex');
  return bytes[0] === 0xfe && bytes[1] === 0xff ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le') : bytes.toString('latin1');
}

function der(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

/** /Contents is zero-padded to its reserved size: the DER element is as long as its header says. */
function withoutPadding(contents: Buffer): Buffer {
  if (contents[0] !== 0x30) throw new Error('the signature contents are not a DER SEQUENCE');
  const first = contents[1];
  if (first < 0x80) return contents.subarray(0, 2 + first);
  const lengthBytes = first & 0x7f;
  const length = contents.subarray(2, 2 + lengthBytes).reduce((value, byte) => value * 256 + byte, 0);
  return contents.subarray(0, 2 + lengthBytes + length);
}

/** The parts of a CMS SignedData a check needs: the certificates, the signed attributes as signed, the digest they name, the signature value. */
function readCms(contents: Buffer) {
  const contentInfo = asn1.fromDer(forge.util.createBuffer(withoutPadding(contents).toString('binary')));
  const signedData = (contentInfo.value as forge.asn1.Asn1[])[1].value[0] as forge.asn1.Asn1;
  const parts = signedData.value as forge.asn1.Asn1[];
  const certificates =
    (parts.find((p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && Number(p.type) === 0)?.value as forge.asn1.Asn1[] | undefined) ?? [];
  const signerInfo = (parts[parts.length - 1].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
  const signedAttributes = signerInfo.find((p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && Number(p.type) === 0);
  if (!signedAttributes) throw new Error('the signature has no signed attributes');
  const attributes = signedAttributes.value as forge.asn1.Asn1[];
  const digestAttribute = attributes.find((a) => asn1.derToOid((a.value as forge.asn1.Asn1[])[0].value as string) === OID_MESSAGE_DIGEST);
  const messageDigest = digestAttribute
    ? Buffer.from(((digestAttribute.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string, 'binary')
    : undefined;
  const signatureValue = signerInfo.filter((p) => p.tagClass === asn1.Class.UNIVERSAL && p.type === asn1.Type.OCTETSTRING).pop();
  return {
    certificates: certificates.map((c) => new X509Certificate(der(c))),
    // Signed as a SET (RFC 5652 5.4), stored with the [0] tag.
    signedAttributesDer: der(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attributes)),
    messageDigest,
    signature: Buffer.from((signatureValue?.value as string | undefined) ?? '', 'binary'),
  };
}

export function validatePdfSignatures(pdf: Buffer, now = new Date()): ValidationReport {
  const text = pdf.toString('latin1');
  const signatures: SignatureCheck[] = [];
  for (const match of text.matchAll(SIGNATURE_DICTIONARY)) {
    const byteRange = [1, 2, 3, 4].map((i) => Number(match[i])) as [number, number, number, number];
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 400);
    const before = text.slice(Math.max(0, match.index - 300), match.index);
    const check: SignatureCheck = {
      index: signatures.length + 1,
      subFilter: /\/SubFilter\s*\/([A-Za-z0-9.]+)/.exec(before)?.[1],
      byteRange,
      claimedSigningTime: pdfDateToIso(/\/M\s*\((D:[^)]+)\)/.exec(after)?.[1]),
      signerName: pdfTextStringValue(/\/Name\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]+>)/.exec(after)?.[1]),
      digestMatches: false,
      signatureValueValid: false,
      coversWholeDocument: byteRange[0] === 0 && byteRange[2] + byteRange[3] === pdf.length,
      problems: [],
    };
    signatures.push(check);
    try {
      const [start, firstLength, secondStart, secondLength] = byteRange;
      if (secondStart + secondLength > pdf.length) throw new Error('the byte range runs past the end of the file');
      const digest = createHash('sha256')
        .update(pdf.subarray(start, start + firstLength))
        .update(pdf.subarray(secondStart, secondStart + secondLength))
        .digest();
      if (check.subFilter === 'ETSI.RFC3161') {
        // A document timestamp (B-LTA): its token's imprint must be the digest of the bytes it covers.
        check.digestMatches = timestampImprint(withoutPadding(Buffer.from(match[5], 'hex'))).equals(digest);
        check.signatureValueValid = check.digestMatches;
        if (!check.digestMatches)
          check.problems.push('The document timestamp names other bytes than the file has: the document was changed.');
        continue;
      }
      const cms = readCms(Buffer.from(match[5], 'hex'));
      check.digestMatches = Boolean(cms.messageDigest?.equals(digest));
      if (!check.digestMatches)
        check.problems.push('The signed bytes no longer hash to the digest in the signature: the document was changed.');
      const signer = cms.certificates.find((certificate) =>
        verify('sha256', cms.signedAttributesDer, certificate.publicKey, cms.signature),
      );
      check.signatureValueValid = Boolean(signer);
      if (!signer) check.problems.push('The signature value does not verify with any certificate in the signature.');
      const certificate = signer ?? cms.certificates[0];
      if (certificate) {
        check.signerCertificate = {
          subject: certificate.subject.replace(/\n/g, ', '),
          issuer: certificate.issuer.replace(/\n/g, ', '),
          serialNumber: certificate.serialNumber,
          validFrom: new Date(certificate.validFrom).toISOString(),
          validTo: new Date(certificate.validTo).toISOString(),
          sha256: createHash('sha256').update(certificate.raw).digest('hex'),
        };
      }
    } catch (error) {
      check.problems.push(`The signature could not be read: ${(error as Error).message}`);
    }
  }
  const last = signatures[signatures.length - 1];
  if (last && !last.coversWholeDocument)
    last.problems.push('The last signature does not cover the whole file: something was added after it.');
  const passed = signatures.every((s) => s.digestMatches && s.signatureValueValid) && Boolean(last?.coversWholeDocument);
  return {
    validator: 'Sinetti archive validation 1: byte-range digests, signature values, coverage',
    validatedAt: now.toISOString(),
    document: { sha256: createHash('sha256').update(pdf).digest('hex'), bytes: pdf.length },
    conclusion: signatures.length === 0 ? 'NO_SIGNATURES' : passed ? 'PASSED' : 'FAILED',
    notChecked: [
      'certificate trust chain',
      'revocation (OCSP/CRL)',
      'signature timestamps',
      "the TSA's signature on document timestamps (POST /api/validate checks these)",
    ],
    signatures,
  };
}
