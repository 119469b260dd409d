import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { locateTool } from '../../scripts/embeddedStack';
import { type TestStack } from './testStack';

/**
 * With SINETTI_RECORD_HISTORIES=1, saves a finished workflow's history as
 * test/histories/<workflowType>.json for the replay test. The Temporal CLI
 * writes the JSON, in the same form the Web UI downloads.
 */
export function recordHistoryIfAsked(stack: TestStack, workflowId: string, workflowType: string): void {
  if (process.env.SINETTI_RECORD_HISTORIES !== '1') return;
  const json = execFileSync(
    locateTool('temporal'),
    [
      'workflow',
      'show',
      '--address',
      stack.config.temporal.address,
      '--namespace',
      stack.config.temporal.namespace,
      '--workflow-id',
      workflowId,
      '--output',
      'json',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  fs.writeFileSync(path.join(__dirname, '..', 'histories', `${workflowType}.json`), json);
}
