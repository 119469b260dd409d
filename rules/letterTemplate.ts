/**
 * Letter templates: a title and a body with {{column}} placeholders, filled
 * in from a batch row's CSV columns. Pure functions, so the API checks a
 * row exactly as the sending activity will merge it.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The columns a template needs, each once, in order of appearance. */
export function templatePlaceholders(...texts: string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1]);
  return [...names];
}

/** A "{{" that is not a well-formed placeholder, which would otherwise be printed as is. */
export function malformedPlaceholder(text: string): string | null {
  const stripped = text.replace(PLACEHOLDER, '');
  const at = stripped.search(/\{\{|\}\}/);
  return at < 0 ? null : stripped.slice(Math.max(0, at - 10), at + 20);
}

export function mergeTemplate(text: string, fields: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_all, name: string) => fields[name] ?? '');
}
