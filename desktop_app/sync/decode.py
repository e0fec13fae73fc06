"""Reading a package whole before anything is written: open, check, decode.

Verification reads the whole package before a single row is written: the
signature under this street's key, every checksum, the sync format, the
file list, who sent it to whom, every row count and every value against its
column's type. A tampered, truncated, foreign or wrong-key package is refused
whole, with a message that says what to do. What comes out (`Verified`) is
what the merge plans and writes from, so a package is decrypted, verified and
decoded once however often it is planned.
"""

from __future__ import annotations

import gc
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property, partial
from operator import methodcaller
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Table, Time

from desktop_app.domain.sync_rules import DOWNSTREAM, STREET, UPSTREAM, Manifest, PackageRefused, Stamp, table_label
from desktop_app.sync import package
from desktop_app.sync.codec import NULL, codec_for, synced_tables
from desktop_app.sync.crypto import SiteKeys


@contextmanager
def quiet_gc() -> Iterator[None]:
    """No cyclic garbage collection while a package is decoded, planned and written.

    Millions of row tuples made at once set off the collector again and again,
    each pass walking every row made so far (40 % of decoding). The rows hold
    no cycles: reference counting frees them all the same.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class IncomingTable:
    """One table of a package, read and checked: each row as its CSV texts and as the database takes it."""

    table: Table
    columns: list[list[str]]  # each column's texts (sync.codec) as sent, then the base stamp's two
    values: list[tuple]  # the rows as written: storage values on SQLite, Python values elsewhere
    ids: list[str]
    base_there: list[Stamp | None]
    stamp_columns: tuple[list[int], list[str]]  # each row's version and updated_by_site, as decoded

    def __len__(self) -> int:
        return len(self.values)

    @cached_property
    def stamps(self) -> list[Stamp]:
        """Each row's stamp, made when first asked: a new community's rows are stamped by SQLite from the
        rows written (sync.merge), so the merge of one never needs them."""
        # C-level map (tuple.__new__): a Python call per row was a tenth of the decoding.
        return list(map(partial(tuple.__new__, Stamp), zip(*self.stamp_columns)))

    def texts(self, i: int) -> list[str]:
        """Row i as sent: every column's text (sync.codec), then the base stamp."""
        return [col[i] for col in self.columns]

    def as_dicts(self, indexes: Sequence[int]) -> list[dict[str, Any]]:
        names = [c.name for c in self.table.columns]
        return [dict(zip(names, self.values[i])) for i in indexes]


@dataclass
class Verified:
    """A package read whole and checked: its manifest and every table decoded, nothing written yet."""

    manifest: Manifest
    tables: list[IncomingTable]  # foreign-key order
    size: int
    encrypted: bool
    storage: bool  # values decoded as SQLite stores them (see _column_reader)
    upper: str = "街道"  # what the receiver's refusals call the database holding the key: 街道 or 区 (site.upper_name)

    @property
    def rows(self) -> int:
        return sum(len(t) for t in self.tables)


def open_package(path: Path, keys: SiteKeys, signers: package.SignerLookup, sync_format: str, site_id: str,
                 role: str, street_site_id: str, storage=None, upper: str = "街道") -> Verified:
    """Everything about a package that can be checked without writing; raises PackageRefused.

    `storage` is the SQLite dialect when the rows should come out as SQLite keeps
    them (see _column_reader), None for plain Python values. `upper` is what this database calls the one
    holding the key (街道 or 区): read once by the caller, it words every refusal of this package.
    """
    opened = package.open_file(path, keys, signers, sync_format)
    m = opened.manifest
    check_parties(m, site_id, role, street_site_id, upper)
    tables = decode_tables(m, opened.files, storage=storage)
    return Verified(manifest=m, tables=tables, size=opened.size, encrypted=opened.encrypted,
                    storage=storage is not None, upper=upper)


def check_parties(m: Manifest, site_id: str, role: str, street_site_id: str, upper: str = "街道") -> None:
    """Is this package meant for this database, from the one it should come from?"""
    if m.site.id == site_id:
        raise PackageRefused("这是本库自己生成的数据包")
    if role == STREET:
        if m.kind != UPSTREAM:
            raise PackageRefused("这是下发给社区的数据包，应在社区导入")
        if m.site.level != "community":
            raise PackageRefused("数据包不是社区生成的")
    else:
        if m.kind != DOWNSTREAM:
            raise PackageRefused(f"社区只能导入{upper}下发的数据包；社区数据包请拿到{upper}导入")
        if m.to_site is None or m.to_site.id != site_id:
            to = m.to_site.org_name if m.to_site else "其他社区"
            raise PackageRefused(f"这个下发包是给“{to}”的，不是本社区的")
        if street_site_id and m.site.id != street_site_id:
            raise PackageRefused(f"这个下发包不是本社区登记的{upper}数据库生成的")


