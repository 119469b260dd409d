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

export function toWinAnsiText(text: string): string {
  let result = '';
  for (const character of text.normalize('NFC')) {
    const codePoint = character.codePointAt(0)!;
    if (codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0d) result += ' ';
    else result += encoding.canEncodeUnicodeCodePoint(codePoint) ? character : '?';
  }
  return result;
}

/** A PDF hex string of the WinAnsi bytes: needs no escaping of ( ) \ or high bytes. */
export function winAnsiHexString(text: string): string {
  let hex = '<';
  for (const character of toWinAnsiText(text)) {
    hex += encoding.encodeUnicodeCodePoint(character.codePointAt(0)!).code.toString(16).padStart(2, '0');
  }
  return hex + '>';
}

export function textWidth(text: string, size: number, font: StampFont): number {
  return (font === 'bold' ? bold : regular).widthOfTextAtSize(toWinAnsiText(text), size);
}

/** Shortens text with an ellipsis so that it fits the given width. */
export function fitText(text: string, size: number, font: StampFont, maxWidth: number): string {
  const clean = toWinAnsiText(text).trim();
  if (textWidth(clean, size, font) <= maxWidth) return clean;
  let characters = Array.from(clean);
  while (characters.length > 0 && textWidth(characters.join('') + '…', size, font) > maxWidth) {
    characters = characters.slice(0, -1);
  }
  return characters.join('').trimEnd() + '…';
}
