"""Search-as-you-type over the roster: an in-memory index of the search columns, checked against the file.

Every keystroke in the roster's search box asks for the ids of the matching
members in display order. In SQL that is a LIKE over five columns of every row
plus the ordering, and a fragment such as "3" or "1" matches nearly everyone:
at 100,000 members that costs 30-80 ms whatever index serves the LIKE (an FTS5
trigram index finds "zhang" in 4 ms but fetching and ordering its 9,000 ids
takes 25 ms more, and it costs 2-3 s to fill per 100,000 members on import).

So the ids in display order, with the lower-cased name, pinyin, initials, ID
number and mobile beside them, are read once per filter (the combo boxes) and
sort; each keystroke then scans those lists in Python (a few ms per 100,000;
the rows holding each letter and digit are found ahead, while nobody types),
narrowing from the hits of the word typed before, and answers with row numbers
(Hits), whose ids are looked up only as the page reads them. A word most rows
must be tested for ("13", "31x", "hu" at 320,000 members) is looked for in a
byte grid of the pinyin or the digits instead (_Grid: numpy, a tenth of the cost).

Kept in step by the database itself: the index remembers the version a
connection of its own reads (store.changes.RosterProbe: SQLite's
`PRAGMA data_version`, PostgreSQL's count of notices from the roster's
tables), which changes whenever anyone (this process, the command line, a
sync merge, another operator) commits (on PostgreSQL: commits to members,
organisations or 双报到 registrations). A changed version drops the cached
lists and the table rows kept for the page (roster.rows), so a search never
shows a roster older than its last commit. Other
databases search in SQL as before.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from itertools import accumulate, compress, repeat
from operator import contains
from typing import Any

from sqlalchemy import event

from desktop_app.services.database import Database
from desktop_app.store import dialect
from desktop_app.store.changes import RosterProbe

_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_KEEP = 3  # filters (combo-box states) whose lists stay cached: the current one and a recent few
# Recent words' hits are kept per filter up to this many bytes per member of the filter: each hit
# costs 4 (its row number in an array('i')), so about 24 hits per member, 96 MB per filter at
# 1,000,000 members (288 MB for the _KEEP filters), a tenth of what the lists themselves take.
# Relative to the list, so the prefixes matching most members ("z", "l", "1391") stay remembered
# at any size instead of being scanned again.
_HITS_BYTES_PER_MEMBER = 96
_HIT_BYTES = 4
_ROWS_KEPT = 20_000  # table rows kept per reader (about 10 MB): a hundred screenfuls


def _low(text: str | None) -> str:
    """ASCII letters lower-cased, nothing else: what SQLite's LIKE treats as equal."""
    return (text or "").translate(_ASCII_LOWER)


def _low_all(texts: Sequence[str | None]) -> list[str]:
    """_low of each text, lowered all at once (joined by NULs: one call instead of one per row and field,
    half the cost of building a filter's lists); str.lower() where all are ASCII, which then does the same."""
    texts = [t or "" for t in texts]
    joined = "\0".join(texts)
    if not texts or joined.count("\0") != len(texts) - 1:  # a NUL inside a text would shift the rows
        return [_low(t) for t in texts]
    return (joined.lower() if joined.isascii() else joined.translate(_ASCII_LOWER)).split("\0")


def terms(text: str) -> list[str]:
    """The words of a search box, as the SQL search splits them."""
    return unicodedata.normalize("NFKC", text).split()


def _is_pinyin(term: str) -> bool:
    return term.isascii() and term.isalnum() and not term.isdigit()


def _is_id_fragment(term: str) -> bool:
    return bool(term) and all(c in "0123456789xX" for c in term)


