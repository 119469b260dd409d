import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
/** Everything outside these is source the worker may be built from. */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'data', 'test', 'bench', '.tools', '.git']);

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || NOT_SOURCE.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Benchmarks measure the worker as production runs it: compiled JavaScript
 * with the workflows bundled ahead of time (`npm run build`), not tsx. The
 * build is redone whenever any source file is newer than the bundle, so a
 * benchmark never measures yesterday's code.
 */
export function productionWorkerArgs(): string[] {
  const entry = path.join(ROOT, 'dist', 'worker', 'main.js');
  const bundle = path.join(ROOT, 'dist', 'workflow-bundle.js');
  const fresh =
    fs.existsSync(entry) &&
    fs.existsSync(bundle) &&
    Math.min(fs.statSync(entry).mtimeMs, fs.statSync(bundle).mtimeMs) > newestSourceMtime(ROOT);
  if (!fresh) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  return [entry];
}
