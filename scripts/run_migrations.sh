#!/bin/sh
# Migrate the database safely before the app starts (container entrypoint, Cloud Build step).
#   scripts/run_migrations.sh [deploy options] [-- CMD ARGS...]    (--help lists the options)
# Exit 0 migrated and verified (then CMD replaces this process), 1 migration or verification
# failed, 2 environment or connection failed. All logic lives in backend/db/deploy/.
set -eu
cd "$(dirname "$0")/.."
python="${PYTHON:-python}"
if ! command -v "$python" >/dev/null 2>&1; then
    echo "run_migrations.sh: no $python here; set PYTHON to the interpreter that has the project (pip install .)" >&2
    exit 2
fi
exec "$python" -m backend.db.deploy "$@"
