#!/usr/bin/env bash
# Builds the embedded stack's Go tools (Temporal CLI dev server, FerretDB) into
# .tools/bin once; later runs find them there and return at once.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/.tools/bin"
mkdir -p "$BIN"
export GOBIN="$BIN"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

if ! command -v go >/dev/null 2>&1; then
  echo "install-tools: Go is needed to build the Temporal CLI and FerretDB (or set TEMPORAL_ADDRESS and MONGODB_URI)" >&2
  exit 1
fi

if [ ! -x "$BIN/temporal" ] && ! command -v temporal >/dev/null 2>&1; then
  echo "install-tools: building the Temporal CLI v1.5.1 (a few minutes, once)"
  # v1.5.1 is the newest tag whose go.mod has no replace directive.
  go install github.com/temporalio/cli/cmd/temporal@v1.5.1 \
    || go install github.com/temporalio/cli/cmd/temporal@v1.4.1
fi

# Rebuilt when our wrapper module changed since the binary was built (it adds the _id lookup index).
if { [ ! -x "$BIN/ferretdb" ] && ! command -v ferretdb >/dev/null 2>&1; } \
  || { [ -x "$BIN/ferretdb" ] && [ -n "$(find scripts/ferretdb-build -newer "$BIN/ferretdb" -type f)" ]; }; then
  echo "install-tools: building FerretDB v1.24.2 (a few minutes, once)"
  # Built from a small module of our own that pins v1.24.2 and runs FerretDB's
  # embeddable package: upstream's command, built outside its repo, panics
  # for want of a generated version file, and `go install …@v1.24.2` needs a
  # version listing that the module proxy here refuses.
  (cd scripts/ferretdb-build && go install .)
fi

# The cluster mode (scripts/cluster, `npm run start:cluster`): Temporal's
# server, its SQL schema tool and the Web UI server, each under a name of its
# own (all three upstream commands are called `server` or `sql`). The server
# v1.29.1 is the one the CLI above embeds, so most packages are already built.
install_as() {
  local name="$1" package="$2" built
  [ -x "$BIN/$name" ] && return 0
  echo "install-tools: building $name from $package (a minute or two, once)"
  built="$(mktemp -d)"
  GOBIN="$built" go install "$package"
  mv "$built"/* "$BIN/$name"
  rmdir "$built"
}
# Built only when asked (the cluster scripts ask): the dev-server suite and `npm start` do not need them.
if [ "${SINETTI_CLUSTER_TOOLS:-}" = "1" ]; then
  install_as temporal-server go.temporal.io/server/cmd/server@v1.29.1
  install_as temporal-sql-tool go.temporal.io/server/cmd/tools/sql@v1.29.1
  install_as temporal-ui-server github.com/temporalio/ui-server/v2/cmd/server@v2.42.1
fi
