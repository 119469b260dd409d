import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { toWinAnsiText } from '../signing/winAnsi';

/**
 * Flowing text onto A4 pages with pdf-lib's standard Helvetica: headings,
 * wrapped paragraphs and label/value rows, starting a new page when one is
 * full. Enough for the contract template and the audit certificate, which
 * are text documents; the standard font keeps files small and covers
 * Finnish and Swedish letters.
 */

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

export class PdfTextFlow {
  private page!: PDFPage;
  private y = 0;

  private constructor(
    readonly document: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly footer: string,
  ) {
    this.newPage();
  }

  static async create(meta: { title: string; language: string; footer: string }): Promise<PdfTextFlow> {
    const document = await PDFDocument.create();
    document.setTitle(toWinAnsiText(meta.title));
    document.setLanguage(meta.language);
    document.setProducer('Sinetti');
    const regular = await document.embedFont(StandardFonts.Helvetica);
    const bold = await document.embedFont(StandardFonts.HelveticaBold);
    return new PdfTextFlow(document, regular, bold, meta.footer);
  }

  private get width(): number {
    return A4[0] - 2 * MARGIN;
  }

  private newPage(): void {
    this.page = this.document.addPage(A4);
    this.y = A4[1] - MARGIN;
    const number = this.document.getPageCount();
    this.page.drawText(toWinAnsiText(`${this.footer}  ${number}`), {
      x: MARGIN,
      y: MARGIN / 2,
      size: 8,
      font: this.regular,
      color: rgb(0.4, 0.4, 0.4),
    });
  }

  private ensureRoom(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of toWinAnsiText(text).split(/\s*\u2028\s*/)) {
      let line = '';
      for (const word of paragraph
        .split(/\s+/)
        .filter(Boolean)
        .flatMap((w) => this.splitLongWord(w, font, size, width))) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
        else {
          lines.push(line);
          line = word;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  /** Hashes and long addresses have no spaces; they are cut where the line ends. Widths add up character by character. */
  private splitLongWord(word: string, font: PDFFont, size: number, width: number): string[] {
    if (font.widthOfTextAtSize(word, size) <= width) return [word];
    const parts: string[] = [];
    let part = '';
    let partWidth = 0;
    for (const character of word) {
      const characterWidth = font.widthOfTextAtSize(character, size);
      if (part && partWidth + characterWidth > width) {
        parts.push(part);
        part = '';
        partWidth = 0;
      }
      part += character;
      partWidth += characterWidth;
    }
    return part ? [...parts, part] : parts;
  }

  heading(text: string, size = 16): this {
    const lines = this.wrap(text, this.bold, size, this.width);
    this.ensureRoom(lines.length * size * 1.3 + 8);
    for (const line of lines) {
      this.y -= size * 1.3;
      this.page.drawText(line, { x: MARGIN, y: this.y, size, font: this.bold });
    }
    this.y -= 8;
    return this;
  }

  paragraph(text: string, size = 10, color = rgb(0, 0, 0)): this {
    for (const line of this.wrap(text, this.regular, size, this.width)) {
      this.ensureRoom(size * 1.4);
      this.y -= size * 1.4;
      this.page.drawText(line, { x: MARGIN, y: this.y, size, font: this.regular, color });
    }
    this.y -= 4;
    return this;
  }

  /** A label in bold on the left, its value wrapped on the right. */
  row(label: string, value: string, size = 10): this {
    const labelWidth = 170;
    const valueLines = this.wrap(value || '-', this.regular, size, this.width - labelWidth);
    const labelLines = this.wrap(label, this.bold, size, labelWidth - 8);
    const height = Math.max(valueLines.length, labelLines.length) * size * 1.4 + 4;
    this.ensureRoom(height);
    labelLines.forEach((line, index) =>
      this.page.drawText(line, { x: MARGIN, y: this.y - (index + 1) * size * 1.4, size, font: this.bold }),
    );
    valueLines.forEach((line, index) =>
      this.page.drawText(line, { x: MARGIN + labelWidth, y: this.y - (index + 1) * size * 1.4, size, font: this.regular }),
    );
    this.y -= height;
    return this;
  }

  rule(): this {
    this.ensureRoom(12);
    this.y -= 6;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4[0] - MARGIN, y: this.y },
      thickness: 0.5,
      color: rgb(0.7, 0.7, 0.7),
    });
    this.y -= 6;
    return this;
  }

  space(points = 10): this {
    this.y -= points;
    return this;
  }

  async save(): Promise<Buffer> {
    const bytes = await this.document.save({ useObjectStreams: false });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
