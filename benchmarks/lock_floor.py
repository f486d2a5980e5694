"""lock-test's floor: the same revisions on tables of the same sizes, without observing them.

``python benchmarks/lock_floor.py --versions DIR --revisions N --rows 5000 --rows 50000``

Run as its own process, like ``migration-guard lock-test``: start the project's embedded server,
then per rehearsal size a fresh database, the base revision, every table it created filled to the
size by the generator (``backend.db.rehearsal.fill``, no NULLs, as lock-test fills them), the
foreign-key columns of the chain pointed at a parent row (one UPDATE and a VACUUM: without it
the chain's ADD FOREIGN KEY fails), then the chain's revisions with a plain ``Stepper`` (one
transaction per revision, no statement hooks). What lock-test does beyond this is its price:
the walk on an empty database that learns what each revision touches, the catalog read before
and after every statement, the row counts before every revision. Prints its phases as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(1, str(BENCH_DIR.parent))

import lock_chain  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from backend.db.migrations_config import script_directory  # noqa: E402
from backend.db.migrator.stepper import Stepper  # noqa: E402
from backend.db.postgres.provider import start_server  # noqa: E402
from backend.db.rehearsal import fill  # noqa: E402
from backend.db.session import scratch_connection  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--versions", type=Path, required=True, help="lock_chain.write_bales_chain's")
    p.add_argument("--revisions", type=int, required=True, help="revisions after the base")
    p.add_argument("--rows", type=int, action="append", required=True, help="a rehearsal size")
    return p.parse_args(argv)


def rehearse(connection, scripts, revisions: int, rows: int, lap) -> None:
    """Base revision, fill, point the keys, the rest of the chain: on one empty database."""
    stepper = Stepper(scripts, connection)
    base, *chain = stepper.upgrade_plan("heads")
    stepper.apply(base, is_upgrade=True)
    tables = ["bales", *lock_chain.parents(revisions)]
    fill(connection, dict.fromkeys(tables, rows), shapes=False, nulls=False)
    columns = ", ".join(
        f"source_{k}_id = (SELECT min(id) FROM {parent})"
        for k, parent in enumerate(lock_chain.parents(revisions))
    )
    connection.execute(sa.text(f"UPDATE bales SET {columns}"))
    connection.commit()
    connection.execution_options(isolation_level="AUTOCOMMIT")
    connection.execute(sa.text("VACUUM bales"))
    connection.commit()
    connection.execution_options(isolation_level=connection.default_isolation_level)
    lap(f"fill {rows:,}")
    stepper.walk([(script, True) for script in chain])
    lap(f"revisions {rows:,}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    phases: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = now - clock[0]
        clock[0] = now

    scripts = script_directory(args.versions.resolve())
    server = start_server("embedded")
    lap("start server")
    try:
        for rows in args.rows:
            url = server.fresh_database("lockfloor")
            with scratch_connection(url) as connection:
                rehearse(connection, scripts, args.revisions, rows, lap)
            server.drop_database(url)
    finally:
        server.close()
    lap("stop")
    print(json.dumps({"phases_s": phases}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
