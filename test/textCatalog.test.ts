import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { type Catalog, textsFor } from '../texts/catalog';
import { LANGUAGES } from '../texts/language';

/**
 * The language catalogs are typed so that a text missing in Swedish or
 * English fails the build. This test proves it the way the build would:
 * it compiles a copy of the Swedish catalog with one text taken out and
 * expects the compiler to name that text.
 */

const root = path.resolve(__dirname, '..');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sinetti-catalog-'));

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** The Swedish catalog, its imports pointed back at texts/, with `edit` applied; the compiler's errors for it. */
function compileSwedish(edit: (source: string) => string): string[] {
  const source = fs
    .readFileSync(path.join(root, 'texts', 'sv.ts'), 'utf8')
    .replace(/from '\.\/(\w+)'/g, (_, file: string) => `from '${path.join(root, 'texts', file).replace(/\\/g, '/')}'`);
  const file = path.join(workDir, `sv-${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(file, edit(source));
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  const program = ts.createProgram([file], { ...config!.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('text catalogs', () => {
  it('compile as they are', () => {
    expect(compileSwedish((source) => source)).toEqual([]);
  }, 60_000);

  it('fail to compile when one language lacks a text, naming the text', () => {
    const removed = "    signedHeading: 'Tack, du har undertecknat dokumentet',\n";
    const errors = compileSwedish((source) => {
      expect(source).toContain(removed);
      return source.replace(removed, '');
    });
    expect(errors.join('\n')).toMatch(/Property 'signedHeading' is missing/);
  }, 60_000);

  it('have the same texts in every language, down to every leaf', () => {
    const shape = (value: unknown): unknown =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]))
        : typeof value;
    const fi: Catalog = textsFor('fi');
    for (const language of LANGUAGES) expect(shape(textsFor(language))).toEqual(shape(fi));
  });
});
