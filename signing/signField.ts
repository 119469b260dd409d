import { createHash } from 'node:crypto';
import { buildSignedData } from './cms';
import type { SigningCredentials } from './credentials';
import { assertPdfHeader, PdfError } from './errors';
import { CrossReferences } from './crossReferences';
import { appendIncrementalUpdate, readObjectText, tailOf } from './incrementalUpdate';
import { pdfDate, pdfTextString } from './pdfSyntax';
import { signatureFieldDictionary, type SignaturePlan } from './signatureFieldPlan';
import { stampAppearanceObject } from './stampAppearance';

/** What a person sees in a signature box. */
export interface SignatureStamp {
  signerName: string;
  role: string;
  signedAt: Date;
  reason?: string;
  location?: string;
  /** How the signer was identified, one short line: "Tunnistettu / Identified: …". */
  identification?: string;
}

/**
 * Room reserved for the DER CMS in /Contents. A seal with a three-certificate
 * RSA-4096 chain needs about 6 kB; the rest is headroom.
 */
export const SIGNATURE_CAPACITY_BYTES = 8192;

const BYTE_RANGE_WIDTH = '[0 0000000000 0000000000 0000000000]'.length;
const CONTENTS_PLACEHOLDER = Buffer.alloc(SIGNATURE_CAPACITY_BYTES * 2, '0', 'latin1');

/**
 * Fills one planned signature field: appends the signature dictionary, the
 * visible stamp and the field with /V and /AP as an incremental update, then
 * signs every byte of the result except the /Contents hole. Only the file's
 * tail is read; the plan says where the field is.
 */
export function signField(
  pdf: Buffer,
  plan: SignaturePlan,
  fieldName: string,
  stamp: SignatureStamp,
  credentials: SigningCredentials,
): Buffer {
  assertPdfHeader(pdf);
  const field = plan.fields.find((candidate) => candidate.name === fieldName);
  if (!field) {
    throw new PdfError('unknown_field', `The document has no planned signature field "${fieldName}".`);
  }
  const references = new CrossReferences(pdf);
  const tail = tailOf(references);
  const entry = references.lookup(field.objectNumber);
  const offset = entry?.type === 'offset' ? entry.offset : undefined;
  if (offset === undefined) {
    throw new PdfError('plan_mismatch', `Signature field "${fieldName}" (object ${field.objectNumber}) is not in the document.`);
  }
  const current = readObjectText(pdf, offset, field.objectNumber);
  if (!/\/FT\s*\/Sig\b/.test(current) || !current.includes(`/T (${field.name})`)) {
    throw new PdfError(
      'plan_mismatch',
      `Object ${field.objectNumber} is not the signature field "${fieldName}"; the plan belongs to another document.`,
    );
  }
  if (/\/V[\s/<[(\d]/.test(current)) {
    throw new PdfError('field_already_signed', `Signature field "${fieldName}" is already signed.`);
  }

  const signatureNumber = tail.size;
  const appearanceNumber = tail.size + 1;
  const signatureHead = Buffer.from(
    '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ' + ' '.repeat(BYTE_RANGE_WIDTH) + ' /Contents <',
    'latin1',
  );
  const signatureTail = Buffer.from(
    `> /M (${pdfDate(stamp.signedAt)}) /Name ${pdfTextString(stamp.signerName)}` +
      (stamp.reason ? ` /Reason ${pdfTextString(stamp.reason)}` : '') +
      (stamp.location ? ` /Location ${pdfTextString(stamp.location)}` : '') +
      ' /Prop_Build << /App << /Name /Sinetti >> >> >>',
    'latin1',
  );
  const { pdf: signed, bodyOffsets } = appendIncrementalUpdate(
    pdf,
    tail,
    [
      { objectNumber: signatureNumber, body: Buffer.concat([signatureHead, CONTENTS_PLACEHOLDER, signatureTail]) },
      { objectNumber: appearanceNumber, body: stampAppearanceObject(field.rect, stamp) },
      {
        objectNumber: field.objectNumber,
        body: Buffer.from(
          signatureFieldDictionary(field, { signatureObjectNumber: signatureNumber, appearanceObjectNumber: appearanceNumber }),
          'latin1',
        ),
      },
    ],
    tail.size + 2,
  );

  const signatureAt = bodyOffsets.get(signatureNumber)!;
  const contentsStart = signatureAt + signatureHead.length - 1;
  const contentsEnd = contentsStart + 1 + CONTENTS_PLACEHOLDER.length + 1;
  const byteRange = `[0 ${contentsStart} ${contentsEnd} ${signed.length - contentsEnd}]`;
  signed.write(byteRange.padEnd(BYTE_RANGE_WIDTH, ' '), contentsStart - ' /Contents '.length - BYTE_RANGE_WIDTH, 'latin1');

  const digest = createHash('sha256').update(signed.subarray(0, contentsStart)).update(signed.subarray(contentsEnd)).digest();
  const cms = buildSignedData(digest, credentials);
  if (cms.length > SIGNATURE_CAPACITY_BYTES) {
    throw new PdfError(
      'signature_too_large',
      `The signature is ${cms.length} bytes but only ${SIGNATURE_CAPACITY_BYTES} are reserved; the certificate chain is too long.`,
    );
  }
  signed.write(cms.toString('hex'), contentsStart + 1, 'latin1');
  return signed;
}
