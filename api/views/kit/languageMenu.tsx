import type { VNode } from 'preact';
import { textsFor } from '../../../texts/catalog';
import { type Language, LANGUAGES } from '../../../texts/language';

/** The other languages a page is offered in, each link named in its own language. */
export function LanguageMenu(p: { current: Language; href: (language: Language) => string; label?: string }): VNode {
  return (
    <nav aria-label={p.label ?? textsFor(p.current).languageMenu}>
      <ul>
        {LANGUAGES.filter((l) => l !== p.current).map((l) => (
          <li key={l}>
            <a href={p.href(l)} lang={l} hreflang={l}>
              {textsFor(l).languageName}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
