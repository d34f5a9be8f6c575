#!/bin/sh
# One-shot (temporal-search-attributes service): registers deskflow's custom search attributes
# (SEARCH_ATTRIBUTES: space-separated Name=Type) on its namespace. Attributes already present are left
# alone; each step is retried, because a namespace created a moment ago may not have reached every
# frontend yet.
set -eu
: "${TEMPORAL_NAMESPACE:?}"
: "${SEARCH_ATTRIBUTES:?}"

try() {
  attempt=0
  until "$@"; do
    attempt=$((attempt + 1))
    [ "$attempt" -lt 30 ] || { echo "gave up after $attempt attempts: $*" >&2; return 1; }
    sleep 2
  done
}

try temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null
for attribute in $SEARCH_ATTRIBUTES; do
  name=${attribute%%=*}
  type=${attribute#*=}
  try temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" >/tmp/attributes
  if grep -qw "$name" /tmp/attributes; then
    echo "search attribute $name already registered"
  else
    try temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type "$type"
    echo "search attribute $name ($type) registered"
  fi
done
