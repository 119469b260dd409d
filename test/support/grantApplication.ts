import { randomUUID } from 'node:crypto';
import { samplePdf } from './samplePdf';

/**
 * The body of a valid village association's grant application (form
 * `avustushakemus`) with its budget attached, in a round of its own: what
 * the tests that take one application through its process submit.
 */
export async function grantApplication(prefix: string, applicant: { businessId: string; email: string }) {
  const values = {
    associationName: 'Kyläyhdistys ry',
    businessId: applicant.businessId,
    street: 'Kylätie 1',
    postalCode: '33100',
    city: 'Tampere',
    contactName: 'Kalle Kyläläinen',
    email: applicant.email,
    purpose: 'Kylätalon katon korjaus.',
    amountApplied: '2000',
    budgetTotal: '9000',
    iban: 'FI2112345600000785',
  };
  const budget = {
    field: 'budget',
    fileName: 'budget.pdf',
    contentType: 'application/pdf',
    contentBase64: (await samplePdf(1, 'Talousarvio')).toString('base64'),
  };
  return { roundId: `${prefix}-${randomUUID().slice(0, 8)}`, values, attachments: [budget] };
}
