"""Packages in, several at once: what a street does with the packages its communities brought in.

    checks = sync.check_packages(db, paths)      # who sent each and how many rows, or why it is refused
    report = sync.import_packages(db, paths)     # merge them all; a BatchReport, file by file

Each package is verified whole (decrypted, signature, sender enrolled),
decoded, planned, checked, written, handed over and audited in turn, one at a
time: its decoded rows are freed before the next is read. A package refused
(or failing its merge) is rolled back alone and the others go on.

Each package is its own transaction, as one imported alone, on SQLite as on
PostgreSQL (where merges of different senders run at once, each holding its
sender's lock to its commit: a batch holding them all would make two operators
wait on each other). One transaction for the whole batch, a savepoint per
package, was built and measured on SQLite (4 x 3,000, old and new back to back,
load 1-2): 2-7% more CPU (19.4-20.3 s against 19.0 s) and 15% more written to
the disk (2,098 against 1,824 MB), since a savepoint journals every page a
package first touches, and the dirty pages of several packages overflow the
merge's page cache and are spilled to the WAL and read back before the commit;
without savepoints and with a 1 GB cache it only came level (18.7 s). A crash
mid-batch leaves the packages before it merged whole and nothing of the one in
hand.

On SQLite the WAL is copied into the file once it passes 1 GiB rather than after
each package, and cut to nothing when the batch ends
(store.dialect.checkpoints_deferred): full size (20 x 3,000), 14.0 GB handed to the
disk instead of 16.9, the commits' CPU 2 s less and their waits 5-6 s shorter, the
merge's time level (the write phase's page reads search a longer WAL). A crash
mid-batch replays the WAL at the next open: the packages committed before it stay.

Cancel (the progress callback raises): the package in hand is rolled back,
those merged before it stay committed, it and the rest are reported as not
imported (views.sync.CANCELLED).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import select

from desktop_app.domain.errors import DomainError
from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services.sync.incoming import (
    Reader, merge_package, open_verified, reader, sealed_elsewhere, unknown_sender,
)
from desktop_app.services.sync.status import reached_peers
from desktop_app.store import dialect as store_dialect
from desktop_app.store.db import Database
from desktop_app.store.models_sync import SyncImport, SyncPeer
from desktop_app.store.migrate import SYNC_FORMAT
from desktop_app.sync import decode, package
from desktop_app.sync.merge import Progress, Stage
from desktop_app.views.sync import CANCELLED, Absent, BatchItem, BatchReport, ImportReport, PackageCheck

__all__ = ["BatchProgress", "absent_from", "check_packages", "import_packages"]

BatchProgress = Callable[[int, int, int, int], None]
"""(package index, packages, rows of it written, its rows); raising from it cancels the batch."""


class _Cancel(Exception):
    """The progress callback raised: stop after rolling back the package in hand."""


def check_packages(db: Database, paths: Iterable[Path], progress: Progress | None = None) -> list[PackageCheck]:
    """Look at each package before a batch: sender, rows, or the reason it would be refused. Writes nothing.

    The container, signature, sender's enrolment and checksums are checked;
    the rows are decoded only by the import. `progress(files done, files)` may raise to stop.
    """
    r = reader(db)
    paths = [Path(p) for p in paths]
    out: list[PackageCheck] = []
    for k, path in enumerate(paths):
        if progress:
            progress(k, len(paths))
        try:
            opened = package.open_file(path, r.keys, r.signers, SYNC_FORMAT)
            m = opened.manifest
            del opened  # (its inflated tables: one package in memory at a time)
            decode.check_parties(m, r.site_id, r.info.role, r.info.street_site_id)
        except package.SealedElsewhere as exc:
            out.append(PackageCheck(path, refused=_reason(sealed_elsewhere(exc, path, r), path)))
            continue
        except package.UnknownSender as exc:
            out.append(PackageCheck(path, refused=_reason(unknown_sender(exc, path, r), path)))
            continue
        except PackageRefused as exc:
            out.append(PackageCheck(path, refused=_reason(exc, path)))
            continue
        with db.session() as s:
            taken = s.get(SyncImport, m.package_id)
        out.append(PackageCheck(path, m.site.org_name, m.site.org_code, m.total_rows, m.created_at,
                                already=taken is not None, imported_at=taken.imported_at if taken else None))
    return out


def import_packages(db: Database, paths: Iterable[Path], progress: BatchProgress | None = None,
                    stage: Stage | None = None) -> BatchReport:
    """Merge several packages, in the order given; a refused one is reported and the others go on.

    `stage` is told "verify", "plan", "merge" and "commit" for each package.
    """
    paths = [Path(p) for p in paths]
    r = reader(db)  # the permission, the site and the unlocked keys: once for the batch
    items: list[BatchItem] = []
    cancelled = False
    with store_dialect.checkpoints_deferred(db.engine):  # SQLite: the WAL copied into the file at a cap
        for k, path in enumerate(paths):
            if cancelled:
                items.append(BatchItem(path, refused=CANCELLED))
                continue
            try:
                tell = _telling(progress, k, len(paths))
                if tell:
                    tell(0, 0)  # a cancel pressed between two packages stops before the next is read
                items.append(BatchItem(path, _alone(db, path, r, tell, stage)))
            except _Cancel:
                cancelled = True
                items.append(BatchItem(path, refused=CANCELLED))
            except DomainError as exc:
                items.append(BatchItem(path, refused=_reason(exc, path)))
    return BatchReport(tuple(items), cancelled, absent_from(db, items))


def absent_from(db: Database, items: Iterable[BatchItem]) -> tuple[Absent, ...]:
    """The enrolled communities (those the account reaches) none of whose packages went in, never-sent and
    longest silent first: a stick collected at the communities lacks some, and the worker rings them up."""
    came = {i.report.from_site.id for i in items if i.report is not None}
    with db.session() as s:
        peers = s.scalars(select(SyncPeer).where(SyncPeer.level == "community",
                                                 *_within(SyncPeer.site_id, reached_peers(s))))
        out = [Absent(p.org_name, p.org_code, p.last_package_at) for p in peers if p.site_id not in came]
    return tuple(sorted(out, key=lambda a: (a.last_package_at is not None, a.last_package_at or datetime.min,
                                            a.org_code)))


def _within(column, peers: set[str] | None) -> list:
    return [] if peers is None else [column.in_(peers)]


def _alone(db: Database, path: Path, r: Reader, tell: Progress | None, stage: Stage | None) -> ImportReport:
    """One package verified whole, then merged in its own transaction (retried on a server as when alone)."""
    with decode.quiet_gc():  # one quiet stretch from decoding to commit (see incoming.import_package)
        if stage:
            stage("verify")
        return merge_package(db, path, open_verified(path, r), tell, stage)


def _telling(progress: BatchProgress | None, k: int, n: int) -> Progress | None:
    """One package's progress as the batch's; whatever the callback raises becomes a cancel."""
    if progress is None:
        return None

    def tell(done: int, total: int) -> None:
        try:
            progress(k, n, done, total)
        except Exception as exc:  # noqa: BLE001 - any exception from the callback is the user's stop
            raise _Cancel() from exc

    return tell


def _reason(exc: BaseException, path: Path) -> str:
    """The refusal without the file name the single import puts first (the batch lists files itself)."""
    text = str(exc)
    head = f"数据包“{path.name}”未导入："
    return text[len(head):] if text.startswith(head) else text