class Hits(Sequence[str]):
    """Ids of the matching members in display order, each looked up when it is read.

    A search answers with row numbers into its filter's ids; turning 25,000 of them
    into a list of ids costs more than the search itself (at a million members the
    ids lie scattered beyond the CPU's caches), and the roster page reads only the
    screenful it shows. So the answer is the filter's ids and the row numbers.
    """

    __slots__ = ("_ids", "_rows")

    def __init__(self, ids: list[str], rows: Sequence[int]):
        self._ids = ids
        self._rows = rows  # ascending: the ids are in display order

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return list(map(self._ids.__getitem__, self._rows[i]))
        return self._ids[self._rows[i]]

    def __iter__(self) -> Iterator[str]:
        return map(self._ids.__getitem__, self._rows)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(other) == len(self) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        try:
            at = self._ids.index(value)  # one pass in C over the filter's ids, then a bisection
        except ValueError:
            raise ValueError(f"{value!r} is not among the hits") from None
        i = bisect_left(self._rows, at)
        if i < len(self._rows) and self._rows[i] == at and start <= i < (len(self._rows) if stop is None else stop):
            return i
        raise ValueError(f"{value!r} is not among the hits")

    def __contains__(self, value: object) -> bool:
        try:
            self.index(value)
        except ValueError:
            return False
        return True


