import type { ComponentChildren, VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { assetPath, type ClientScript, type Stylesheet } from '../../assets/assetNames';

/**
 * The one HTML shell every Sinetti page is served in: the language, a
 * viewport for phones, the title, the page's stylesheet, a skip link, a
 * header, the main content and the page's own script, if any. Styles and
 * scripts are files under /assets, so the CSP can allow them by path and
 * nothing runs inline.
 */
export interface ShellProps {
  language: string;
  /** Already the whole title, e.g. "Sign – Esimerkkilän kunta". */
  title: string;
  stylesheet: Stylesheet;
  /** The skip link's text, in the page's language. */
  skipText: string;
  header: ComponentChildren;
  script?: ClientScript;
  children: ComponentChildren;
}

export function Shell(p: ShellProps): VNode {
  return (
    <html lang={p.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{p.title}</title>
        <link rel="stylesheet" href={assetPath(p.stylesheet, 'css')} />
        {p.script ? <script src={assetPath(p.script, 'js')} defer /> : null}
      </head>
      <body>
        <a class="skip" href="#main">
          {p.skipText}
        </a>
        <header>{p.header}</header>
        <main id="main" tabindex={-1}>
          {p.children}
        </main>
      </body>
    </html>
  );
}

/** A whole document (a page, or the HTML of a mail) as the string sent; every interpolated value is escaped by the renderer. */
export function renderPage(page: VNode): string {
  return `<!doctype html>${render(page)}`;
}
