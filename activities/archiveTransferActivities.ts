import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { SinettiError } from '../common/errors';
import { type ArchivePackageDeps, buildArchivePackage, writePackage } from '../integrations/archive/archivePackage';

/**
 * Builds a finished process's archive package and pushes it to the
 * configured directory. Returns ids and counts only: the package's
 * contents never pass through Temporal.
 */

export interface ArchiveTransferDeps extends ArchivePackageDeps {
  destination: string;
}

export interface TransferResult {
  packageId: string;
  files: number;
  bytes: number;
  written: boolean;
  signatures: number;
  validation: string;
}

export function createArchiveTransferActivities(deps: ArchiveTransferDeps) {
  return {
    async transferArchivePackage(input: { processId: string }): Promise<TransferResult> {
      let pkg;
      try {
        pkg = await buildArchivePackage(deps, input.processId);
      } catch (error) {
        if (error instanceof SinettiError && error.status < 500)
          throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
        throw error;
      }
      Context.current().heartbeat();
      const { written } = writePackage(pkg, deps.destination);
      return {
        packageId: pkg.packageId,
        files: pkg.files.length,
        bytes: pkg.files.reduce((sum, f) => sum + f.bytes.length, 0),
        written,
        signatures: pkg.metadata.Record.Signatures.length,
        validation: pkg.metadata.Record.Signatures.every((s) => s.Valid) ? 'valid' : 'invalid',
      };
    },
  };
}

export type ArchiveTransferActivities = ReturnType<typeof createArchiveTransferActivities>;
