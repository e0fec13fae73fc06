"""Search-as-you-type over the roster: an in-memory index of the search columns, checked against the file.

Every keystroke in the roster's search box asks for the ids of the matching
members in display order. In SQL that is a LIKE over five columns of every row
plus the ordering, and a fragment such as "3" or "1" matches nearly everyone:
at 100,000 members that costs 30-80 ms whatever index serves the LIKE (an FTS5
trigram index finds "zhang" in 4 ms but fetching and ordering its 9,000 ids
takes 25 ms more, and it costs 2-3 s to fill per 100,000 members on import).

So the ids in display order, with the lower-cased name, pinyin, initials, ID
number and mobile beside them, are read once per filter (the combo boxes) and
sort; each keystroke then scans those lists in Python (about 5 ms per 100,000).

Kept in step by the database itself: the index remembers the version a
connection of its own reads (store.changes.RosterProbe: SQLite's
`PRAGMA data_version`, PostgreSQL's count of notices from the roster's
tables), which changes whenever anyone (this process, the command line, a
sync merge, another operator) commits (on PostgreSQL: commits to members,
organisations or 双报到 registrations). A changed version drops the cached
lists, so a search never shows a roster older than its last commit. Other
databases search in SQL as before.
"""

from __future__ import annotations

import threading
import unicodedata
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from sqlalchemy import event

from desktop_app.services.database import Database
from desktop_app.store import dialect
from desktop_app.store.changes import RosterProbe

_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_KEEP = 3  # filters (combo-box states) whose lists stay cached: the current one and a recent few
# Recent words' hits are kept per filter up to this many bytes per member of the filter: each hit
# costs 12 (its row number in an array('i'), 4; the matching id in the answer kept beside it, a
# pointer, 8), so about 8 hits per member, 96 MB per filter at 1,000,000 members (288 MB for the
# _KEEP filters), a tenth of what the lists themselves take. Relative to the list, so the prefixes
# matching most members ("z", "l", "1391") stay remembered at any size instead of being scanned again.
_HITS_BYTES_PER_MEMBER = 96
_HIT_BYTES = 12


def _low(text: str | None) -> str:
    """ASCII letters lower-cased, nothing else: what SQLite's LIKE treats as equal."""
    return (text or "").translate(_ASCII_LOWER)


def terms(text: str) -> list[str]:
    """The words of a search box, as the SQL search splits them."""
    return unicodedata.normalize("NFKC", text).split()


def _is_pinyin(term: str) -> bool:
    return term.isascii() and term.isalnum() and not term.isdigit()


def _is_id_fragment(term: str) -> bool:
    return bool(term) and all(c in "0123456789xX" for c in term)


