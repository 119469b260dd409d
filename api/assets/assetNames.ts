/** The stylesheets under api/assets and the client scripts under api/client, each served as /assets/<name>.<ext>. */
export const STYLESHEETS = ['participant', 'form', 'hr', 'console', 'handler'] as const;
export const CLIENT_SCRIPTS = ['admin', 'registry', 'handler', 'minutesUpload', 'applicationForm', 'rectification', 'workspace'] as const;
export type Stylesheet = (typeof STYLESHEETS)[number];
/** The stylesheets served with api/assets/base.css in front: one file per page, one copy of the shared rules. */
export const ON_BASE_STYLESHEET: readonly Stylesheet[] = ['participant', 'form', 'hr', 'handler'];
export type ClientScript = (typeof CLIENT_SCRIPTS)[number];

export function assetPath(name: Stylesheet | ClientScript, extension: 'css' | 'js'): string {
  return `/assets/${name}.${extension}`;
}
