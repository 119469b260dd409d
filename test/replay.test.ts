import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import * as workflows from '../workflows';
import { sinettiDataConverter } from '../common/payloadKeys';
import { testConfig, workflowBundle } from './support/testStack';

/**
 * Every workflow type must replay its recorded histories with today's code:
 * a change that would break running processes fails here, before it ships.
 * A workflow type without a recorded history fails too.
 */
const HISTORIES = path.join(__dirname, 'histories');
const recorded = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  it.each(Object.keys(workflows))('%s has at least one recorded history', (workflowType) => {
    expect(recorded.filter((f) => f.startsWith(workflowType))).not.toHaveLength(0);
  });

  it.each(recorded)('%s replays deterministically', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8')));
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle(), dataConverter: sinettiDataConverter(testConfig()) },
      history,
      file.replace(/\.json$/, ''),
    );
  });
});
