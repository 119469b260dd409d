import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import { testConfig } from './testStack';

/**
 * Connects the suite to the test store with command monitoring and collects the filter of every command on
 * the collections `collections` matches, so a test can check that a busy path reads by `{ _id }` only: on the
 * embedded store any other filter scans the whole collection (BY_ID_ONLY in store/connection.ts).
 */
export function recordStoreFilters(collections: RegExp): Record<string, unknown>[] {
  const filters: Record<string, unknown>[] = [];
  const record = (event: CommandStartedEvent) => {
    const command = event.command as { filter?: Record<string, unknown>; updates?: { q: Record<string, unknown> }[] };
    const filter = command.filter ?? command.updates?.[0]?.q;
    const collection = (event.command as Record<string, unknown>)[event.commandName];
    if (filter && typeof collection === 'string' && collections.test(collection)) filters.push(filter);
  };
  beforeAll(async () => {
    mongoose.set('bufferCommands', false);
    await mongoose.connect(testConfig().mongodb.uri, { monitorCommands: true });
    mongoose.connection.getClient().on('commandStarted', record);
  });
  afterAll(async () => {
    await mongoose.disconnect();
  });
  return filters;
}
