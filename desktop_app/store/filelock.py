"""One program at a time on a database file: the window holds it alone, commands share it.

SQLite's own locks on Linux are POSIX record locks, which belong to the
process, not to a file handle: when anything else in the program opens and
closes the database file (a Qt file dialog sniffing `dangqun.db`, `-wal` and
`-shm` to guess their type), every SQLite lock of the program on that file is
silently dropped. A `dangqun` command run next then believes it is alone,
checkpoints and deletes the WAL file the window still writes to, and the
window's later commits go to a deleted file.

So a separate lock file beside the database (`<name>.lock`) is held with
`flock` (per open file, not per process: no other open or close releases it;
on Windows a byte-range lock on the handle, which behaves the same): the
window takes it exclusively for its whole life, each command takes it shared
for its own. A command started while the window runs, or a second window, is
refused with a plain message instead of racing it. The lock is released when
the process ends, however it ends.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from desktop_app.domain.errors import DomainError

_held: dict[str, tuple[int, bool]] = {}  # resolved database path -> (lock file descriptor, exclusive?)


class InUse(DomainError):
    """Another program holds the database (a window, or a command while a window starts)."""

    def __init__(self, path: Path, exclusive: bool):
        self.path = path
        if exclusive:
            text = (f"数据库 {path} 正被另一个程序使用（另一个工作台窗口或正在运行的 dangqun 命令）。"
                    "请关闭它或等它结束后再打开；同一个数据文件同时只能由一个窗口使用。")
        else:
            text = (f"数据库 {path} 正由工作台窗口使用。为免两个程序同时改动同一个数据文件而丢失数据，"
                    "命令没有执行：请先关闭工作台窗口，再运行此命令。")
        super().__init__(text)


def lock_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _lock(fd: int, exclusive: bool) -> None:
    if os.name == "nt":  # pragma: no cover - Windows only
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        if not exclusive:  # a command only checks that no window holds the file
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)


def acquire(db_path: str | Path, exclusive: bool) -> None:
    """Hold the database for this process (exclusive: the window; shared: a command) or raise InUse.

    Asking again from the same process is free; a shared hold is raised to an
    exclusive one when no other process shares it. A folder where no lock file
    can be made (a read-only medium) is not locked: nothing can write there.
    """
    path = Path(db_path)
    name = str(path.resolve())
    held = _held.get(name)
    if held is not None and (held[1] or not exclusive):
        return
    if held is not None:
        fd = held[0]
    else:
        try:
            fd = os.open(lock_file(path), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT):
                return
            raise
    try:
        _lock(fd, exclusive)
    except OSError:
        if held is None:
            os.close(fd)
        raise InUse(path, exclusive) from None
    _held[name] = (fd, exclusive)


def release(db_path: str | Path) -> None:
    """Let the database go (a window closing for good; tests)."""
    held = _held.pop(str(Path(db_path).resolve()), None)
    if held is not None:
        os.close(held[0])  # closing the only descriptor releases the flock
