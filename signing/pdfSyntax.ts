/** Bits of PDF syntax written by hand in incremental updates. */

/**
 * A PDF text string: plain ASCII stays a readable literal, anything else is
 * UTF-16BE with a byte order mark (PDF 32000-1, 7.9.2.2).
 */
export function pdfTextString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) {
    return '(' + text.replace(/[\\()]/g, (character) => '\\' + character) + ')';
  }
  const utf16 = Buffer.from(text, 'utf16le').swap16();
  return '<FEFF' + utf16.toString('hex').toUpperCase() + '>';
}

/** Numbers as PDF reals: at most two decimals, no exponent. */
export function pdfNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** D:YYYYMMDDHHmmSS+00'00' in UTC. */
export function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
}
