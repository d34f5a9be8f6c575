#!/bin/sh
# One-shot (temporal-namespace service): creates deskflow's namespace with its retention, or sets the
# retention of an existing one (a namespace made by an older set-up may keep closed runs for only a day).
# Retries while the frontend is still starting or the namespace is still propagating.
set -eu
: "${TEMPORAL_NAMESPACE:?}"
: "${NAMESPACE_RETENTION:?}"

try() {
  attempt=0
  until "$@"; do
    attempt=$((attempt + 1))
    [ "$attempt" -lt 30 ] || { echo "gave up after $attempt attempts: $*" >&2; return 1; }
    sleep 2
  done
}

try temporal operator cluster health
if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  try temporal operator namespace update --namespace "$TEMPORAL_NAMESPACE" --retention "$NAMESPACE_RETENTION"
  echo "namespace $TEMPORAL_NAMESPACE exists; retention set to $NAMESPACE_RETENTION"
else
  try temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$NAMESPACE_RETENTION" \
    --description "deskflow: one workflow per support ticket"
  echo "namespace $TEMPORAL_NAMESPACE created with retention $NAMESPACE_RETENTION"
fi
