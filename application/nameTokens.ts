import { createHmac, hkdfSync } from 'node:crypto';
import type { SearchAttributePair } from '@temporalio/common';
import { type SinettiConfig } from '../config/config';
import { loadPayloadKeys } from '../common/payloadKeys';
import { NameTokens } from '../workflows/searchAttributes';

/**
 * Search by a person's name without the name in Temporal. Each word of a
 * name, normalised ("Äijälä-Virtanen" → "äijälä", "virtanen"), is stored as
 * a keyed hash in the NameTokens search attribute; a search hashes the typed
 * word the same way and asks visibility for that token. Without the key a
 * token tells nothing (a plain hash of a common first name could be looked
 * up in a list of names; an HMAC cannot).
 *
 * The key is derived from the oldest payload key (common/payloadKeys.ts),
 * which rotation keeps listed for as long as old payloads must decode, so
 * no extra secret needs handing out.
 */

const TOKEN_HEX_CHARS = 24;

/** The words of a name as searched: lower case, letters only (hyphens and apostrophes split), at least two letters. */
export function nameWords(name: string): string[] {
  const words = name
    .normalize('NFC')
    .toLocaleLowerCase('fi')
    .split(/[^\p{L}]+/u)
    .filter((word) => word.length >= 2);
  return [...new Set(words)];
}

export class NameTokenizer {
  private readonly key: Buffer;

  constructor(config: SinettiConfig) {
    const keys = loadPayloadKeys(config);
    const oldest = keys[keys.length - 1];
    this.key = Buffer.from(hkdfSync('sha256', oldest.key, Buffer.alloc(0), 'sinetti name search tokens', 32));
  }

  token(word: string): string {
    return createHmac('sha256', this.key).update(word).digest('hex').slice(0, TOKEN_HEX_CHARS);
  }

  /** The tokens for every word of these names (one process's people). */
  tokensOf(names: (string | undefined)[]): string[] {
    return [...new Set(names.flatMap((name) => (name ? nameWords(name) : [])).map((word) => this.token(word)))];
  }
}

const tokenizers = new WeakMap<SinettiConfig, NameTokenizer>();

/** One tokenizer per configuration (deriving the key reads the key file and runs HKDF). */
export function nameTokenizerFor(config: SinettiConfig): NameTokenizer {
  let tokenizer = tokenizers.get(config);
  if (!tokenizer) tokenizers.set(config, (tokenizer = new NameTokenizer(config)));
  return tokenizer;
}

/** The start's search attributes that make a process findable by these people's names: their tokens, none when there are none. */
export function nameTokenAttributes(tokens: string[]): SearchAttributePair[] {
  return tokens.length ? [{ key: NameTokens, value: tokens }] : [];
}

/** nameTokenAttributes for the names themselves. */
export function nameSearchAttributes(config: SinettiConfig, names: (string | undefined)[]): SearchAttributePair[] {
  return nameTokenAttributes(nameTokenizerFor(config).tokensOf(names));
}
