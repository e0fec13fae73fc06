"""The roster's first rows come before its filter tree, due banner and search lists; what follows still arrives."""

from __future__ import annotations

from datetime import date

from desktop_app.domain import idcard
from desktop_app.domain.idcard import MALE
from desktop_app.domain.members import MemberInput
from desktop_app.gui.roster.page import RosterPage
from desktop_app.services import auth, orgs, roster
from desktop_app.services.roster import MemberFilter, search
from desktop_app.services.roster.queries import _lists_key


def _people(db, n: int = 5) -> tuple[str, list[str]]:
    community = next(o for o in orgs.list_tree(db) if o.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    names = [f"张{c}" for c in "一二三四五六七八九"[:n]]
    for i, name in enumerate(names):
        born = date(1970, 1, 1 + i)
        roster.create(db, MemberInput(name=name, org_id=branch.id, id_number=idcard.make("320102", born, i, MALE),
                                      joined_date=date(1995, 7, 1), confirmed_date=date(1996, 7, 1)))
    return branch.id, names


def test_the_first_rows_come_before_the_tree_and_the_due_banner(qtbot, app_ctx, wait_ops):
    branch_id, names = _people(app_ctx.db)
    page = RosterPage(app_ctx)
    qtbot.addWidget(page)
    seen = []
    page.searched.connect(lambda n: seen.append((n, page.branch.count(), len(page.nodes))))
    with qtbot.waitSignal(page.searched):
        page.show()
    assert seen == [(len(names), 1, 0)]  # the rows, with the filter still at 全部党组织 alone
    wait_ops()
    assert page.branch.findData(branch_id) >= 0 and page.nodes  # the tree followed
    assert seen == [(len(names), 1, 0)]  # and searched nothing again


def test_an_empty_search_reads_ids_alone_until_the_lists_are_read_and_answers_the_same(db):
    _branch, names = _people(db)
    flt = MemberFilter(active_only=True)
    index = search._index_for(db)
    key = _lists_key(auth.require(db, "members.read"), flt, "seq", False, date.today())
    first = list(roster.search_hits(db, flt, today=date.today()))
    assert not index.has_lists(db, key)  # the name, pinyin, ID-number and phone columns were not read
    roster.prepare_search(db, flt, today=date.today())
    assert index.has_lists(db, key)
    assert list(roster.search_hits(db, flt, today=date.today())) == first
    assert len(first) == len(names)
    typed = roster.search_hits(db, MemberFilter(text="张三", active_only=True), today=date.today())
    assert [roster.get(db, i).name for i in typed] == ["张三"]


def test_the_upgrade_notes_wait_for_the_first_rows(qtbot, app_ctx, wait_ops, monkeypatch):
    from desktop_app.gui import app as gui_app
    from desktop_app.gui.main_window import MainWindow
    from desktop_app.gui.release import notes

    asked = []
    monkeypatch.setattr(notes, "show_pending_notes", lambda parent, db: asked.append(parent))
    w = MainWindow(app_ctx)
    qtbot.addWidget(w)
    w.skip_exit_backup = True
    wait_ops()
    assert asked == []  # not at attach: its modules and read came before the first page's rows
    gui_app.watch_file(w, app_ctx.db, lambda exc: None)  # the window's start runs it once those rows are shown
    qtbot.waitUntil(lambda: asked == [w], timeout=5000)