class _Lists:
    """Live members of one filter in display order, with their search columns lower-cased.

    Each row's fields are joined into one string per kind of search word, so a
    keystroke is one substring test per row: `digits` (ID number, mobile) for
    1391, `letters` (pinyin, then the initials upper-cased behind a marker so a
    lower-case word can only meet them from their start) for zhang or wxm,
    `names` for 王秀. Fields are separated by a NUL, which no search word holds.
    The first two hold no name, so they stay one byte per character (a test of a
    word against a string of wider characters converts the word every time);
    the few names holding ASCII letters or digits, which such words may meet,
    are listed apart (`_latin`) and tested too.
    """

    def __init__(self, rows: Sequence[tuple[Any, ...]]):
        self.ids = [r[0] for r in rows]
        self.names = _low_all([r[1] for r in rows])
        initials = [(r[3] or "").upper() for r in rows]
        self.letters = [f"{p}\0\x02{i}" for p, i in zip(_low_all([r[2] for r in rows]), initials)]
        self.digits = [f"{a}\0{b}" for a, b in zip(_low_all([r[4] for r in rows]), _low_all([r[5] for r in rows]))]
        self._latin = _rows_holding_latin(self.names)
        # Rows holding each character looked up, per haystack: 4 bytes per row holding it (none when
        # everyone does), so at most 4 bytes per member for each distinct character of the words typed.
        self._chars: dict[tuple[int, str], Sequence[int]] = {}
        # Recent first words' hits, newest last: (kind, word) -> row numbers. Typing "zhang" asks for
        # z, zh, zha ...: each is looked for only among the rows of the longest earlier prefix, and
        # a word typed again (after a backspace, or the same search later) is not looked for at all.
        # Row numbers as array('i') (4 bytes each; a list costs 36: pointer plus int object), everyone as a range.
        self._hits: OrderedDict[tuple[str, str], Sequence[int]] = OrderedDict()
        self._hits_size = 0
        # The pinyin and the ID numbers and phones as byte grids (_Grid), made by prepare() or once the rows
        # tested one by one add up to what making them costs: a wide word then costs a tenth of a row-by-row scan.
        self._grids: dict[int, _Grid] = {}
        self._scanned = 0

    def prepare(self) -> None:
        """Find the rows holding each letter (in the pinyin), digit (in the ID numbers and phones) and
        character of a name now, not when first typed: a word's first letter is its widest scan (about
        4 ms per 100,000 members, 200 ms for all of them), and what it finds costs 4 bytes per row
        holding it (none for a digit everyone's ID number holds)."""
        self._grid(self.letters, True)
        self._grid(self.digits, True)
        for c in _LETTERS:
            self._rows_with(self.letters, c)
        for c in _DIGITS:
            self._rows_with(self.digits, c)
        # Each character of the names (王, 李...) in one pass over them: 4 bytes per character of a name.
        names, n = self.names, len(self.names)
        held: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            for c in name:
                rows = held.get(c)
                if rows is None:
                    held[c] = [i]
                elif rows[-1] != i:  # a name holding a character twice is one row
                    rows.append(i)
        for c, rows in held.items():
            self._chars.setdefault((id(names), c), range(n) if len(rows) == n else array("i", rows))

    def hits(self, words: Sequence[str]) -> Hits:
        """The members holding every word, in display order."""
        return Hits(self.ids, self.match(words) if words else range(len(self.ids)))

    def match(self, words: Sequence[str]) -> Sequence[int]:
        """Row numbers (ascending) of the members holding every word."""
        hits: Sequence[int] | None = None
        for word in words:
            hits = self._match(word, hits)
            if not hits:
                return ()
        return range(len(self.ids)) if hits is None else hits

    @staticmethod
    def _key(word: str, t: str) -> tuple[str, str]:
        kind = "x" if _is_id_fragment(word) and _is_pinyin(word) else "a" if _is_pinyin(word) else (
            "9" if word.isdigit() else "n")
        return kind, t

    def _match(self, word: str, within: Sequence[int] | None) -> Sequence[int]:
        """Rows (of `within`, else of all) holding `word` as the SQL search reads it (see queries._text_conditions)."""
        t = _low(word)
        if "\0" in t:  # cannot be typed; and it would cross fields
            return ()
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
        elif not isinstance(got, array):
            got = array("i", got)
        self._hits[key] = got
        self._hits_size += 0 if isinstance(got, range) else len(got) * _HIT_BYTES
        while self._hits_size > _HITS_BYTES_PER_MEMBER * len(self.ids) and len(self._hits) > 1:
            dropped = self._hits.popitem(last=False)[1]
            self._hits_size -= 0 if isinstance(dropped, range) else len(dropped) * _HIT_BYTES
        return got

    def _scan(self, word: str, t: str, within: Sequence[int] | None) -> Sequence[int]:
        if _is_pinyin(word) or word.isdigit():
            got = self._scan_fields(word, t, within)
            if self._latin:  # a name holding ASCII letters or digits may hold the word too
                names = self.names
                also = [i for i in self._latin if t in names[i] and (within is None or _holds(within, i))]
                if also:
                    got = sorted(set(got).union(also))
            return got
        return self._scan_in(self.names, t, "", within)

    def _scan_fields(self, word: str, t: str, within: Sequence[int] | None) -> Sequence[int]:
        if not _is_pinyin(word):
            return self._scan_in(self.digits, t, "", within)
        start = "\x02" + t.upper()  # the initials, from their first letter
        if _is_id_fragment(word):  # digits with an x: the ID number too (rare: no character lists)
            rows = range(len(self.ids)) if within is None else within
            hay, digits = self.letters, self.digits
            digits_grid = self._grid_for(digits, len(rows) * 3, len(t) + 1)  # three tests a row
            letters_grid = self._grid(hay, digits_grid is not None)
            if digits_grid is not None and letters_grid is not None:
                return _among(rows, letters_grid.holding(t) | letters_grid.holding(start) | digits_grid.holding(t))
            return [i for i in rows if t in hay[i] or start in hay[i] or t in digits[i]]
        return self._scan_in(self.letters, t, start, within)

    def _scan_in(self, hay: list[str], t: str, start: str, within: Sequence[int] | None) -> Sequence[int]:
        """Rows of `hay` holding `t` (or `start`, when given)."""
        if within is None:
            # Every row holding the word holds each of its characters: start from the rarest one's rows
            # (an initials prefix's letters are in the pinyin too).
            within = min((self._rows_with(hay, c) for c in set(t)), key=len)
            if len(t) == 1:
                return within  # exact: one character is the whole test (initials start with a pinyin letter)
            if len(within) > len(hay) // 2:  # most rows: one pass over all is cheaper than indexing
                within = range(len(hay))
        grid = self._grid_for(hay, len(within) * (2 if start else 1), len(start or t))
        if grid is not None:  # a wide scan: all rows at once in the grid, then those of `within`
            held = grid.holding(t)
            if start:
                held |= grid.holding(start)
            return _among(within, held)
        if start:
            return [i for i in within if t in hay[i] or start in hay[i]]
        if isinstance(within, range):
            return _holding(hay, t)
        return [i for i in within if t in hay[i]]

    def _rows_with(self, hay: list[str], char: str) -> Sequence[int]:
        """Rows whose `hay` holds `char`, found once per character and kept with these lists."""
        key = (id(hay), char)
        got = self._chars.get(key)
        if got is None:
            grid = self._grids.get(id(hay))
            if grid is not None:
                got = _among(range(len(hay)), grid.holding(char))
            else:
                self._scanned += len(hay)
                got = _holding(hay, char)
            self._chars[key] = got
        return got

    def _grid(self, hay: list[str], make: bool) -> _Grid | None:
        """The grid of `hay` (the pinyin or the digits), made now if `make`."""
        got = self._grids.get(id(hay))
        if got is None and make and hay and (hay is self.letters or hay is self.digits):
            got = self._grids[id(hay)] = _Grid(hay)
        return got

    def _grid_for(self, hay: list[str], tests: int, width: int) -> _Grid | None:
        """The grid of `hay` when looking for a word `width` bytes wide in it costs less than `tests` tests
        of a row's string (about 40 ns each); made once the rows tested one by one cost about as much as
        making it (three scans of all rows)."""
        n = len(hay)
        if n < _GRID_MIN_ROWS or not tests or hay is not self.letters and hay is not self.digits:
            return None
        grid = self._grids.get(id(hay))
        if grid is None:
            self._scanned += tests
            if self._scanned < 3 * n:
                return None
            grid = self._grid(hay, True)
        return grid if tests * 40 > n * (grid.cost(width) + 1) else None


