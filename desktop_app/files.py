"""Writing a file whole or not at all, for every layer that writes one (exports, PDFs).

Outside the layers, like settings.py: exchange and reports are independent of
each other and may not reach the store, so the one way of writing a file lives
below them all. It knows nothing of the program's data.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write next to the target, flush to the disk, then rename: a reader never sees half a file.

    The folder is made as needed; on any failure the temporary file is removed
    and the target is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Same folder: os.replace must not cross disks.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
