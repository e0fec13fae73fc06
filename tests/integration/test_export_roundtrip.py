"""What the program exports, it imports again unchanged: demo community → file → database, on real SQLite files.

Member roster (XLSX and CSV): into a fresh database with the same organisations every
member comes back in the same organisation with the same fields, and into the database
it came from (with --update-existing) nothing is refused and nothing changes. Every
branch of the demo community has a 第一党小组, so this is also the test that the export
names each member's organisation so the import can tell which one it is.

The ledger's 收支明细 export (one year of it) imports as that year's history into a fresh
database with the same accounts: the same entries, counterparties included, each 红字冲销
again the reversal of its voucher.

A held meeting's attendance sheet (attendance_import.write_template with the meeting)
imports back without a refusal and changes no one's attendance.

Not round trips: the 三会一课落实情况表 XLSX (a report of figures), the PDFs, and the
development, meetings and residents history imports (the program has no export for them).
"""

import sqlite3
from contextlib import closing
from datetime import date

import pytest

from desktop_app.cli import main
from desktop_app.domain.members import COLUMN_FIELDS
from desktop_app.services import ledger, ledger_import, orgs, roster, site
from desktop_app.services import meetings as ms
from desktop_app.services.database import open_database
from desktop_app.services.ledger import EntryFilter
from desktop_app.services.meetings import attendance_import
from desktop_app.services.roster import EVERYONE, MemberFilter

_DEMO: dict[str, object] = {}
SEED_MEMBERS = "60"


@pytest.fixture
def demo_path(tmp_path_factory, tmp_path):
    """A copy of one demo community file (made once per run: the demo takes seconds)."""
    if "path" not in _DEMO:
        path = tmp_path_factory.mktemp("demo") / "demo.db"
        assert main(["demo", "--db", str(path), "--members", SEED_MEMBERS]) == 0
        _DEMO["path"] = path
    copy = tmp_path / "demo.db"
    # Through SQLite's backup: the demo's last writes may still sit in its write-ahead log.
    with closing(sqlite3.connect(_DEMO["path"])) as src, closing(sqlite3.connect(copy)) as dst:
        src.backup(dst)
    return copy


def fresh_like(db, path):
    """A new database set up as the same community with the same organisations (same codes), no members."""
    info = site.get_site(db)
    tree = orgs.list_tree(db)
    street = next((n for n in tree if n.kind == "street"), None)
    new, _ = open_database(path)
    site.init_site(new, info.org_code, info.org_name, info.level, street_name=street.name if street else "")
    ids = {n.code: n.id for n in orgs.list_tree(new)}
    code_of = {n.id: n.code for n in tree}
    for node in tree:  # list_tree is in tree order: a parent comes before its children
        if node.code not in ids:
            parent = ids[code_of[node.parent_id]] if node.parent_id else None
            ids[node.code] = orgs.create(new, node.name, node.code, node.kind, parent).id
    return new


def stored(db, numbers):
    """Every member's template fields as stored, the organisation by its code (ids differ between files)."""
    code_of = {n.id: n.code for n in orgs.list_tree(db)}
    out = {}
    for number, rec in roster.stored_by_id_number(db, numbers).items():
        fields = {f: rec[f] for f in COLUMN_FIELDS.values()}
        fields["org_id"] = code_of.get(rec["org_id"])
        out[number] = fields
    return out