class _Grid:
    """A haystack's strings (UTF-8) as a byte matrix, stored column by column: a word is looked for in
    every row at once, one comparison of a whole column per byte and position of the word.

    A test `t in h` per row costs about 40 ns (each string an object of its own, scattered in memory):
    17 ms for "13" among 320,000 members' ID numbers and phones; here about 1.3 ms. UTF-8 keeps a
    substring a substring, and rows are padded with NUL bytes, which no word holds, so a word never
    matches across a row's end. Rows longer than _GRID_WIDTH bytes are cut there in the matrix and also
    tested one by one (few: an ID number and a phone are 30 bytes, a pinyin and its initials about 25).
    """

    __slots__ = ("_cols", "_hay", "_long", "_width")

    def __init__(self, hay: list[str]):
        import numpy as np  # loaded with the first grid, not at start-up

        encoded = [h.encode() for h in hay]
        longest = max(map(len, encoded))
        self._width = width = max(1, min(longest, _GRID_WIDTH))
        self._long = [i for i, b in enumerate(encoded) if len(b) > width] if longest > width else []
        cells = np.array(encoded, dtype=f"S{width}").view(np.uint8).reshape(len(encoded), width)
        self._cols = np.asfortranarray(cells)  # each column contiguous: one position of every row
        self._hay = hay

    def cost(self, width: int) -> float:
        """About what looking for a word of `width` bytes costs per row, in ns."""
        return max(1, self._width - width + 1) * width * 0.07

    def holding(self, word: str):
        """Whether each row holds `word`: a numpy array of booleans."""
        import numpy as np

        b, cols, n = word.encode(), self._cols, self._cols.shape[0]
        found = np.zeros(n, dtype=bool)
        x = np.empty(n, dtype=bool)
        y = np.empty(n, dtype=bool)
        for j in range(self._width - len(b) + 1):
            np.equal(cols[:, j], b[0], out=x)
            for k in range(1, len(b)):
                np.equal(cols[:, j + k], b[k], out=y)
                x &= y
            found |= x
        hay = self._hay
        for i in self._long:
            found[i] = word in hay[i]
        return found


def _among(rows: Sequence[int], held) -> Sequence[int]:
    """Those of ascending `rows` (a range, an array('i') or a list) where `held` (a boolean per row) is true."""
    import numpy as np

    if isinstance(rows, range) and rows.start == 0 and rows.step == 1 and rows.stop == len(held):
        if held.all():
            return range(len(held))
        got = np.flatnonzero(held)
    else:
        at = np.frombuffer(rows, dtype=np.intc) if isinstance(rows, array) else np.asarray(rows, dtype=np.intp)
        got = at[held[at]]
    out = array("i")
    out.frombytes(got.astype(np.intc, copy=False).tobytes())
    return out


