import { createDeflate } from 'node:zlib';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';

/**
 * PDFs an attacker would upload, made on the spot: a decompression bomb, a
 * document of thousands of pages, a document that runs JavaScript when it
 * opens. Used by the hardening tests and by `npm run bench`.
 */

/** A one-page PDF with an object stream that inflates to `inflatedBytes` (default 1 GiB). */
export async function objectStreamBomb(inflatedBytes = 1024 ** 3): Promise<Buffer> {
  // The object stream's only object, "5 0", sits at offset 0 after its header; the zeros follow.
  const compressed = await deflatedWithZeros('5 0 << /Bomb true >>\n', inflatedBytes);
  const parts: (string | Buffer)[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (part: string | Buffer) => {
    parts.push(part);
    length += Buffer.byteLength(part);
  };
  const object = (n: number, content: string | (string | Buffer)[]) => {
    offsets[n] = length;
    if (typeof content === 'string') push(`${n} 0 obj\n${content}\nendobj\n`);
    else {
      push(`${n} 0 obj\n`);
      content.forEach(push);
      push('\nendobj\n');
    }
  };
  push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  object(4, [`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${compressed.length} >>\nstream\n`, compressed, '\nendstream']);
  const xref = length;
  push(`xref\n0 5\n0000000000 65535 f \n${[1, 2, 3, 4].map((n) => `${String(offsets[n]).padStart(10, '0')} 00000 n \n`).join('')}`);
  push(`trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
}

/** Deflates `prefix` and then `size` zero bytes without ever holding them: about 1 MB of output per GiB. */
async function deflatedWithZeros(prefix: string, size: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  deflate.write(prefix);
  const block = Buffer.alloc(16 * 1024 * 1024);
  for (let written = 0; written < size; written += block.length) {
    if (!deflate.write(block.subarray(0, Math.min(block.length, size - written))))
      await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(out);
}

/** A PDF of `pages` empty pages. */
export async function manyPagesPdf(pages: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (let i = 0; i < pages; i++) pdf.addPage([595.28, 841.89]);
  return Buffer.from(await pdf.save());
}

/** A one-page PDF that runs JavaScript when opened (/OpenAction). */
export async function openActionJavaScriptPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595.28, 841.89]);
  const action = pdf.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of("app.alert('hello')") });
  pdf.catalog.set(PDFName.of('OpenAction'), pdf.context.register(action));
  return Buffer.from(await pdf.save());
}

/** A one-page PDF whose link, when clicked, starts a program (/Launch). */
export async function launchActionPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595.28, 841.89]);
  const action = pdf.context.obj({ S: 'Launch', F: PDFString.of('C:\\Windows\\System32\\calc.exe') });
  const link = pdf.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [50, 50, 250, 100], Border: [0, 0, 0], A: action });
  page.node.set(PDFName.of('Annots'), pdf.context.obj([pdf.context.register(link)]));
  return Buffer.from(await pdf.save());
}

/** A one-page PDF whose page runs an action when it is opened (/AA); the action itself only turns the page. */
export async function additionalActionsPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595.28, 841.89]);
  page.node.set(PDFName.of('AA'), pdf.context.obj({ O: { S: 'Named', N: 'NextPage' } }));
  return Buffer.from(await pdf.save());
}

/** A one-page PDF carrying a file inside it (the catalog's /EmbeddedFiles). */
export async function embeddedFilePdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595.28, 841.89]);
  await pdf.attach(Buffer.from('echo hello\n'), 'run-me.bat', { mimeType: 'application/x-bat', description: 'a script' });
  return Buffer.from(await pdf.save());
}
