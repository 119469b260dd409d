import { StandardFontEmbedder, StandardFonts } from 'pdf-lib';

/**
 * Text for the standard 14 Helvetica fonts with /WinAnsiEncoding: covers
 * Finnish and Swedish (ä ö å, š ž) without embedding a font. Characters the
 * encoding lacks become '?', so a stamp never fails because of a name.
 */
type FontName = Parameters<typeof StandardFontEmbedder.for>[0];
// pdf-lib's StandardFonts enum and its metrics' FontNames enum hold the same strings.
const regular = StandardFontEmbedder.for(StandardFonts.Helvetica as unknown as FontName);
const bold = StandardFontEmbedder.for(StandardFonts.HelveticaBold as unknown as FontName);
const encoding = regular.encoding;

export type StampFont = 'regular' | 'bold';

// Only some 220 characters are encodable; the limit keeps odd input from growing the caches.
const CACHE_LIMIT = 1024;

// Character -> WinAnsi code, or undefined for characters the encoding lacks; filled as characters are seen.
const codes = new Map<string, number | undefined>();

function winAnsiCode(character: string): number | undefined {
  if (codes.has(character)) return codes.get(character);
  const codePoint = character.codePointAt(0)!;
  const code = encoding.canEncodeUnicodeCodePoint(codePoint) ? encoding.encodeUnicodeCodePoint(codePoint).code : undefined;
  if (codes.size < CACHE_LIMIT) codes.set(character, code);
  return code;
}

function normalized(text: string): string {
  return /[^\x20-\x7e]/.test(text) ? text.normalize('NFC') : text;
}

export function toWinAnsiText(text: string): string {
  let result = '';
  for (const character of normalized(text)) {
    if (character === '\t' || character === '\n' || character === '\r') result += ' ';
    else result += winAnsiCode(character) === undefined ? '?' : character;
  }
  return result;
}

/** A PDF hex string of the WinAnsi bytes: needs no escaping of ( ) \\ or high bytes. */
export function winAnsiHexString(text: string): string {
  let hex = '<';
  for (const character of toWinAnsiText(text)) hex += winAnsiCode(character)!.toString(16).padStart(2, '0');
  return hex + '>';
}

// Widths per character at size 1, without kerning: Tj does not kern, so this is what a viewer draws.
const widthCache = { regular: new Map<string, number>(), bold: new Map<string, number>() };

function characterWidth(character: string, font: StampFont): number {
  const cache = widthCache[font];
  let width = cache.get(character);
  if (width === undefined) {
    width = (font === 'bold' ? bold : regular).widthOfTextAtSize(character, 1);
    if (cache.size < CACHE_LIMIT) cache.set(character, width);
  }
  return width;
}

export function textWidth(text: string, size: number, font: StampFont): number {
  let width = 0;
  for (const character of toWinAnsiText(text)) width += characterWidth(character, font);
  return width * size;
}

/** Breaks text into lines no wider than maxWidth, at spaces where it can, inside a word too long for a line of its own. */
export function wrapText(text: string, size: number, font: StampFont, maxWidth: number): string[] {
  const limit = maxWidth / size;
  const width = (s: string) => Array.from(s).reduce((sum, character) => sum + characterWidth(character, font), 0);
  const lines: string[] = [];
  let line = '';
  for (const word of toWinAnsiText(text).trim().split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (width(candidate) <= limit) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    for (const character of Array.from(word)) {
      if (line && width(line + character) > limit) {
        lines.push(line);
        line = '';
      }
      line += character;
    }
  }
  if (line) lines.push(line);
  return lines;
}
