import { helsinkiCalendarDate } from '../common/helsinkiTime';

/**
 * The rules of official mail as pure functions: what Suomi.fi Messages
 * accepts, what a letter costs, and when its recipient is deemed notified
 * (Administrative Procedure Act 434/2003 § 59 and § 60).
 */

export const MAX_TITLE_LENGTH = 256;
/** A4 in PDF points, and how far a page may be off (scanners and exporters round). */
const A4 = { width: 595.28, height: 841.89 };
const A4_TOLERANCE_POINTS = 3;
/** The print service's envelopes: C5 for 1–9 sheets, C4 for 10–60. */
export const MAX_PAPER_SHEETS = 60;
const MAX_C5_SHEETS = 9;

export type Channel = 'electronic' | 'paper';

/** The delivery events that end the following of a letter, and the status each leaves. */
export const FINAL_DELIVERY_EVENTS: Record<string, 'read' | 'receipt_confirmed' | 'delivered' | 'returned_to_sender' | 'unresolved'> = {
  'Electronic message read': 'read',
  'Receipt confirmed': 'receipt_confirmed',
  'Posti: receipt confirmed': 'delivered',
  'Posti: returned to sender': 'returned_to_sender',
  'Posti: unresolved': 'unresolved',
};

export interface LetterProblem {
  field: string;
  code: string;
  message: string;
}

export function checkLetterTitle(title: string): LetterProblem | null {
  if (!title.trim()) return { field: 'title', code: 'title_missing', message: 'The letter needs a title.' };
  if (title.length > MAX_TITLE_LENGTH) {
    return {
      field: 'title',
      code: 'title_too_long',
      message: `The title has ${title.length} characters; Suomi.fi Messages takes at most ${MAX_TITLE_LENGTH}.`,
    };
  }
  return null;
}

function isA4(page: { width: number; height: number }): boolean {
  const near = (a: number, b: number) => Math.abs(a - b) <= A4_TOLERANCE_POINTS;
  return (near(page.width, A4.width) && near(page.height, A4.height)) || (near(page.width, A4.height) && near(page.height, A4.width));
}

/** A letter's PDF as the print service takes it: A4 pages, within the size limit, at most 60 sheets. */
export function checkLetterPdf(
  pdf: { size: number; pageSizes: { width: number; height: number }[] },
  maxBytes: number,
): LetterProblem | null {
  if (pdf.size > maxBytes) {
    return {
      field: 'document',
      code: 'document_too_large',
      message: `The PDF is ${(pdf.size / 1e6).toFixed(1)} MB; Suomi.fi Messages takes at most ${(maxBytes / 1e6).toFixed(1)} MB.`,
    };
  }
  const notA4 = pdf.pageSizes.findIndex((page) => !isA4(page));
  if (notA4 >= 0) {
    const page = pdf.pageSizes[notA4];
    return {
      field: 'document',
      code: 'not_a4',
      message: `Page ${notA4 + 1} is ${Math.round(page.width)}×${Math.round(page.height)} pt; letters must be A4 (595×842 pt).`,
    };
  }
  if (pdf.pageSizes.length > MAX_PAPER_SHEETS) {
    return {
      field: 'document',
      code: 'too_many_pages',
      message: `The PDF has ${pdf.pageSizes.length} pages; the print service takes at most ${MAX_PAPER_SHEETS}.`,
    };
  }
  return null;
}

export interface LetterPrices {
  electronic: number;
  paperC5: number;
  paperC4: number;
}

/** The price of one letter in cents. Pages are printed one-sided, so a page is a sheet. */
export function letterCostCents(channel: Channel, pages: number, prices: LetterPrices): number {
  if (channel === 'electronic') return prices.electronic;
  return pages <= MAX_C5_SHEETS ? prices.paperC5 : prices.paperC4;
}

/**
 * The day the recipient is deemed to have been notified: the 3rd day after
 * sending for an electronic message, the 7th day for a letter. Days are
 * counted in Finnish calendar days from the day of sending; the rule names
 * no weekend shift (that applies to the end of appeal periods, not to
 * notification).
 */
export function deemedNotificationDate(channel: Channel, sentAt: Date): string {
  const days = channel === 'electronic' ? 3 : 7;
  const sentDay = finnishCalendarDate(sentAt);
  const date = new Date(`${sentDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The calendar date in Finland (Europe/Helsinki) of an instant, as YYYY-MM-DD. */
export function finnishCalendarDate(instant: Date): string {
  return helsinkiCalendarDate(instant);
}

/** A batch letter's id: also its workflow id, and so its externalId at Suomi.fi Messages. */
export function letterProcessId(batchId: string, row: number): string {
  return `${batchId}-${row}`;
}

/** The batch and row of a batch letter's id; undefined for any other id. */
export function parseLetterProcessId(letterId: string): { batchId: string; row: number } | undefined {
  const match = /^(.+)-(\d+)$/.exec(letterId);
  return match ? { batchId: match[1], row: Number(match[2]) } : undefined;
}

/** A batch page's workflow id: the page of `pageSize` rows that starts at `firstRow`. */
export function letterBatchPageId(batchId: string, firstRow: number): string {
  return `${batchId}-page-${firstRow}`;
}

/** The workflow that follows the delivery of a batch page's letters. */
export function deliveryTrackerId(pageWorkflowId: string): string {
  return `${pageWorkflowId}-delivery`;
}

/** The trackers of all of a batch's pages, in row order. */
export function batchPageTrackerIds(batchId: string, total: number, pageSize: number): string[] {
  const ids: string[] = [];
  for (let firstRow = 1; firstRow <= total; firstRow += pageSize) ids.push(deliveryTrackerId(letterBatchPageId(batchId, firstRow)));
  return ids;
}

/** The tracker of a batch row's letter, from the batch's page size (pages start at rows 1, 1 + size, …). */
export function rowDeliveryTrackerId(batchId: string, row: number, pageSize: number): string {
  return deliveryTrackerId(letterBatchPageId(batchId, row - ((row - 1) % pageSize)));
}
