import { deflateSync } from 'node:zlib';

/**
 * The document an inspection thread reads once when it starts: a valid
 * one-page PDF whose content stream inflates to a few MB. It takes the thread
 * down every path an upload takes (the stream tally's scan and native
 * inflate, pdf-lib's parse, the active-content walk), so the first real
 * upload, a bomb included, does not pay for loading and compiling them.
 */
export function warmUpDocument(inflatedBytes = 4 * 1024 * 1024): Uint8Array {
  const content = deflateSync(Buffer.alloc(inflatedBytes, ' '));
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (part: string | Buffer) => {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    parts.push(bytes);
    length += bytes.length;
  };
  push('%PDF-1.7\n');
  const object = (n: number, ...body: (string | Buffer)[]) => {
    offsets[n] = length;
    push(`${n} 0 obj\n`);
    body.forEach(push);
    push('\nendobj\n');
  };
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>');
  object(4, `<< /Filter /FlateDecode /Length ${content.length} >>\nstream\n`, content, '\nendstream');
  const xref = length;
  push(
    `xref\n0 5\n0000000000 65535 f \n${offsets
      .slice(1)
      .map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`)
      .join('')}`,
  );
  push(`trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(parts));
}