def decode_tables(m: Manifest, files: dict[str, bytes], storage=None) -> list[IncomingTable]:
    known = {t.name: t for t in synced_tables()}
    for entry in m.tables:
        if entry.name not in known:
            raise PackageRefused(f"数据包含有本库没有的表 {entry.name}，请先升级程序")
    out = []
    for table in known.values():
        entry = m.table(table.name)
        if entry is None:
            continue
        expected = tuple(c.name for c in table.columns) + package.BASE_COLUMNS
        label = table_label(table.name)
        if entry.columns != expected:
            raise PackageRefused(f"表“{label}”的列与本库不一致，请双方使用同一版本的程序")
        try:
            read = package.read_columns(files[table.name])
        except (UnicodeDecodeError, ValueError) as exc:
            raise PackageRefused(f"表“{label}”无法读取（{exc}）") from None
        if tuple(read.header) != expected:
            raise PackageRefused(f"表“{label}”的表头与清单不符")
        if read.rows != entry.rows:
            raise PackageRefused(f"表“{label}”应有 {entry.rows} 行，实有 {read.rows} 行：数据包不完整或被改动过")
        if read.ragged:
            raise PackageRefused(f"表“{label}”第 {read.ragged} 行的列数不对")
        # No backslash anywhere in the file: no NULL (\N) and no escaped text in any column, so no
        # column needs looking at for them (a join or a scan per column, a tenth of decoding); with
        # some, only the columns that hold them (_escaped: decoding a package 8% less CPU).
        out.append(_decode_rows(table, label, read.columns, read.rows, storage, files[table.name].count(b"\\")))
    return out


_PARSERS = {  # python type name -> (parse, C-level re-encoding to the canonical text)
    "datetime": (datetime.fromisoformat, methodcaller("isoformat", " ", "microseconds")),
    "date": (date.fromisoformat, methodcaller("isoformat")),
    "time": (time.fromisoformat, methodcaller("isoformat", "microseconds")),
}
_PROBE_VALUES = {"datetime": datetime(987, 6, 5, 4, 3, 2, 10), "date": date(987, 6, 5), "time": time(4, 3, 2, 10)}
_BOOL_STORED = {"1": 1, "0": 0}
_BOOL_VALUES = {"1": True, "0": False}

Reader = Callable[[list[str]], list]
# Types whose readers make None only of a NULL (\N), so a column without a backslash holds none; a scan
# per column for it was a twentieth of decoding. (JSON makes None of "null".)
_NEVER_NONE = (String, Integer, Boolean, DateTime, Date, Time)


# The canonical text form of each kind, "0" where an ASCII digit goes. A whole column is checked against it
# with one str.translate over the joined column (digits to "0") and one comparison: a third of a regex's cost.
_CANONICAL = {"datetime": "0000-00-00 00:00:00.000000\n", "date": "0000-00-00\n", "time": "00:00:00.000000\n"}
_DIGITS_TO_0 = str.maketrans("123456789", "000000000")


def _texts(col: Sequence[str]) -> list:
    if "\\" not in "".join(col):  # no NULL (\N) and no escaped text: the texts are the values
        return _as_list(col)
    return [None if x == NULL else (x[1:] if x[:1] == "\\" else x) for x in col]


def _as_list(col: Sequence[str]) -> list:
    return col if type(col) is list else list(col)


def _canonical(form: str, parse: Callable, canon: Callable, col: Sequence[str]) -> list:
    """Dates and times as SQLite keeps them: the texts themselves when already canonical (the usual case)."""
    if col and ("\n".join(col) + "\n").translate(_DIGITS_TO_0) == form * len(col):
        deque(map(parse, col), maxlen=0)  # each one a real date or time (no month 13)
        return _as_list(col)
    return list(map(canon, map(parse, col)))


def _with_nulls(read: Reader) -> Reader:
    def reader(col: list[str]) -> list:
        if NULL not in col:
            return read(col)
        values = iter(read([t for t in col if t != NULL]))
        return [None if t == NULL else next(values) for t in col]
    return reader


def _column_reader(column, storage, escapes: bool = True) -> Reader:
    """Decode one whole column of texts (NULL included) at once; raises ValueError, KeyError or TypeError.

    Column by column, with C-level map() where a type allows, because a big
    package is millions of values. On SQLite (`storage` is its dialect) the
    values come out as SQLite keeps them (what the dialect's bind processors
    would make, checked on a probe), ready for the driver's executemany.
    The codec's strict per-value decoder names the bad value on an error.
    `escapes` False says no text of the column holds a backslash: no NULL, nothing escaped.
    """
    t = column.type
    if isinstance(t, String):
        return _texts if escapes else _as_list
    read = _plain_reader(column, storage)
    return _with_nulls(read) if escapes else read


