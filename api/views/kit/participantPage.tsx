import type { ComponentChildren } from 'preact';
import { textsFor } from '../../../texts/catalog';
import type { Language } from '../../../texts/language';
import type { ClientScript, Stylesheet } from '../../assets/assetNames';
import { LanguageMenu } from './languageMenu';
import { renderPage, Shell } from './page';

/**
 * A page for people outside the organisation (signers, checkers,
 * applicants, the public): mobile first, large targets, visible focus,
 * colours that pass WCAG AA contrast, the organisation's name on top and
 * the page offered in the other languages.
 */
export interface ParticipantPageProps {
  language: Language;
  title: string;
  organization: string;
  /** Where the page is in another language; no language menu when omitted. */
  languageLink?: (language: Language) => string;
  /** The language menu's name, when the page calls it something else than the catalog's `languageMenu`. */
  languageMenuLabel?: string;
  stylesheet?: Stylesheet;
  script?: ClientScript;
  children: ComponentChildren;
}

export function participantPage(p: ParticipantPageProps): string {
  return renderPage(
    <Shell
      language={p.language}
      title={`${p.title} – ${p.organization}`}
      stylesheet={p.stylesheet ?? 'participant'}
      script={p.script}
      skipText={textsFor(p.language).skipToContent}
      header={
        <>
          <p>{p.organization}</p>
          {p.languageLink ? <LanguageMenu current={p.language} href={p.languageLink} label={p.languageMenuLabel} /> : null}
        </>
      }
    >
      {p.children}
    </Shell>,
  );
}

/** A page that explains why nothing can be done here (a closed link, an ended process) in one heading and its text. */
export function explanationPage(p: { language: Language; organization: string; heading: string; texts: (string | undefined)[] }): string {
  return participantPage({
    language: p.language,
    title: p.heading,
    organization: p.organization,
    children: (
      <>
        <h1>{p.heading}</h1>
        <section>
          {p.texts.filter(Boolean).map((text) => (
            <p>{text}</p>
          ))}
        </section>
      </>
    ),
  });
}