class _Lists:
    """Live members of one filter in display order, with their search columns lower-cased.

    Each row's fields are joined into one string per kind of search word, so a
    keystroke is one substring test per row: `by_digits` (ID number, mobile,
    name) for 1391, `by_letters` (pinyin, name, then the initials upper-cased
    behind a marker so a lower-case word can only meet them from their start)
    for zhang or wxm. Fields are separated by a NUL, which no search word holds.
    """

    def __init__(self, rows: Sequence[tuple[Any, ...]]):
        self.ids = [r[0] for r in rows]
        self.names = [_low(r[1]) for r in rows]
        self.id_numbers = [_low(r[4]) for r in rows]
        self.by_letters = [f"{_low(r[2])}\0{_low(r[1])}\0\x02{(r[3] or '').upper()}" for r in rows]
        self.by_digits = [f"{_low(r[4])}\0{_low(r[5])}\0{_low(r[1])}" for r in rows]
        # Rows holding each character looked up, per haystack: 4 bytes per row holding it, so at most
        # 4 bytes per member for each distinct character of the words typed.
        self._chars: dict[tuple[int, str], array[int]] = {}
        # Recent first words' hits, newest last: (kind, word) -> row numbers. Typing "zhang" asks for
        # z, zh, zha ...: each is looked for only among the rows of the longest earlier prefix, and
        # a word typed again (after a backspace, or the same search later) is not looked for at all.
        # Row numbers as array('i') (4 bytes each; a list costs 36: pointer plus int object), everyone as a range.
        self._hits: OrderedDict[tuple[str, str], Sequence[int]] = OrderedDict()
        # A one-word search's answer, kept beside its rows: copying it is a tenth of the cost of looking up
        # its ids again at a million members, where the id strings lie scattered beyond the CPU's caches.
        self._shown: dict[tuple[str, str], list[str]] = {}
        self._hits_size = 0

    def match(self, words: Sequence[str]) -> list[str]:
        hits: Sequence[int] | None = None
        for word in words:
            hits = self._match(word, hits)
            if not hits:
                return []
        if hits is None or len(hits) == len(self.ids):
            return list(self.ids)  # everyone (a fragment every ID number holds): one copy, no lookups
        if len(words) == 1:  # its answer is kept beside its rows
            shown = self._shown.get(self._key(words[0], _low(words[0])))
            if shown is not None:
                return list(shown)
        return list(map(self.ids.__getitem__, hits))

    @staticmethod
    def _key(word: str, t: str) -> tuple[str, str]:
        kind = "x" if _is_id_fragment(word) and _is_pinyin(word) else "a" if _is_pinyin(word) else (
            "9" if word.isdigit() else "n")
        return kind, t

    def _match(self, word: str, within: Sequence[int] | None) -> Sequence[int]:
        """Rows (of `within`, else of all) holding `word` as the SQL search reads it (see queries._text_conditions)."""
        t = _low(word)
        if "\0" in t:  # cannot be typed; and it would cross fields
            return []
        if within is not None:
            return self._scan(word, t, within)
        kind, _ = key = self._key(word, t)
        got = self._hits.get(key)
        if got is not None:
            self._hits.move_to_end(key)
            return got
        # A row holding the word holds each prefix of it (and an initials prefix): start from the
        # hits of the longest prefix still remembered.
        for k in range(len(t) - 1, 0, -1):
            earlier = self._hits.get((kind, t[:k]))
            if earlier is not None:
                got = self._scan(word, t, earlier)
                break
        else:
            got = self._scan(word, t, None)
        if len(got) == len(self.ids):
            got = range(len(got))  # everyone (a digit every ID number holds): kept for nothing
        else:
            got = got if isinstance(got, array) else array("i", got)
            self._shown[key] = list(map(self.ids.__getitem__, got))
        self._hits[key] = got
        self._hits_size += 0 if isinstance(got, range) else len(got) * _HIT_BYTES
        while self._hits_size > _HITS_BYTES_PER_MEMBER * len(self.ids) and len(self._hits) > 1:
            gone, dropped = self._hits.popitem(last=False)
            self._shown.pop(gone, None)
            self._hits_size -= 0 if isinstance(dropped, range) else len(dropped) * _HIT_BYTES
        return got

    def _scan(self, word: str, t: str, within: Sequence[int] | None) -> Sequence[int]:
        start = "\x02" + t.upper()  # the initials, from their first letter
        if _is_pinyin(word):
            if _is_id_fragment(word):  # digits with an x: the ID number too (rare: no character lists)
                rows = range(len(self.ids)) if within is None else within
                hay, ids = self.by_letters, self.id_numbers
                return [i for i in rows if t in hay[i] or start in hay[i] or t in ids[i]]
            hay = self.by_letters
        else:
            hay = self.by_digits if word.isdigit() else self.names
            start = ""  # no initials to meet
        if within is None:
            # Every row holding the word holds each of its characters: start from the rarest one's rows.
            within = min((self._rows_with(hay, c) for c in set(t)), key=len)
            if len(t) == 1:
                return within  # exact: one character is the whole test (initials start with a pinyin letter)
            if len(within) > len(hay) // 2:  # most rows: one pass over all is cheaper than indexing
                within = range(len(hay))
        if start:
            return [i for i in within if t in hay[i] or start in hay[i]]
        if isinstance(within, range):
            return [i for i, h in enumerate(hay) if t in h]
        return [i for i in within if t in hay[i]]

    def _rows_with(self, hay: list[str], char: str) -> array[int]:
        """Rows whose `hay` holds `char`, found once per character and kept with these lists."""
        key = (id(hay), char)
        got = self._chars.get(key)
        if got is None:
            got = self._chars[key] = array("i", [i for i, h in enumerate(hay) if char in h])
        return got


class _Index:
    def __init__(self, db: Database):
        self._lock = threading.Lock()
        self._lists: OrderedDict[Hashable, _Lists] = OrderedDict()
        self._version: int | None = None
        self._probe: RosterProbe | None = None  # a connection of our own: its version moves with every commit
        event.listen(db.engine, "engine_disposed", lambda *_: self.close())

    def close(self) -> None:
        with self._lock:
            self._lists.clear()
            self._version = None
            if self._probe is not None:
                try:
                    self._probe.close()
                finally:
                    self._probe = None

    def _data_version(self, db: Database) -> object:
        if self._probe is None:
            self._probe = RosterProbe(db.engine)  # ours alone, closed with the engine
        return self._probe.version()

    def lists(self, db: Database, key: Hashable, load: Callable[[], Sequence[tuple[Any, ...]]]) -> _Lists:
        with self._lock:
            version = self._data_version(db)
            if version != self._version:
                self._lists.clear()
                self._version = version
            got = self._lists.get(key)
            if got is not None:
                self._lists.move_to_end(key)
                return got
            # Read after the version: a commit landing meanwhile moves the version, and the next search reloads.
            rows = load()
            got = _Lists(rows)
            self._lists[key] = got
            while len(self._lists) > _KEEP:
                self._lists.popitem(last=False)
            return got


_indexes: weakref.WeakKeyDictionary[Database, _Index] = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()


def _index_for(db: Database) -> _Index | None:
    """The search index of `db`, or None where the database cannot say when it changed."""
    if not dialect.tells_changes(db.engine):
        return None
    with _indexes_lock:
        found = _indexes.get(db)
        if found is None:
            found = _indexes[db] = _Index(db)
        return found
