import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { letterBatchBenchmark } from './letterBatch';
import { sealingBenchmark } from './sealing';

/**
 * `npm run bench`: runs every benchmark and rewrites BENCHMARKS.md with the
 * command, the machine and the numbers of this run. Targets are stated as
 * ratios against a peer measured in the same run, because these machines
 * are shared and noisy.
 */
const BENCHMARKS: { name: string; run: () => Promise<string> }[] = [
  { name: 'sealing', run: sealingBenchmark },
  { name: 'letters', run: letterBatchBenchmark },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const sections: string[] = [];
  for (const benchmark of BENCHMARKS) {
    if (only.length && !only.includes(benchmark.name)) continue;
    console.error(`bench: ${benchmark.name}…`);
    sections.push(await benchmark.run());
  }
  const header = [
    '# Benchmarks',
    '',
    `Produced by \`npm run bench${only.length ? ` -- ${only.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 10)}:`,
    `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    '',
  ];
  fs.writeFileSync(path.join(__dirname, '..', 'BENCHMARKS.md'), [...header, ...sections].join('\n') + '\n');
  console.log([...header, ...sections].join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