@pytest.mark.parametrize("everyone", [False, True], ids=["roster", "everyone"])
def test_demo_roster_file_imports_into_a_fresh_database_unchanged(demo_path, tmp_path, everyone):
    """Both of the export's choices: the page's 在册党员, and everyone with the 状态 column (which the
    import passes by: 转出 and 去世 members come in as 正常, the file's template fields unchanged)."""
    db, _ = open_database(demo_path)
    flt = EVERYONE if everyone else MemberFilter(active_only=True)
    rows = roster.export_rows(db, flt, reveal=True)
    on_roster, kept = roster.export_counts(db, MemberFilter(active_only=True))
    assert on_roster < kept  # the demo has 转出 and 去世 members: the two choices differ
    numbers = [r["公民身份号码"] for r in rows]
    # The demo community repeats 党小组 names under every branch: the file must still say which one.
    assert any(" / " in r["所在党支部"] for r in rows)
    before = stored(db, numbers)
    assert len(before) == len(rows) > 20
    for suffix in ("xlsx", "csv"):
        out = tmp_path / f"党员.{suffix}"
        assert roster.export_members(db, out, flt, everyone=everyone) == len(rows)
        fresh = fresh_like(db, tmp_path / f"fresh_{suffix}.db")
        preview = roster.preview_import(fresh, out)
        assert not preview.error_lines(), suffix
        assert (preview.total_rows, preview.invalid_rows) == (len(rows), 0)
        result = roster.apply_import(fresh, preview)
        assert (result.added, result.updated, result.skipped_invalid) == (len(rows), 0, 0)
        assert not result.branches_created
        assert stored(fresh, numbers) == before, suffix
        # And the fresh database exports the very same rows: nothing drifts on a second trip.
        assert roster.export_rows(fresh, flt, reveal=True) == rows, suffix
        fresh.dispose()
    db.dispose()


@pytest.mark.parametrize("everyone", [[], ["--all"]], ids=["roster", "everyone"])
@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_demo_roster_file_imported_back_with_update_existing_changes_nothing(demo_path, tmp_path, suffix, everyone,
                                                                             capsys):
    out = tmp_path / f"党员.{suffix}"
    assert main(["export", "members", *everyone, "--db", str(demo_path), "--out", str(out)]) == 0
    db, _ = open_database(demo_path)
    rows = roster.export_rows(db, EVERYONE if everyone else MemberFilter(active_only=True), reveal=True)
    numbers = [r["公民身份号码"] for r in rows]
    before = roster.stored_by_id_number(db, numbers)
    db.dispose()
    capsys.readouterr()
    assert main(["import", "members", str(out), "--db", str(demo_path), "--update-existing"]) == 0
    printed = capsys.readouterr().out
    assert f"已导入：新增 0 人，更新 0 人，无变化 {len(rows)} 人" in printed
    db, _ = open_database(demo_path)
    assert roster.stored_by_id_number(db, numbers) == before  # versions too: nothing was rewritten
    db.dispose()


