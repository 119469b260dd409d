type Undici = typeof import('undici');

/**
 * One HTTP call to a government service, its answer read whole (they are
 * small JSON or XML), through undici's request API rather than fetch: a
 * batch makes two calls a letter, and fetch's web streams and abort signals
 * cost the bulk worker about a fifth of its CPU. Connections are kept
 * alive by undici's shared agent. undici is loaded on the first call: a
 * worker that never sends a letter keeps its 5 MiB.
 */

let undici: Promise<Undici> | undefined;
const loadUndici = () => (undici ??= import('undici'));

export interface HttpAnswer {
  status: number;
  ok: boolean;
  text: string;
  json<T>(): T;
}

/** No answer in time; the caller decides whether that is worth retrying. */
export class HttpTimeoutError extends Error {
  override readonly name = 'HttpTimeoutError';
}

export async function httpCall(
  url: URL | string,
  options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
  return send(url, options, async (status, body) => {
    const text = await body.text();
    return { status, ok: status >= 200 && status < 300, text, json: <T>() => JSON.parse(text) as T };
  });
}

/** The same for binary exchanges (an RFC 3161 timestamp, an OCSP response, a CRL), the answer as bytes. */
export async function httpCallForBytes(
  url: URL | string,
  options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: Uint8Array; timeoutMs: number },
): Promise<{ status: number; ok: boolean; bytes: Buffer }> {
  return send(url, options, async (status, body) => ({
    status,
    ok: status >= 200 && status < 300,
    bytes: Buffer.from(await body.arrayBuffer()),
  }));
}

async function send<T>(
  url: URL | string,
  options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string | Uint8Array; timeoutMs: number },
  read: (status: number, body: { text(): Promise<string>; arrayBuffer(): Promise<ArrayBuffer> }) => Promise<T>,
): Promise<T> {
  const { errors, request } = await loadUndici();
  try {
    const { statusCode, body } = await request(url, {
      method: options.method,
      headers: options.headers,
      body: options.body,
      // Waiting for the answer to begin, and then for each part of it.
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    return await read(statusCode, body);
  } catch (error) {
    if (
      error instanceof errors.HeadersTimeoutError ||
      error instanceof errors.BodyTimeoutError ||
      error instanceof errors.ConnectTimeoutError
    ) {
      throw new HttpTimeoutError(`no answer within ${options.timeoutMs} ms`);
    }
    throw error;
  }
}

/** A multipart upload (an attachment), which fetch encodes from FormData; rare enough that its cost does not matter. */
export async function httpUpload(
  url: URL | string,
  options: { form: FormData; headers?: Record<string, string>; timeoutMs: number },
): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: options.headers,
      body: options.form,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, ok: response.ok, text, json: <T>() => JSON.parse(text) as T };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new HttpTimeoutError(`no answer within ${options.timeoutMs} ms`);
    throw error;
  }
}
