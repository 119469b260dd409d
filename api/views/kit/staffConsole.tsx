import type { ComponentChildren } from 'preact';
import { textsFor } from '../../../texts/catalog';
import type { Language } from '../../../texts/language';
import type { ClientScript, Stylesheet } from '../../assets/assetNames';
import { renderPage, Shell } from './page';

/**
 * A page for the organisation's staff (HR, the registry, case handlers,
 * the secretary, the administrator): the same shell, a header with the
 * console's name and navigation, and, for the consoles that are thin
 * clients of the API, their script from /assets.
 */
export interface StaffConsoleProps {
  language: Language;
  title: string;
  header: ComponentChildren;
  stylesheet: Stylesheet;
  script?: ClientScript;
  children: ComponentChildren;
}

export function staffConsole(p: StaffConsoleProps): string {
  return renderPage(
    <Shell
      language={p.language}
      title={p.title}
      stylesheet={p.stylesheet}
      script={p.script}
      skipText={textsFor(p.language).skipToContent}
      header={p.header}
    >
      {p.children}
    </Shell>,
  );
}
