import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A small, real, multi-page PDF made on the spot, so tests carry no binary fixtures. */
export async function samplePdf(pages = 2, title = 'Sinetti test document'): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const page = pdf.addPage([595.28, 841.89]);
    page.drawText(`${title} — page ${i}`, { x: 50, y: 780, size: 16, font });
    page.drawText('Lorem ipsum dolor sit amet, consectetur adipiscing elit.', { x: 50, y: 740, size: 11, font });
  }
  return Buffer.from(await pdf.save());
}
