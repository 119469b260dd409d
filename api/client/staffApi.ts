/** The staff consoles' one way to call the API: same-origin JSON on the staff session cookie, the API's message as the error. */
export async function api<T>(path: string, options: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, ...options });
  const body: unknown = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(messageOf(body) ?? `HTTP ${response.status}`);
  return body as T; // the API's answer, typed by the caller as the API documents it
}

/** The `message` of an API error body, if it has one. */
export function messageOf(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') return body.message;
  return undefined;
}

/** An element the page is known to have, of the kind it must be; a missing one is a bug in the page, reported at once. */
export function byId<E extends HTMLElement>(id: string, kind: { new (): E; prototype: E }): E {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`The page has no ${kind.name} #${id}`);
  return element;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
