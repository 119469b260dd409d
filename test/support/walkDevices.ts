import { type BrowserContextOptions } from 'playwright-core';

/** The two screens every role's walk is made on: a desktop and a phone (no sideways scrolling past its 375 px). */
export const DEVICES: Record<'desktop' | 'phone', BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};

/** Every walk is made on each screen in each of the two national languages. */
export const WALKS = [
  ['desktop', 'fi'],
  ['desktop', 'sv'],
  ['phone', 'fi'],
  ['phone', 'sv'],
] as const;
