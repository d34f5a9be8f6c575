#!/bin/sh
# deskflow container entrypoint. Secrets arrive as files (compose secrets under /run/secrets, Kubernetes
# secret volumes): for each NAME below whose NAME_FILE is set, NAME is exported with the file's content
# (trailing newline dropped) and NAME_FILE removed. An unreadable file stops the container, naming it; an
# empty file leaves NAME unset, so the configuration's own check ("required when ...") names what is missing.
set -eu

for name in JIRA_EMAIL JIRA_API_TOKEN SLACK_BOT_TOKEN AHA_API_TOKEN WEBHOOK_SECRET TEMPORAL_API_KEY; do
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

exec "$@"
