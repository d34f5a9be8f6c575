#!/bin/sh
# One-shot (temporal-schema service): creates Temporal's two PostgreSQL databases if missing and brings
# their schemas to the version this admin-tools image ships. Safe to re-run: setup-schema -v 0.0 is a
# no-op on an initialised database and update-schema applies only the versions not yet applied.
# Run it again (docker compose run --rm temporal-schema) after raising the Temporal image version.
set -eu

SQL_PASSWORD=$(cat /run/secrets/postgres_password)
export SQL_PLUGIN=postgres12 SQL_HOST=postgresql SQL_PORT=5432 SQL_PASSWORD
: "${SQL_USER:?SQL_USER must name the PostgreSQL user}"
schema_root=/etc/temporal/schema/postgresql/v12

attempt=0
until nc -z -w 5 "$SQL_HOST" "$SQL_PORT"; do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 30 ] || { echo "PostgreSQL at $SQL_HOST:$SQL_PORT did not answer" >&2; exit 1; }
  sleep 2
done

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db=${pair%%:*}
  kind=${pair#*:}
  # The postgres image already created the database named after the user.
  if [ "$db" != "$SQL_USER" ]; then
    temporal-sql-tool --db "$db" create || echo "database $db already exists"
  fi
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$schema_root/$kind/versioned"
  echo "schema of $db ($kind) is current"
done