def _entries(db, year):
    """A year's entries as the 收支明细 shows them (voucher numbers kept by the import)."""
    flt = EntryFilter(date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    return sorted((e.voucher_no, e.entry_date, e.account_name, e.direction, e.amount_fen, e.category, e.memo,
                   e.counterparty, e.handler, e.reversal_of_voucher) for e in ledger.list_entries(db, flt))


@pytest.mark.parametrize("back", [1, 0])
def test_a_ledger_year_exported_imports_into_a_fresh_database_unchanged(demo_path, tmp_path, back):
    db, _ = open_database(demo_path)
    year = date.today().year - back  # the demo's books: last year and this one (up to today)
    out = tmp_path / "收支明细.xlsx"
    count = ledger.export_entries_xlsx(db, out, None, date(year, 1, 1), date(year, 12, 31))
    before = _entries(db, year)
    assert count == len(before) > (50 if back else 0)  # early in January this year has little yet
    assert any(e[7] for e in before)  # counterparties are there to lose
    assert back == 0 or any(e[9] for e in before)  # and last year has a 红字冲销 to take as one
    fresh = fresh_like(db, tmp_path / "fresh.db")
    have = {a.name for a in ledger.list_accounts(fresh)}
    for account in ledger.list_accounts(db):
        if account.name not in have:
            ledger.add_account(fresh, account.name)
    plan = ledger_import.preview(fresh, out)
    assert not plan.error_lines()
    assert ledger_import.apply(fresh, plan) == count
    assert _entries(fresh, year) == before
    fresh.dispose()
    db.dispose()


def test_a_held_meetings_attendance_sheet_imports_back_unchanged(demo_path, tmp_path):
    db, _ = open_database(demo_path)
    held = [m for m in ms.list_meetings(db) if m.status == "held"][:40]
    assert len(held) == 40

    def attendance(meeting_id):
        d = ms.get(db, meeting_id)
        return sorted((a.member_id or "", a.name, a.status, a.reason, a.is_guest, a.guest_unit) for a in d.attendees)

    for m in held:
        before = attendance(m.id)
        sheet = attendance_import.write_template(db, tmp_path / f"{m.number}.csv", m.id)
        check = attendance_import.preview(db, sheet)
        assert not check.errors, (m.number, [e.message() for e in check.errors[:3]])
        assert check.valid_rows == len(before)
        attendance_import.apply(db, check)
        assert attendance(m.id) == before, m.number
    db.dispose()


def test_each_organisation_is_named_so_the_import_finds_it_again(empty_db, tmp_path):
    """At a street office two communities have the same branches and groups: the path must go up further;
    a name the import would read as a path (it holds a slash) is written as its code."""
    from desktop_app.domain import idcard
    from desktop_app.domain.members import MemberInput

    db = empty_db
    site.init_site(db, "310105003", "西园街道党工委", "street")
    street = orgs.list_tree(db)[0]
    placed = {}
    for c, community in enumerate(("梅园社区党委", "幸福里社区党委"), start=1):
        com = orgs.create(db, community, f"31010500300{c}", "community", street.id)
        branch = orgs.create(db, "第一网格党支部", f"{com.code}01", "branch", com.id)
        group = orgs.create(db, "第一党小组", f"{branch.code}01", "group", branch.id)
        placed[group.id] = f"{community} / 第一网格党支部 / 第一党小组"
        placed[branch.id] = f"{community} / 第一网格党支部"
    odd = orgs.create(db, "老年/退休党支部", f"{com.code}05", "branch", com.id)
    placed[odd.id] = odd.code
    lone = orgs.create(db, "退休党员党支部", f"{com.code}06", "branch", com.id)
    placed[lone.id] = "退休党员党支部"
    for n, org_id in enumerate(placed, start=1):
        number = idcard.make("310105", date(1980, 1, n), n, "男")
        roster.create(db, MemberInput(name=f"党员{n}", org_id=org_id, id_number=number, category="正式党员",
                                      joined_date=date(2005, 7, 1), confirmed_date=date(2006, 7, 1)))
    rows = roster.export_rows(db, reveal=True)
    by_number = {r["公民身份号码"]: r["所在党支部"] for r in rows}
    before = stored(db, list(by_number))
    assert sorted(by_number.values()) == sorted(placed.values())
    out = tmp_path / "党员.xlsx"
    roster.export_members(db, out)
    preview = roster.preview_import(db, out)
    assert not preview.error_lines()
    result = roster.apply_import(db, preview, update_existing=True)
    assert (result.added, result.updated, result.unchanged) == (0, 0, len(placed))
    assert stored(db, list(by_number)) == before


def test_a_reversal_row_must_match_what_it_reverses(demo_path, tmp_path):
    """A 红字冲销 row imports only as the reversal of an entry in the file or the books, once, to the fen."""
    from openpyxl import load_workbook

    db, _ = open_database(demo_path)
    year = date.today().year - 1
    out = tmp_path / "收支明细.xlsx"
    ledger.export_entries_xlsx(db, out, None, date(year, 1, 1), date(year, 12, 31))
    fresh = fresh_like(db, tmp_path / "fresh.db")
    for account in ledger.list_accounts(db):
        if account.name not in {a.name for a in ledger.list_accounts(fresh)}:
            ledger.add_account(fresh, account.name)
    db.dispose()

    def edited(name, change):
        wb = load_workbook(out)
        ws = wb.active
        row = next(r for r in range(2, ws.max_row + 1) if str(ws.cell(r, 6).value or "").startswith("红字冲销"))
        change(ws, row)
        wb.save(tmp_path / name)
        return [line for line in ledger_import.preview(fresh, tmp_path / name).error_lines()]

    def amount(ws, row):
        col = 8 if ws.cell(row, 8).value is not None else 9
        ws.cell(row, col).value = ws.cell(row, col).value + 1

    def elsewhere(ws, row):
        ws.cell(row, 6).value = f"红字冲销 {year}-9999：发票作废"

    def twice(ws, row):
        ws.append([f"{year}-9998" if c == 1 else ws.cell(row, c).value for c in range(1, ws.max_column + 1)])

    assert any("账户、收支或金额不符" in line for line in edited("金额.xlsx", amount))
    assert any(f"冲销的凭证 {year}-9999 不在本文件中，也不在账上" in line for line in edited("别处.xlsx", elsewhere))
    assert any("已被冲销过" in line for line in edited("两次.xlsx", twice))
    fresh.dispose()
