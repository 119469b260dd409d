/**
 * Finding things inside DER by their byte offsets, without decoding them.
 * asn1js builds an object for every node and copies as it goes (about 2 ms
 * for a 4 kB signature, 12 ms more for pkijs' schema on top); to find a
 * SignerInfo's signature value or a token's certificates we only need where
 * each TLV starts and ends. What is found is still interpreted by pkijs or
 * node:crypto; this module only slices. Definite lengths and low tag
 * numbers only (every tag CMS, TSP and X.509 use here).
 */

export interface Tlv {
  /** The identifier octet: class, constructed bit and tag number. */
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  constructedOctetString: 0x24,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  context0: 0xa0,
  context1: 0xa1,
} as const;

function malformed(at: number): Error {
  return new Error(`Not valid DER at byte ${at}.`);
}

export function readTlv(bytes: Uint8Array, at = 0, limit = bytes.length): Tlv {
  if (at + 2 > limit) throw malformed(at);
  const tag = bytes[at];
  if ((tag & 0x1f) === 0x1f) throw malformed(at); // a high tag number: nothing we read uses one
  let length = bytes[at + 1];
  let contentStart = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || contentStart + octets > limit) throw malformed(at); // indefinite or absurd
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + bytes[contentStart + index];
    contentStart += octets;
  }
  const end = contentStart + length;
  if (end > limit) throw malformed(at);
  return { tag, start: at, contentStart, end };
}

export function childrenOf(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end;) {
    const child = readTlv(bytes, at, parent.end);
    children.push(child);
    at = child.end;
  }
  return children;
}

/** The whole TLV (header and content) as a view into `bytes`. */
export function tlvBytes(bytes: Buffer, tlv: Tlv): Buffer {
  return bytes.subarray(tlv.start, tlv.end);
}

export function contentBytes(bytes: Buffer, tlv: Tlv): Buffer {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

/** A DER header: the tag and a definite length in the shortest form. */
export function derHeader(tag: number, length: number): Buffer {
  if (length < 0x80) return Buffer.from([tag, length]);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Buffer.from([tag, 0x80 | octets.length, ...octets]);
}

/** A TLV around the given content. */
export function derWrap(tag: number, ...content: Buffer[]): Buffer {
  const length = content.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat([derHeader(tag, length), ...content]);
}
