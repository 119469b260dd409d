#!/usr/bin/env bash
# The one-shot schema job: creates Temporal's two PostgreSQL databases on
# first run and brings both schemas up to the server version's (a no-op
# when they are current). docker-compose.yml runs it with the admin-tools
# image before any server service starts; `npm run start:cluster` does the
# same steps itself (scripts/cluster/temporalServer.ts).
# Usage: SQL_HOST=… SQL_PORT=5432 SQL_USER=… SQL_PASSWORD=… setup-temporal-schema.sh
set -euo pipefail
: "${SQL_HOST:?set SQL_HOST}" "${SQL_USER:?set SQL_USER}" "${SQL_PASSWORD:?set SQL_PASSWORD}"
export SQL_PORT="${SQL_PORT:-5432}" SQL_PLUGIN=postgres12
SQL_TOOL="${SQL_TOOL:-temporal-sql-tool}"

for pair in temporal=postgresql/v12/temporal temporal_visibility=postgresql/v12/visibility; do
  db="${pair%%=*}"; schema="${pair##*=}"
  # A new database starts at schema version 0.0; an existing one keeps its version.
  if "$SQL_TOOL" --db "$db" create-database 2>/dev/null; then
    "$SQL_TOOL" --db "$db" setup-schema -v 0.0
  fi
  "$SQL_TOOL" --db "$db" update-schema --schema-name "$schema"
done
