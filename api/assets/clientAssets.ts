import fs from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { Router } from 'express';
import { CLIENT_SCRIPTS, ON_BASE_STYLESHEET, STYLESHEETS } from './assetNames';

/**
 * The pages' stylesheets (api/assets/*.css) and scripts (api/client/*.ts,
 * bundled by esbuild) served as /assets/<name>.css|js, so the CSP allows
 * them by path ('self') and no page carries inline script or style. Built
 * once, on the first request (or by `warmUp` at start-up), and kept in memory.
 */

interface Asset {
  body: string;
  type: string;
}

/** The source tree's api/ folder, from the sources (tsx, jest) or from dist/ (a built image keeps the sources beside it). */
function sourceDir(): string {
  const here = __dirname;
  const distMarker = `${path.sep}dist${path.sep}api${path.sep}`;
  const index = here.lastIndexOf(distMarker);
  return index >= 0 ? path.join(here.slice(0, index), 'api') : path.resolve(here, '..');
}

async function buildAssets(): Promise<Map<string, Asset>> {
  const api = sourceDir();
  const assets = new Map<string, Asset>();
  const base = await fs.readFile(path.join(api, 'assets', 'base.css'), 'utf8');
  for (const name of STYLESHEETS) {
    const own = await fs.readFile(path.join(api, 'assets', `${name}.css`), 'utf8');
    assets.set(`${name}.css`, {
      body: ON_BASE_STYLESHEET.includes(name) ? base + own : own,
      type: 'text/css; charset=utf-8',
    });
  }
  const scripts = await build({
    entryPoints: CLIENT_SCRIPTS.map((name) => path.join(api, 'client', `${name}.ts`)),
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    minify: true,
    outdir: 'out',
    logLevel: 'silent',
  });
  for (const file of scripts.outputFiles) {
    assets.set(path.basename(file.path), { body: file.text, type: 'text/javascript; charset=utf-8' });
  }
  return assets;
}

/** Built once per process, however many apps are created (tests create many). */
let built: Promise<Map<string, Asset>> | undefined;

function assets(): Promise<Map<string, Asset>> {
  built ??= buildAssets().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

export function clientAssets(): { router: Router; warmUp: () => Promise<void> } {
  const router = Router();
  router.get('/assets/:file', async (req, res) => {
    const asset = (await assets()).get(String(req.params.file));
    if (!asset) {
      res.status(404).json({ error: 'not_found', message: `No such asset: ${req.params.file}.` });
      return;
    }
    res.set({ 'Content-Type': asset.type, 'Cache-Control': 'no-cache' }).send(asset.body);
  });
  return {
    router,
    warmUp: async () => {
      await assets();
    },
  };
}
