import fs from 'node:fs';
import type { Connection } from 'mongoose';

/**
 * A development aid: with SINETTI_STORE_TRACE=<file>, every store command's
 * operation, collection and filter shape (field names, never values) is
 * appended to <file>.<pid> as a JSON line. `sort | uniq -c` over it shows
 * which filters are not `{ _id }` and so scan on FerretDB (see BY_ID_ONLY).
 */
export function traceStoreCommands(connection: Connection, file: string): void {
  const path = `${file}.${process.pid}`;
  connection.getClient().on('commandStarted', (event) => {
    const command = event.command as Record<string, unknown> & {
      updates?: { q: unknown }[];
      deletes?: { q: unknown }[];
      documents?: unknown[];
    };
    const filter = command.filter ?? command.query ?? command.updates?.[0]?.q ?? command.deletes?.[0]?.q;
    const line = {
      op: event.commandName,
      collection: command[event.commandName],
      filter: shapeOf(filter),
      documents: command.documents?.length,
    };
    fs.appendFileSync(path, `${JSON.stringify(line)}\n`);
  });
}

function shapeOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || '_bsontype' in value) return '?';
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]));
}
