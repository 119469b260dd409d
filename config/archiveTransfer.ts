import path from 'node:path';
import { z } from 'zod';

/**
 * Where archive transfer packages are pushed: a directory the archive
 * (or its ingest job) reads, e.g. a mounted share. Each package appears
 * there whole, as one directory (integrations/archive/archivePackage.ts).
 */
const environment = z.object({
  ARCHIVE_TRANSFER_DIR: z.string().optional(),
  /** How often finished processes are looked for and their packages pushed (integrations/archive/archiveTransferWatch.ts); 0: only on demand. */
  ARCHIVE_TRANSFER_WATCH_MS: z.coerce.number().int().min(0).default(60_000),
});

export interface ArchiveTransferConfig {
  directory: string;
  watchIntervalMs: number;
}

export function loadArchiveTransferConfig(env: NodeJS.ProcessEnv, dataDir: string): ArchiveTransferConfig {
  const parsed = environment.parse(env);
  return {
    directory: path.resolve(parsed.ARCHIVE_TRANSFER_DIR ?? path.join(dataDir, 'archive-transfer')),
    watchIntervalMs: parsed.ARCHIVE_TRANSFER_WATCH_MS,
  };
}
