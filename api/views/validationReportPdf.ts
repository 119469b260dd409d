import { PdfTextFlow } from '../../activities/pdfTextFlow';
import { textsFor } from '../../texts/catalog';
import type { Language } from '../../texts/language';
import { signatureRows, type ValidationPageReport } from './validationPage';

/** The validation report as a PDF, in the page's language and with the page's words. */
export async function validationReportPdf(report: ValidationPageReport, language: Language): Promise<Buffer> {
  const t = textsFor(language).validationPage;
  const flow = await PdfTextFlow.create({ title: t.title, language, footer: `Sinetti · ${t.title}` });
  flow.heading(t.title, 18);
  flow.row(t.validatedAsOf, report.validatedAt.slice(0, 10));
  flow.row(t.documentHash, report.documentSha256, 9);
  if (report.provenance) {
    flow.row(t.processId, report.provenance.processId);
    if (report.provenance.auditChainHead)
      flow.row(t.auditChain, `${report.provenance.auditChainHead.seq} · SHA-256 ${report.provenance.auditChainHead.sha256}`, 9);
    flow.paragraph(
      report.provenance.coveredBySignature === undefined ? t.notCovered : t.coveredBy(report.provenance.coveredBySignature + 1),
    );
  }
  flow.rule();
  if (report.signatures.length === 0) flow.paragraph(t.noSignatures);
  for (const signature of report.signatures) {
    const { heading, rows } = signatureRows(signature, language);
    flow.heading(heading, 12);
    for (const [label, value] of rows) flow.row(label, value, 9);
    flow.rule();
  }
  return flow.save();
}
