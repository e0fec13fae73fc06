"""Writing a file whole or not at all, for every layer that writes one (exports, PDFs).

Outside the layers, like settings.py: exchange and reports are independent of
each other and may not reach the store, so the one way of writing a file lives
below them all. It knows nothing of the program's data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop_app.domain.errors import DomainError


def write_atomically(path: Path | str, data: bytes, *, private: bool) -> None:
    """Write next to the target, flush to the disk, then rename: a reader never sees half a file.

    `private`: only this account may read the file (0600: key stores). Otherwise the
    file gets the permissions a plain open() gives (0666 less the umask), so a PDF
    or an export saved for a colleague or on a USB stick opens for them too. On
    Windows the mode only decides read-only, and neither choice is read-only.

    The folder is made as needed; on any failure the temporary file is removed
    and the target is left as it was. The folder is flushed too where the system
    allows, so the rename itself survives a USB stick pulled out or a power cut.
    """
    with put_in_place_after(path, data, private=private):
        pass


@contextmanager
def put_in_place_after(path: Path | str, data: bytes, *, private: bool) -> Iterator[Path]:
    """Write `data` beside `path` now; rename it onto `path` only when the block ends without an error.

    For a save that records the file it writes (an export in the audit trail, an enrolment
    reply): the block commits the unit of work. A full disk or a read-only folder is refused
    on entry, before anything is recorded; a commit that fails leaves no file and no temporary
    file, and a file already at `path` stays as it was. Permissions as write_atomically.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Same folder: os.replace must not cross disks.
    fd, tmp = _create_beside(path, 0o600 if private else 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        yield path
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _flush_folder(path.parent)


def _create_beside(path: Path, mode: int) -> tuple[int, Path]:
    """A new temporary file beside `path`, opened for writing. mkstemp would always make it 0600;
    created here with `mode`, the system applies the umask as it does for any file the user saves."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue  # a name left by a crash, or another writer's: draw again
    raise FileExistsError(f"no free temporary name beside {path}")


def _flush_folder(folder: Path) -> None:
    """fsync a folder (POSIX only: Windows cannot open one, and flushes the rename with the file)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network shares) refuse it; the file itself is already on the disk
    finally:
        os.close(fd)


def write_through(path: Path | str, write: Callable[[Path], None]) -> None:
    """Let `write` fill a file beside `path`, then rename it over `path`: for a file streamed as it is made.

    A roster of many thousand members is written row by row rather than built in
    memory. The file gets ordinary permissions (the user's own export, as
    write_atomically's not private), and a failure is said in Chinese: on Windows a file held
    open by Excel or WPS cannot be replaced.
    """
    with write_through_after(path, write):
        pass


@contextmanager
def write_through_after(path: Path | str, write: Callable[[Path], None]) -> Iterator[Path]:
    """write_through's file, filled now and renamed onto `path` only when the block ends without an error.

    As put_in_place_after for a streamed file: the block records the export; a failure of
    `write` or of the rename is said in Chinese, the block's own errors pass as they are.
    """
    path = Path(path)
    # Same folder (os.replace must not cross disks); the suffix kept for writers that look at it.
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}")
    try:
        with _said_in_chinese(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            write(tmp)
        yield path
        with _said_in_chinese(path):
            os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def _said_in_chinese(path: Path) -> Iterator[None]:
    try:
        yield
    except PermissionError:
        raise DomainError(
            f"{path.name}：无法写入，文件可能正在 Excel/WPS 中打开（或没有写入权限），请关闭后重试"
        ) from None
    except OSError as exc:
        raise DomainError(f"{path.name}：写入失败（{exc.strerror or exc}）") from None
