#!/bin/sh
# deskflow container entrypoint. Secrets arrive as files (compose secrets under /run/secrets, Kubernetes
# secret volumes): for each NAME below whose NAME_FILE is set, NAME is exported with the file's content
# (trailing newline dropped) and NAME_FILE removed. An unreadable file stops the container, naming it; an
# empty file leaves NAME unset. Every name in DESKFLOW_REQUIRED_VARIABLES (space-separated) must then be
# non-empty, or the container stops at once, naming what is missing: the relay requires WEBHOOK_SECRET this
# way, the worker JIRA_HOST and its tokens (without JIRA_HOST it would quietly talk to the sandbox).
set -eu

for name in JIRA_EMAIL JIRA_API_TOKEN SLACK_BOT_TOKEN AHA_API_TOKEN WEBHOOK_SECRET TEMPORAL_API_KEY DESKFLOW_CODEC_KEYS; do
  eval "file=\${${name}_FILE:-}"
  [ -n "$file" ] || continue
  if [ ! -r "$file" ]; then
    echo "deskflow: ${name}_FILE points at $file, which cannot be read" >&2
    exit 64
  fi
  value=$(cat "$file")
  unset "${name}_FILE"
  if [ -n "$value" ]; then
    export "$name=$value"
  fi
done

missing=''
for name in ${DESKFLOW_REQUIRED_VARIABLES:-}; do
  case $name in
    *[!A-Z0-9_]* | [0-9]*) echo "deskflow: DESKFLOW_REQUIRED_VARIABLES: '$name' is not a variable name" >&2; exit 64 ;;
  esac
  eval "value=\${${name}:-}"
  [ -n "$value" ] || missing="$missing $name"
done
if [ -n "$missing" ]; then
  echo "deskflow: required variables missing or empty:$missing (set NAME, or NAME_FILE for a secret file)" >&2
  exit 64
fi
unset DESKFLOW_REQUIRED_VARIABLES value

exec "$@"
