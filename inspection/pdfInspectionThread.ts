import { parentPort } from 'node:worker_threads';
import type { PdfLimits } from '../config/config';
import { PdfError } from '../signing/errors';
import { inspectPdfWithin } from './inspectPdfWithin';

/** The inspection thread's side: one document at a time, answered by id. */
export interface InspectionRequest {
  id: number;
  bytes: Uint8Array;
  limits: PdfLimits;
}
export type InspectionReply =
  | { id: number; inspection: Awaited<ReturnType<typeof inspectPdfWithin>> }
  | { id: number; error: { code: PdfError['code']; message: string } };

parentPort?.on('message', (request: InspectionRequest) => {
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  inspectPdfWithin(bytes, request.limits).then(
    (inspection) => parentPort!.postMessage({ id: request.id, inspection } satisfies InspectionReply),
    (error: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        error:
          error instanceof PdfError
            ? { code: error.code, message: error.message }
            : { code: 'malformed', message: `The PDF document cannot be read: ${(error as Error)?.message ?? error}` },
      } satisfies InspectionReply),
  );
});
