import { mergeTemplate } from '../rules/letterTemplate';
import type { LetterTemplateRecord } from '../store/letterTemplates';
import { PdfTextFlow } from './pdfTextFlow';

/**
 * One batch row's letter, rendered from its template when it is sent: the
 * organisation, the date, the merged title and body on A4. The recipient's
 * address is not printed: the print service makes the address page, so an
 * address under a security ban never passes through our PDF.
 */
export async function renderTemplateLetter(input: {
  template: Pick<LetterTemplateRecord, 'title' | 'body' | 'language'>;
  fields: Record<string, string>;
  organization: string;
  date: string;
}): Promise<Buffer> {
  const title = mergeTemplate(input.template.title, input.fields);
  const flow = await PdfTextFlow.create({ title, language: input.template.language, footer: input.organization });
  flow.paragraph(input.organization, 11).paragraph(input.date, 10).space(16).heading(title, 14);
  for (const paragraph of mergeTemplate(input.template.body, input.fields).split(/\r?\n\s*\r?\n/)) {
    if (paragraph.trim()) flow.paragraph(paragraph.replace(/\s*\r?\n\s*/g, ' ').trim(), 11);
  }
  return flow.save();
}
