import { randomBytes, sign as cryptoSign } from 'node:crypto';
import forge from 'node-forge';
import type { SigningCredentials } from './credentials';
import { CredentialsError } from './errors';

/**
 * CMS SignedData for PAdES B-B (ETSI EN 319 142-1, SubFilter
 * ETSI.CAdES.detached): detached content, signed attributes contentType,
 * messageDigest and signing-certificate-v2, and deliberately no signing-time
 * (PAdES puts the claimed time in the signature dictionary's /M). The
 * structure is built with node-forge's ASN.1; the private-key operation runs
 * in node:crypto, which is some thirty times faster than forge's RSA.
 */

const { asn1 } = forge;
const UNIVERSAL = asn1.Class.UNIVERSAL;
const CONTEXT = asn1.Class.CONTEXT_SPECIFIC;
const T = asn1.Type;

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
};

type Asn1 = forge.asn1.Asn1;

function oid(value: string): Asn1 {
  return asn1.create(UNIVERSAL, T.OID, false, asn1.oidToDer(value).getBytes());
}

function sequence(items: Asn1[]): Asn1 {
  return asn1.create(UNIVERSAL, T.SEQUENCE, true, items);
}

function set(items: Asn1[]): Asn1 {
  return asn1.create(UNIVERSAL, T.SET, true, items);
}

function integer(value: number): Asn1 {
  return asn1.create(UNIVERSAL, T.INTEGER, false, asn1.integerToDer(value).getBytes());
}

function octetString(bytes: Buffer): Asn1 {
  return asn1.create(UNIVERSAL, T.OCTETSTRING, false, bytes.toString('binary'));
}

function der(node: Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

function attribute(type: string, value: Asn1): Asn1 {
  return sequence([oid(type), set([value])]);
}

/**
 * Everything except the document digest and the signature value is the same
 * for every signature made with one set of credentials, and both of those
 * have fixed sizes (an ECDSA signature has a few possible sizes). So forge
 * builds each distinct shape once, with random placeholders we can find
 * again, and a signature only copies the template and writes two values into
 * it. This keeps the per-signature cost close to the RSA operation itself.
 */
interface FilledShape {
  der: Buffer;
  digestOffset: number;
  signatureOffset: number;
}

interface SignerTemplate {
  signedAttributes: Buffer;
  attributesDigestOffset: number;
  shapeFor(signatureLength: number): FilledShape;
}

const templates = new WeakMap<SigningCredentials, SignerTemplate>();

function parseCertificate(certificateDer: Buffer): Asn1 {
  const node = asn1.fromDer(certificateDer.toString('binary'));
  // The certificate must go into the CMS byte for byte, or its signature and our ESSCertIDv2 hash break.
  if (!der(node).equals(certificateDer)) {
    throw new CredentialsError('unreadable', 'A certificate is not in canonical DER and cannot be embedded unchanged.');
  }
  return node;
}

function uniqueOffset(haystack: Buffer, needle: Buffer): number {
  const offset = haystack.indexOf(needle);
  if (offset < 0 || haystack.indexOf(needle, offset + 1) >= 0) throw new Error('CMS template placeholder not found exactly once');
  return offset;
}

/** DER SET OF: members sorted by their encodings (X.690 11.6). */
function derSetOf(members: Asn1[]): Asn1 {
  const encoded = members.map((member) => ({ member, bytes: der(member) })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  return set(encoded.map(({ member }) => member));
}

function signerTemplate(credentials: SigningCredentials): SignerTemplate {
  const cached = templates.get(credentials);
  if (cached) return cached;
  const keyType = credentials.privateKey.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') {
    throw new CredentialsError('unreadable', `Unsupported signing key type ${keyType ?? 'unknown'}; use RSA or ECDSA.`);
  }
  const leaf = parseCertificate(credentials.certificate);
  const certificates = [leaf, ...credentials.chain.map(parseCertificate)];
  const tbs = (leaf.value as Asn1[])[0].value as Asn1[];
  const hasVersion = tbs[0].tagClass === CONTEXT;
  const serialNumber = tbs[hasVersion ? 1 : 0];
  const issuer = tbs[hasVersion ? 3 : 2];
  // ESSCertIDv2 with the default hash (SHA-256), so hashAlgorithm is omitted as DER requires.
  const issuerSerial = sequence([sequence([asn1.create(CONTEXT, 4, true, [issuer])]), serialNumber]);
  const essCertIdV2 = sequence([octetString(credentials.certificateSha256), issuerSerial]);

  // The digest placeholder is random so that finding it again cannot hit anything else.
  const digestPlaceholder = randomBytes(32);
  const signedAttributes = derSetOf([
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(digestPlaceholder)),
    attribute(OID.signingCertificateV2, sequence([sequence([essCertIdV2])])),
  ]);
  const signedAttributesDer = der(signedAttributes);
  const signatureAlgorithm =
    keyType === 'rsa'
      ? sequence([oid(OID.sha256WithRsa), asn1.create(UNIVERSAL, T.NULL, false, '')])
      : sequence([oid(OID.ecdsaWithSha256)]);

  const shapes = new Map<number, FilledShape>();
  const shapeFor = (signatureLength: number): FilledShape => {
    const known = shapes.get(signatureLength);
    if (known) return known;
    const signaturePlaceholder = randomBytes(signatureLength);
    const signerInfo = sequence([
      integer(1),
      sequence([issuer, serialNumber]),
      sequence([oid(OID.sha256)]),
      // Signed over as a SET; inside SignerInfo the same content is tagged [0] IMPLICIT.
      asn1.create(CONTEXT, 0, true, signedAttributes.value),
      signatureAlgorithm,
      octetString(signaturePlaceholder),
    ]);
    const signedData = sequence([
      integer(1),
      set([sequence([oid(OID.sha256)])]),
      sequence([oid(OID.data)]),
      asn1.create(CONTEXT, 0, true, certificates),
      set([signerInfo]),
    ]);
    const contentInfo = der(sequence([oid(OID.signedData), asn1.create(CONTEXT, 0, true, [signedData])]));
    const shape = {
      der: contentInfo,
      digestOffset: uniqueOffset(contentInfo, digestPlaceholder),
      signatureOffset: uniqueOffset(contentInfo, signaturePlaceholder),
    };
    shapes.set(signatureLength, shape);
    return shape;
  };

  const template: SignerTemplate = {
    signedAttributes: signedAttributesDer,
    attributesDigestOffset: uniqueOffset(signedAttributesDer, digestPlaceholder),
    shapeFor,
  };
  templates.set(credentials, template);
  return template;
}

/** Signs a SHA-256 digest of the signed byte ranges; returns the DER ContentInfo for /Contents. */
export function buildSignedData(documentDigest: Buffer, credentials: SigningCredentials): Buffer {
  if (documentDigest.length !== 32) throw new Error('expected a SHA-256 digest');
  const template = signerTemplate(credentials);
  const signedAttributes = Buffer.from(template.signedAttributes);
  documentDigest.copy(signedAttributes, template.attributesDigestOffset);
  const signature = cryptoSign('sha256', signedAttributes, credentials.privateKey);
  const shape = template.shapeFor(signature.length);
  const contentInfo = Buffer.from(shape.der);
  documentDigest.copy(contentInfo, shape.digestOffset);
  signature.copy(contentInfo, shape.signatureOffset);
  return contentInfo;
}
