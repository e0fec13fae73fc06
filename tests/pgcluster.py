"""A throwaway PostgreSQL cluster for the test suite, on a local socket only.

Standard library only, so the bootstrap can call it before the virtual
environment exists:

    python3 -m tests.pgcluster start DIR   # prints the SQLAlchemy URL of the new cluster
    python3 -m tests.pgcluster stop DIR

When the server binaries are missing and we run as root on Debian/Ubuntu, the
distribution's `postgresql` package is installed first. PostgreSQL refuses to
run as root, so as root the cluster belongs to `nobody`. The server listens on
no TCP port at all: only on a Unix socket inside DIR.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

USER = "dangqun"

# What README (District mode) recommends for the district's server, so the district benchmark measures
# that server. With PostgreSQL's defaults (128 MB of buffers, 4 MB of WAL buffers, a checkpoint every
# 1 GB of WAL) an import of 8 packages checkpointed three times, logged 33,000 whole pages again after
# those checkpoints and filled the WAL buffers 135,000 times; with these, none of it. Memory is taken as
# pages are used, so a test run's cluster costs no more for them.
DISTRICT_SETTINGS = {
    "shared_buffers": "1GB",
    "wal_buffers": "64MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
}


def _bin_dir() -> Path | None:
    for pg_ctl in [shutil.which("pg_ctl"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)]:
        if pg_ctl and Path(pg_ctl).exists():
            return Path(pg_ctl).resolve().parent
    return None


def ensure_server() -> Path:
    """The directory of pg_ctl/initdb, installing the distribution's packages if we may."""
    found = _bin_dir()
    if found:
        return found
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
                       check=True, env=env)
        found = _bin_dir()
        if found:
            return found
    raise SystemExit("没有找到 PostgreSQL 服务器程序 (PostgreSQL server not found: "
                     "sudo apt-get install postgresql)")


def _as_owner(cmd: list[str]) -> list[str]:
    if os.name == "posix" and os.geteuid() == 0:
        return ["runuser", "-u", "nobody", "--", *cmd]
    return cmd


def url_for(base: Path, database: str = "postgres") -> str:
    return f"postgresql+psycopg://{USER}@/{database}?host={base.resolve() / 'sock'}"


def start(base: Path) -> str:
    """Create and start a cluster under `base`; returns its URL (database `postgres`)."""
    bindir = ensure_server()
    base = base.resolve()
    data, sock = base / "data", base / "sock"
    if (data / "postmaster.pid").exists():
        return url_for(base)
    base.mkdir(parents=True, exist_ok=True)
    sock.mkdir(exist_ok=True)
    if os.name == "posix" and os.geteuid() == 0:
        # nobody must reach the folder: open the path down to it for traversal.
        for part in [base, *base.parents]:
            if part == Path("/"):
                break
            part.chmod(part.stat().st_mode | 0o011)
        shutil.chown(base, "nobody")
        shutil.chown(sock, "nobody")
    if not data.exists():
        subprocess.run(_as_owner([str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
                                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)
    opts = server_options(sock)
    subprocess.run(_as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(base / "log"),
                              "-w", "start"]), check=True, stdout=subprocess.DEVNULL)
    return url_for(base)


def server_options(sock: Path) -> str:
    """The postgres command line: a socket only, the district's settings, and no waiting for the disk."""
    district = " ".join(f"-c {name}={value}" for name, value in DISTRICT_SETTINGS.items())
    # fsync off: a throwaway cluster; a crash loses nothing worth keeping (a district's server keeps it on).
    return f"-k {sock} -c listen_addresses= -c fsync=off -c synchronous_commit=off -c max_connections=200 {district}"


def stop(base: Path) -> None:
    bindir = _bin_dir()
    data = base.resolve() / "data"
    if bindir and (data / "postmaster.pid").exists():
        subprocess.run(_as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       stdout=subprocess.DEVNULL)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"start", "stop"}:
        print(__doc__)
        return 2
    if argv[0] == "start":
        print(start(Path(argv[1])))
    else:
        stop(Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
