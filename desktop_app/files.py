"""Writing a file whole or not at all, for every layer that writes one (exports, PDFs).

Outside the layers, like settings.py: exchange and reports are independent of
each other and may not reach the store, so the one way of writing a file lives
below them all. It knows nothing of the program's data.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from desktop_app.domain.errors import DomainError, SavedButNotPlaced


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
    with _beside(path, data, private=private, recorded=False):
        pass


@contextmanager
def put_in_place_after(path: Path | str, data: bytes, *, private: bool) -> Iterator[Path]:
    """Write `data` beside `path` now; rename it onto `path` only when the block ends without an error.

    For a save that records the file it writes (an export in the audit trail, an enrolment
    reply): the block commits the unit of work. A full disk or a read-only folder is refused
    on entry, before anything is recorded; a commit that fails leaves no file and no temporary
    file, and a file already at `path` stays as it was. Permissions as write_atomically.
    A rename that fails once the block has committed keeps the file and raises LeftBeside.
    """
    with _beside(path, data, private=private, recorded=True) as placed:
        yield placed


@contextmanager
def _beside(path: Path | str, data: bytes, *, private: bool, recorded: bool) -> Iterator[Path]:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Same folder: os.replace must not cross disks.
    fd, tmp = _create_beside(path, 0o600 if private else 0o666)
    try:
        _write_whole(fd, data)
        yield path
        if not recorded:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if recorded:
        place(tmp, path)
    _flush_folder(path.parent)


class LeftBeside(SavedButNotPlaced):
    """The save is recorded, but its file could not be renamed onto its target: it is kept whole at `kept`.

    The record already names the file, so dropping it would leave a record of nothing (a sync key's
    public half without its private one, an export in the trail with no file): the user is told
    where it is instead, and renames it once the program holding the target lets go.
    """

    def __init__(self, path: Path, kept: Path, exc: BaseException, message: str = ""):
        self.path, self.kept = path, kept
        why = why_not_written(exc) if isinstance(exc, OSError) else str(exc)
        super().__init__(message or f"{path.name}：已保存并记录，但未能放到原处（{why}）。"
                         f"文件已完整保存为 {kept}，请关闭占用 {path.name} 的程序后，把它改名为 {path.name}")


def place(tmp: Path, path: Path) -> None:
    """Rename the file `tmp`, already recorded as `path`, onto `path`; on failure keep it (LeftBeside).

    A name the user can see is tried first when the rename fails: a file held open on
    Windows blocks only its own name, and a temporary name starting with a dot is hidden
    in the file managers of 麒麟 and 统信.
    """
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise LeftBeside(path, _kept(Path(tmp), path), exc) from None


def _kept(tmp: Path, path: Path) -> Path:
    visible = path.with_name(f"{path.stem}（待改名）{path.suffix}")
    if visible.exists() or not tmp.exists():
        return tmp
    try:
        os.replace(tmp, visible)
    except OSError:
        return tmp
    return visible


def why_not_written(exc: OSError) -> str:
    """An OSError as a reason a user can act on, in Chinese."""
    if isinstance(exc, PermissionError):
        return "文件可能正在 Excel/WPS 等程序中打开，或没有写入权限"
    return f"{exc.strerror or exc}"


def write_new(path: Path | str, data: bytes, *, private: bool) -> Path:
    """Write `data` whole, flushed to the disk, under a new name beside `path` (its stem, a few letters, its suffix).

    For a file a record will name before it may take `path` (a sync key replacing the one there):
    the name is the file's own, so the record never names a file that holds something else.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, new = _create_beside(path, 0o600 if private else 0o666,
                             lambda: path.with_name(f"{path.stem}-{uuid.uuid4().hex[:6]}{path.suffix}"))
    try:
        _write_whole(fd, data)
    except BaseException:
        new.unlink(missing_ok=True)
        raise
    _flush_folder(path.parent)
    return new


def _create_beside(path: Path, mode: int, named: Callable[[], Path] | None = None) -> tuple[int, Path]:
    """A new file beside `path` (a hidden temporary name unless `named` draws another), opened for writing.
    mkstemp would always make it 0600; created here with `mode`, the system applies the umask as it does
    for any file the user saves."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = named() if named else path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue  # a name left by a crash, or another writer's: draw again
    raise FileExistsError(f"no free name beside {path}")


def _write_whole(fd: int, data: bytes) -> None:
    """Write `data` to the open file `fd` and flush it to the disk before it is named anywhere."""
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


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
    with _through(path, write, recorded=False):
        pass


@contextmanager
def write_through_after(path: Path | str, write: Callable[[Path], None], *, keep_suffix: bool = True) -> Iterator[Path]:
    """write_through's file, filled now and renamed onto `path` only when the block ends without an error.

    As put_in_place_after for a streamed file: the block records the export; a failure of
    `write` is said in Chinese, the block's own errors pass as they are, and a rename that
    fails once the block has committed keeps the file (LeftBeside). `keep_suffix=False`: the
    temporary name ends in .tmp, for a file a folder is searched for by its suffix (sync packages).
    """
    with _through(path, write, recorded=True, keep_suffix=keep_suffix) as placed:
        yield placed


@contextmanager
def _through(path: Path | str, write: Callable[[Path], None], *, recorded: bool,
             keep_suffix: bool = True) -> Iterator[Path]:
    path = Path(path)
    # Same folder (os.replace must not cross disks); the suffix kept for writers that look at it.
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp{path.suffix}" if keep_suffix
                         else f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with _said_in_chinese(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            write(tmp)
        yield path
        if not recorded:
            with _said_in_chinese(path):
                os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):  # (a folder that is a file: there is no temporary file to remove)
            tmp.unlink(missing_ok=True)
        raise
    if recorded:
        place(tmp, path)
        _flush_folder(path.parent)


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


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks (scans and backups can be hundreds of MB)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
