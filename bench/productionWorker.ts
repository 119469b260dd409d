import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/**
 * Benchmarks measure the worker as production runs it: compiled JavaScript
 * with the workflows bundled ahead of time (`npm run build`), not tsx.
 */
export function productionWorkerArgs(): string[] {
  const entry = path.join(ROOT, 'dist', 'worker', 'main.js');
  const fresh = fs.existsSync(entry) && fs.statSync(entry).mtimeMs > fs.statSync(path.join(ROOT, 'worker', 'main.ts')).mtimeMs;
  if (!fresh || !fs.existsSync(path.join(ROOT, 'dist', 'workflow-bundle.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  return [entry];
}
