#!/bin/sh
# Migrate the database safely before the app starts (container entrypoint, Cloud Build step).
#   scripts/run_migrations.sh [deploy options] [-- CMD ARGS...]
# Exit 0 migrated and verified (then CMD replaces this process), 1 migration or verification
# failed, 2 environment or connection failed. All logic lives in backend/db/deploy/.
set -eu
cd "$(dirname "$0")/.."
exec "${PYTHON:-python}" -m backend.db.deploy "$@"
