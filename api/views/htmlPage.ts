import escapeHtml from 'escape-html';

/**
 * The one HTML shell Sinetti's pages are served in: the language, a
 * viewport for phones, the title, the page's style, a header bar with the
 * organisation's name (and whatever navigation the page has), the main
 * content and, for the few pages that need one, a script.
 */
export interface HtmlPage {
  language: string;
  /** Already the whole title, e.g. "Sign – Esimerkkilän kunta". */
  title: string;
  style: string;
  /** The header bar's content; the organisation's name in a paragraph when omitted. */
  header: string;
  body: string;
  script?: string;
  /** Pages reached through a personal link keep it out of Referer headers. */
  noReferrer?: boolean;
}

export function htmlPage(page: HtmlPage): string {
  return `<!doctype html><html lang="${escapeHtml(page.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + (page.noReferrer ? '<meta name="referrer" content="no-referrer">' : '')
    + `<title>${escapeHtml(page.title)}</title>${page.style ? `<style>${page.style}</style>` : ''}</head>`
    + `<body><header>${page.header}</header><main id="main">${page.body}</main>${page.script ? `<script>${page.script}</script>` : ''}</body></html>`;
}

/** The other languages a page is offered in, each link named in its own language. */
export function languageNav<L extends string>(label: string, current: L, languages: readonly L[], link: (language: L) => { href: string; name: string }): string {
  const items = languages.filter((l) => l !== current).map((l) => {
    const { href, name } = link(l);
    return `<li><a href="${escapeHtml(href)}" lang="${l}" hreflang="${l}">${escapeHtml(name)}</a></li>`;
  });
  return `<nav aria-label="${escapeHtml(label)}"><ul>${items.join('')}</ul></nav>`;
}

/**
 * The look of the pages behind personal links (signers, checkers): mobile
 * first, large targets, visible focus, colours that pass WCAG AA contrast.
 */
export const PARTICIPANT_PAGE_STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1.0625rem;line-height:1.5;color:#1b1b1b;background:#f4f5f7}
header{background:#123c69;color:#fff;padding:.75rem 1rem}header p{margin:0;font-weight:600}
nav ul{list-style:none;margin:.5rem 0 0;padding:0;display:flex;gap:1rem}nav a{color:#fff}
main{max-width:44rem;margin:0 auto;padding:1rem}section,fieldset{background:#fff;border:1px solid #c9ced6;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:0 0 .75rem}h3{font-size:1.05rem;margin:.75rem 0 .25rem}dl{margin:0}dt{font-weight:600}dd{margin:0 0 .5rem}
ol{padding-left:1.25rem}img{width:100%;height:auto;border:1px solid #c9ced6;margin:.25rem 0 .75rem}
a{color:#0b4f9c}a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #c45500;outline-offset:2px}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}.check{display:flex;gap:.75rem;align-items:flex-start;font-weight:400}
.check input{width:1.5rem;height:1.5rem;flex:none;margin-top:.1rem}
input[type=text],input[type=number],textarea{width:100%;font:inherit;padding:.6rem;border:2px solid #5a6270;border-radius:.25rem}
.hint{color:#4a4f57;font-size:.95rem;margin:.25rem 0}.error{color:#a4000f;font-weight:600}
button{font:inherit;font-weight:600;min-height:3rem;width:100%;margin-top:1rem;border-radius:.4rem;border:2px solid #123c69;cursor:pointer}
.primary{background:#123c69;color:#fff}.secondary{background:#fff;color:#123c69}
.errors{border:2px solid #a4000f}.hash{word-break:break-all;font-family:monospace;font-size:.85rem}
del{background:#fde8e8;color:#6b0000}ins{background:#e3f4e6;color:#0b4d1c;text-decoration:none}ul.diff{list-style:none;padding:0}ul.diff li{margin:.15rem 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;border-bottom:1px solid #c9ced6;padding:.35rem .25rem;vertical-align:top}
`;
