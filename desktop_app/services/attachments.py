"""Attachment storage, shared by every module that keeps files (signed sheets, receipts, photos).

A file is copied into the data folder's `attachments/` under a name that is
safe on every file system, through a temporary file and an atomic rename, with
its SHA-256 and size. The caller writes the row that points at it in its own
unit of work and calls `discard` if that fails: no file is kept without its row.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from desktop_app.domain.errors import NotFound, ValidationError

ATTACHMENTS_DIR = "attachments"
MAX_BYTES = 50 * 1024 * 1024

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class StoredFile:
    relative: str  # POSIX path under attachments/, as kept in the database
    path: Path
    size: int
    sha256: str


def root() -> Path:
    from desktop_app.settings import data_dir

    path = data_dir() / ATTACHMENTS_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_name(name: str) -> str:
    """A file name without separators or control characters, at most 80 + 10 characters."""
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .") or "附件"
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    return (stem[:80] + (f".{ext[:10]}" if ext else "")) or "附件"


def check_source(source: str | Path, max_bytes: int = MAX_BYTES) -> Path:
    """The file to keep, or a refusal that names it and says why (missing, too big, unreadable)."""
    source = Path(source)
    if not source.is_file():
        raise ValidationError("附件", f"{source.name or source}：文件不存在（{source.parent}）")
    size = source.stat().st_size
    if size > max_bytes:
        raise ValidationError(
            "附件", f"{source.name}：文件超过 {max_bytes // 1024 // 1024} MB（有 {size / 1024 / 1024:.1f} MB），"
                    "请压缩后再添加")
    try:
        with open(source, "rb") as f:
            f.read(1)
    except OSError as e:
        raise ValidationError("附件", f"{source.name}：文件无法读取（{e.strerror or e}）") from None
    return source


def check_sources(sources: Sequence[str | Path], max_bytes: int = MAX_BYTES, what: str = "附件") -> list[Path]:
    """Every file of one act checked before any is copied: all refusals at once, each naming its file."""
    paths, refused = [], []
    for source in sources:
        try:
            paths.append(check_source(source, max_bytes))
        except ValidationError as e:
            refused.append(e.message)
    if refused:
        nothing = f"\n所选的 {len(sources)} 个文件都没有添加。" if len(sources) > 1 else ""
        raise ValidationError(what, "\n".join(refused) + nothing)  # a wish's photo is not called 附件
    if not paths:
        raise ValidationError("附件", f"没有选择要添加的{what}")
    return paths


# What a photo's first bytes are, whatever its name says: a renamed program is not a photo.
_IMAGE_MAGIC = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"))


def image_kind(path: Path) -> str | None:
    """"JPEG" or "PNG" by the file's content, None for anything else (or an unreadable file)."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return None
    return next((kind for magic, kind in _IMAGE_MAGIC if head.startswith(magic)), None)


def check_images(paths: Sequence[Path]) -> list[Path]:
    """Every file a JPEG or PNG photo by its content; otherwise one refusal naming each other file."""
    refused = [f"{p.name}：不是 JPEG 或 PNG 照片（按文件内容判断，不看扩展名）" for p in paths if image_kind(p) is None]
    if refused:
        nothing = f"\n所选的 {len(paths)} 个文件都没有添加。" if len(paths) > 1 else ""
        raise ValidationError("照片", "\n".join(refused) + nothing)
    return list(paths)


def store(source: str | Path, relative: str, max_bytes: int = MAX_BYTES) -> StoredFile:
    """Copy `source` to attachments/`relative` (folders made as needed); atomic, hashed."""
    source = check_source(source, max_bytes)
    rel = PurePosixPath(relative)
    if rel.is_absolute() or ".." in rel.parts:
        raise ValueError(f"attachment path must stay inside the folder: {relative}")
    target = root().joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=".att-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            for block in iter(lambda: src.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
        os.replace(tmp, target)
    except OSError as e:  # vanished or unreadable since it was checked, or the disk is full
        Path(tmp).unlink(missing_ok=True)
        raise ValidationError("附件", f"{source.name}：复制到数据文件夹时出错（{e.strerror or e}）") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return StoredFile(rel.as_posix(), target, source.stat().st_size, digest.hexdigest())


def discard(stored: StoredFile) -> None:
    """Remove a stored file whose row could not be written."""
    stored.path.unlink(missing_ok=True)


def path_of(relative: str) -> Path:
    """The file of a stored attachment; NotFound if it is no longer in the data folder."""
    path = root().joinpath(*PurePosixPath(relative).parts)
    if not path.is_file():
        raise NotFound(f"附件文件已不在数据文件夹中：{path}")
    return path
