import mongoose from 'mongoose';
import { traceStoreCommands } from './commandTrace';

/**
 * BY_ID_ONLY: every lookup on a busy path is a filter of exactly `{ _id: … }`.
 * FerretDB 1.x on SQLite (the embedded store) pushes only that filter down
 * to SQLite; any other filter, even `_id` plus one more field, reads and
 * decodes the whole collection, which made each contract slower than the
 * one before. So records are keyed by their natural id (contract id, token
 * hash, idempotency key), and per-process lists (links, audit events,
 * document versions) are small documents keyed by the process or document.
 * Listing pages for staff may still scan; MongoDB serves both from indexes.
 *
 * Also of FerretDB 1.24: a $set that replaces an embedded document with one
 * of other keys but the same values ({ read: 1 } by { sent: 1 }) is taken
 * for no change. Counts keyed by name are stored with every key present
 * (store/letterPageTallies.ts).
 */

/**
 * One mongoose connection for the process. Commands are not buffered: when
 * the store is down, calls fail at once so the API can answer 503 and
 * activities can retry with Temporal's backoff instead of hanging.
 */
export async function connectStore(uri: string): Promise<typeof mongoose> {
  mongoose.set('bufferCommands', false);
  mongoose.set('autoIndex', true);
  const trace = process.env.SINETTI_STORE_TRACE;
  const connected = await mongoose.connect(uri, {
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    monitorCommands: Boolean(trace),
  });
  if (trace) traceStoreCommands(connected.connection, trace);
  return connected;
}

export function isStoreConnected(): boolean {
  return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
}

export async function pingStore(): Promise<boolean> {
  try {
    if (!isStoreConnected() || !mongoose.connection.db) return false;
    await mongoose.connection.db.admin().ping();
    return true;
  } catch {
    return false;
  }
}

export async function disconnectStore(): Promise<void> {
  await mongoose.disconnect();
}

/** Errors that mean "the store is unreachable right now", as opposed to a bad request. */
export function isStoreUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    [
      'MongoNetworkError',
      'MongoServerSelectionError',
      'MongooseServerSelectionError',
      'MongoNotConnectedError',
      'MongoNetworkTimeoutError',
      'MongoTopologyClosedError',
    ].includes(error.name) || /before initial connection is complete|Client must be connected|connection .* closed/i.test(error.message)
  );
}
