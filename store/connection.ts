import mongoose from 'mongoose';

/**
 * One mongoose connection for the process. Commands are not buffered: when
 * the store is down, calls fail at once so the API can answer 503 and
 * activities can retry with Temporal's backoff instead of hanging.
 */
export async function connectStore(uri: string): Promise<typeof mongoose> {
  mongoose.set('bufferCommands', false);
  mongoose.set('autoIndex', true);
  return mongoose.connect(uri, { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000 });
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
  return ['MongoNetworkError', 'MongoServerSelectionError', 'MongooseServerSelectionError', 'MongoNotConnectedError', 'MongoNetworkTimeoutError', 'MongoTopologyClosedError'].includes(error.name)
    || /before initial connection is complete|Client must be connected|connection .* closed/i.test(error.message);
}
