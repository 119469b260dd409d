#!/usr/bin/env bash
# Registers Sinetti's custom search attributes on an existing Temporal cluster
# (the embedded dev server registers them itself at start). Safe to re-run.
# Usage: TEMPORAL_ADDRESS=host:7233 [TEMPORAL_NAMESPACE=default] scripts/create-search-attributes.sh
set -euo pipefail
ADDRESS="${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
# Kept in step with workflows/searchAttributes.ts (a test compares the two).
ATTRIBUTES="ProcessType=Keyword ProcessStatus=Keyword WaitingFor=Keyword DeadlineAt=Datetime Organization=Keyword CaseNumber=Keyword Body=Keyword StepSince=Datetime WaitingUntil=Datetime NameTokens=KeywordList"

existing="$(temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" 2>/dev/null || true)"
for pair in $ATTRIBUTES; do
  name="${pair%%=*}"; type="${pair##*=}"
  if grep -qw "$name" <<<"$existing"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" --name "$name" --type "$type"
  fi
done
