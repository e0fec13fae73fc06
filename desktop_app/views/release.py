"""The 更新说明 as plain data: which CHANGELOG.md sections are new to a database.

CHANGELOG.md has one `## ` section per release, newest first; a released
section names its schema revision as 「数据库结构 NNNN」. After an upgrade from
revision R, the notes are the sections above the first one whose revision is R
or older (an unreleased section at the top has none and is always new).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REVISION = re.compile(r"数据库结构\s*(\d{4})")


@dataclass(frozen=True)
class ReleaseNote:
    heading: str  # "0.1.0（2026-11-26，数据库结构 0008）"
    body: str  # the section's Markdown, without its heading
    schema: str | None  # "0008"; None for an unreleased section


@dataclass(frozen=True)
class UpgradeNotes:
    from_revision: str
    notes: tuple[ReleaseNote, ...]

    def markdown(self) -> str:
        return "\n\n".join(f"## {n.heading}\n\n{n.body}" for n in self.notes)


def parse_changelog(text: str) -> list[ReleaseNote]:
    notes: list[ReleaseNote] = []
    for chunk in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = chunk.partition("\n")
        found = _REVISION.search(heading)
        notes.append(ReleaseNote(heading.strip(), body.strip(), found.group(1) if found else None))
    return notes


def notes_since(notes: list[ReleaseNote], revision: str) -> tuple[ReleaseNote, ...]:
    """The sections newer than a database at `revision` (revisions are zero-padded numbers)."""
    newer: list[ReleaseNote] = []
    for note in notes:
        if note.schema is not None and note.schema <= revision:
            break
        newer.append(note)
    return tuple(newer)
