"""A backup file as the restore dialog and `dangqun backup list` show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

KINDS = {"daily": "每日自动", "exit": "退出时", "manual": "手动", "before-restore": "恢复前"}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    kind: str
    size: int

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)