_GRID_WIDTH = 64  # bytes of a row kept in a grid; longer rows are tested one by one too
_GRID_MIN_ROWS = 2_000  # below this a row-by-row scan takes well under a millisecond: no grid
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
_PROBE = 64  # rows tested first to guess whether (nearly) everyone holds a word


def _holding(hay: list[str], t: str) -> Sequence[int]:
    """Rows of `hay` holding `t`, ascending; a range when every row does.

    Nearly everyone holds a digit, and the first digits of the ID numbers of one
    district ("3", "31", "3101"): when the first rows all hold the word, each row
    is tested in C into a byte per row and row numbers are made only if someone
    is missing (half the time of making every row's number in a list).
    """
    n = len(hay)
    if n > _PROBE and all(t in h for h in hay[:_PROBE]):
        held = bytes(map(contains, hay, repeat(t)))
        if held.find(0) < 0:
            return range(n)
        return array("i", compress(range(n), held))
    return array("i", [i for i, h in enumerate(hay) if t in h])


_LATIN = re.compile(r"[0-9a-z]")


def _rows_holding_latin(names: list[str]) -> list[int]:
    """Rows whose (lower-cased) name holds an ASCII letter or digit: one search over all names joined."""
    joined = "\n".join(names)
    found = [m.start() for m in _LATIN.finditer(joined)]
    if not found:
        return []
    ends = list(accumulate(len(n) + 1 for n in names))  # where each row's name ends in `joined`, plus one
    return sorted({bisect_right(ends, at) for at in found})


def _holds(rows: Sequence[int], i: int) -> bool:
    """Whether ascending `rows` hold `i`."""
    if isinstance(rows, range):
        return i in rows
    at = bisect_left(rows, i)
    return at < len(rows) and rows[at] == i


class _Index:
    def __init__(self, db: Database):
        self._lock = threading.Lock()
        self._lists: OrderedDict[Hashable, _Lists] = OrderedDict()
        # Table rows already read, per reader (scope, day): a narrower search shows rows the wider one read.
        self._rows: dict[Hashable, dict[str, Any]] = {}
        self._org_names: dict[str, str] | None = None  # 所在党组织 where names repeat (roster.rows)
        self._version: int | None = None
        self._probe: RosterProbe | None = None  # a connection of our own: its version moves with every commit
        event.listen(db.engine, "engine_disposed", lambda *_: self.close())

    def close(self) -> None:
        with self._lock:
            self._lists.clear()
            self._rows.clear()
            self._org_names = None
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

    def _check(self, db: Database) -> None:
        """Drop everything kept when anyone has committed since (call with the lock held)."""
        version = self._data_version(db)
        if version != self._version:
            self._lists.clear()
            self._rows.clear()
            self._org_names = None
            self._version = version

    def rows_read(self, db: Database, key: Hashable) -> dict[str, Any]:
        """Table rows already read as of the file's current version, by id, for one reader: the
        caller adds what it reads (read after this call: a commit meanwhile drops them next time)."""
        with self._lock:
            self._check(db)
            got = self._rows.get(key)
            if got is None or len(got) > _ROWS_KEPT:
                got = self._rows[key] = {}
            return got

    def org_names(self, db: Database, load: Callable[[], dict[str, str]]) -> dict[str, str]:
        """The organisations' names as rows show them, read once per version of the file."""
        with self._lock:
            self._check(db)
            if self._org_names is None:
                self._org_names = load()
            return self._org_names

    def has_lists(self, db: Database, key: Hashable) -> bool:
        """Whether lists(db, key, ...) would answer without reading the table."""
        with self._lock:
            self._check(db)
            return key in self._lists

    def lists(self, db: Database, key: Hashable, load: Callable[[], Sequence[tuple[Any, ...]]]) -> _Lists:
        with self._lock:
            self._check(db)
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