def _plain_reader(column, storage) -> Reader:
    """_column_reader for a column without NULL."""
    t = column.type
    if isinstance(t, Boolean):
        table = _BOOL_STORED if storage is not None else _BOOL_VALUES
        return lambda col: list(map(table.__getitem__, col))
    if isinstance(t, Integer):
        return lambda col: list(map(int, col))
    for kind_type, kind in ((DateTime, "datetime"), (Date, "date"), (Time, "time")):
        if not isinstance(t, kind_type):
            continue
        parse, canon = _PARSERS[kind]
        if storage is None:
            return lambda col: list(map(parse, col))
        proc = t.dialect_impl(storage).bind_processor(storage)
        probe = _PROBE_VALUES[kind]
        if proc is None or proc(probe) == canon(probe):
            return partial(_canonical, _CANONICAL[kind], parse, canon)
        return lambda col: [proc(v) for v in map(parse, col)]
    dec = codec_for(column)[1]
    proc = t.dialect_impl(storage).bind_processor(storage) if storage is not None else None
    if proc is None:
        return lambda col: [dec(x) for x in col]
    return lambda col: [proc(dec(x)) for x in col]


def _escaped(cols: list, columns_text: list[list[str]], backslashes: int) -> list[bool]:
    """Which columns hold a backslash (a NULL, or escaped text), given how many the whole file holds.

    The nullable columns are counted first: once they account for every backslash of the
    file (the usual case: NULLs only), the others need no join, no scan for NULL, no look for None.
    """
    out = [False] * len(cols)
    left = backslashes
    for i in sorted(range(len(cols)), key=lambda i: not cols[i].nullable):
        if left <= 0:
            break
        found = "".join(columns_text[i]).count("\\")
        out[i] = found > 0
        left -= found
    return out


def _decode_rows(table: Table, label: str, columns_text: list[list[str]], count: int, storage=None,
                 backslashes: int = 1) -> IncomingTable:
    """Decode a table's columns (each column's texts, as package.read_columns gives them) into rows.

    `backslashes`: how many the table's file holds (0: no column needs looking at for NULL or escapes).
    """
    cols = list(table.columns)
    names = [c.name for c in cols]
    n = len(cols)
    escaped = _escaped(cols, columns_text, backslashes) if backslashes else [False] * n
    decoded = []
    for i, c in enumerate(cols):
        texts = columns_text[i]
        escapes = escaped[i]
        try:
            values = _column_reader(c, storage, escapes)(texts)
        except (ValueError, TypeError, KeyError):
            raise _bad_value(label, c, texts) from None
        if not c.nullable and (escapes or not isinstance(c.type, _NEVER_NONE)) and None in values:
            raise PackageRefused(f"表“{label}”第 {values.index(None) + 2} 行：{c.name} 不能为空")
        decoded.append(values)
    ids = decoded[names.index("id")]
    if len(set(ids)) != len(ids) or "" in ids:
        seen: set[str] = set()
        for line_no, rid in enumerate(ids, start=2):
            if not rid or rid in seen:
                raise PackageRefused(f"表“{label}”第 {line_no} 行：记录编号为空或重复")
            seen.add(rid)
    bases: list[Stamp | None] = []
    if count and not any(columns_text[n]) and not any(columns_text[n + 1]):
        bases = [None] * count  # the receiver's rows never went to the sender (a first package)
    for line_no, (bv, bs) in enumerate(zip(columns_text[n], columns_text[n + 1]) if count and not bases else (),
                                       start=2):
        if bv == "" and bs == "":
            bases.append(None)
        elif bv.isdigit() and bs:
            bases.append(Stamp(int(bv), bs))
        else:
            raise PackageRefused(f"表“{label}”第 {line_no} 行：基准版本格式错误")
    values = list(zip(*decoded)) if count else []
    return IncomingTable(table=table, columns=columns_text, values=values, ids=list(ids), base_there=bases,
                         stamp_columns=(decoded[names.index("version")], decoded[names.index("updated_by_site")]))


def _bad_value(label: str, column, texts: list[str]) -> PackageRefused:
    """Find which value of a column did not read, for the message."""
    dec = codec_for(column)[1]
    for line_no, t in enumerate(texts, start=2):
        if t == NULL:
            continue
        try:
            dec(t)
        except (ValueError, TypeError) as exc:
            return PackageRefused(f"表“{label}”第 {line_no} 行 {column.name}：{exc}")
    return PackageRefused(f"表“{label}”的 {column.name} 列无法读取")
