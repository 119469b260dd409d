import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chaosBenchmark } from './chaos';
import { clusterBenchmark } from './cluster';
import { contractsBenchmark } from './contracts';
import { hostileUploadsBenchmark } from './hostileUploads';
import { letterBatchBenchmark } from './letterBatch';
import { sealingBenchmark } from './sealing';
import { webhooksDuringLettersBenchmark } from './webhooksDuringLetters';
import { atScaleBenchmark } from './atScale';

/**
 * `npm run bench [-- name …]`: runs the benchmarks (all, or the named ones)
 * and writes their sections into BENCHMARKS.md. A section is everything
 * from its "## " heading to the next; sections of benchmarks not run this
 * time are kept as they were, so a partial run never wipes the others.
 * Targets are stated as ratios against a peer measured in the same run
 * where they can be, because these machines are shared and noisy.
 */
const BENCHMARKS: { name: string; run: () => Promise<string> }[] = [
  { name: 'sealing', run: sealingBenchmark },
  { name: 'contracts', run: contractsBenchmark },
  { name: 'letters', run: letterBatchBenchmark },
  { name: 'uploads', run: hostileUploadsBenchmark },
  { name: 'webhooks', run: webhooksDuringLettersBenchmark },
  { name: 'cluster', run: clusterBenchmark },
  { name: 'scale', run: atScaleBenchmark },
  { name: 'chaos', run: chaosBenchmark },
];

const FILE = path.join(__dirname, '..', 'BENCHMARKS.md');

/** The file's "## " sections by heading, in order; the preamble before them is dropped (it is rewritten). */
export function sectionsOf(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  let heading: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (heading) sections.set(heading, lines.join('\n').trimEnd());
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) {
      flush();
      heading = line;
      lines = [line];
    } else if (heading) {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length) throw new Error(`Unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const sections = sectionsOf(fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '');
  for (const benchmark of BENCHMARKS) {
    if (only.length && !only.includes(benchmark.name)) continue;
    console.error(`bench: ${benchmark.name}…`);
    const output = (await benchmark.run()).trimEnd();
    if (!output.startsWith('## ')) throw new Error(`Benchmark ${benchmark.name} must start its section with a "## " heading`);
    // A benchmark may write several sections (sealing writes its B-LTA one too); each replaces its namesake.
    for (const [heading, section] of sectionsOf(output)) sections.set(heading, section);
  }
  const header = [
    '# Benchmarks',
    '',
    `Last run: \`npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 10)}:`,
    `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    only.length ? 'Sections of benchmarks not named in that run are kept from earlier runs.' : '',
    '',
  ].filter((line, i, all) => line !== '' || all[i - 1] !== '');
  const text = [...header, [...sections.values()].join('\n\n'), ''].join('\n');
  fs.writeFileSync(FILE, text);
  console.log(text);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
