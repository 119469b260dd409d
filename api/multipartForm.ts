import express, { type RequestHandler } from 'express';
import { SinettiError } from '../common/errors';

/**
 * Reads a browser's multipart/form-data post (text fields and files) for
 * the staff pages, so a contract form can carry its PDF without a script.
 * Small on purpose: the whole body is in memory under the given limit.
 */

export interface UploadedFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}
export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

declare module 'express-serve-static-core' {
  interface Request {
    form?: MultipartForm;
  }
}

export function parseMultipart(body: Buffer, contentType: string): MultipartForm {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new SinettiError('invalid_request', 'The form has no multipart boundary.', 400);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const form: MultipartForm = { fields: {}, files: {} };
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const end = body.indexOf(delimiter, partStart);
    if (end === -1) break;
    const part = body.subarray(partStart + 2, end - 2); // drop the CRLF after the delimiter and before the next one
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const fileName = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (name && fileName !== undefined) {
        if (fileName && content.length > 0) {
          form.files[name] = {
            fileName,
            contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream',
            bytes: Buffer.from(content),
          };
        }
      } else if (name) {
        form.fields[name] = content.toString('utf8');
      }
    }
    start = end;
  }
  return form;
}

/** Express middleware: `req.form` for multipart posts, up to `limitBytes`. */
export function multipartForm(limitBytes: number): RequestHandler[] {
  return [
    express.raw({ type: 'multipart/form-data', limit: limitBytes }),
    (req, _res, next) => {
      try {
        if (Buffer.isBuffer(req.body)) req.form = parseMultipart(req.body, req.get('content-type') ?? '');
        next();
      } catch (error) {
        next(error);
      }
    },
  ];
}
