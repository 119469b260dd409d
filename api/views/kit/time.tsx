import type { VNode } from 'preact';
import { helsinkiTime } from '../../../common/helsinkiTime';
import type { Language } from '../../../texts/language';

/** A moment as people in Finland read it, in their language: "30. marraskuuta 2026 klo 15.08" (long) or "30.11.2026 klo 15.08" (medium). */
export function readableTime(at: Date | string, language: Language, detail: 'long' | 'medium' = 'long'): string {
  return helsinkiTime(at, language, detail, 'short');
}

/** The same moment as a <time> element, machine-readable in its datetime. */
export function Time(p: { at: Date | string; language: Language; detail?: 'long' | 'medium' }): VNode {
  return <time datetime={new Date(p.at).toISOString()}>{readableTime(p.at, p.language, p.detail)}</time>;
}

const TIME_CONNECTOR: Record<Language, string> = { fi: 'klo', sv: 'kl.', en: 'at' };

/** A moment in Helsinki time with the date as Finland writes it in every language: "30.11.2026 klo 15.08", "30.11.2026 at 15.08". */
export function finnishTime(at: Date | string, language: Language): string {
  const date = helsinkiTime(at, 'fi', 'short', 'short').split(' ')[0];
  const time = helsinkiTime(at, 'fi', 'short', 'short').split(' ').at(-1);
  return `${date} ${TIME_CONNECTOR[language]} ${time}`;
}
