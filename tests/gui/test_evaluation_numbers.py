"""民主评议: 序号 runs 1..n within the branch on the screen as on the printed 汇总表, whatever gaps the
roster's own numbers have (members of other branches between them); the roster number stays a tooltip."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

from pypdf import PdfReader
from PySide6.QtCore import Qt

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.gui.meetings.evaluations import EvaluationsPage
from desktop_app.reports.evaluation import render_evaluation
from desktop_app.services import evaluations, orgs, roster

FIRST = ("王建国", "李秀英", "张伟", "刘洋")


def test_numbers_run_one_to_n_within_the_branch(qtbot, app_ctx, wait_ops):
    db = app_ctx.db
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    first = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    second = orgs.create(db, "第二网格党支部", "B02", "branch", c.id)
    for i in range(2 * len(FIRST)):  # the branches take turns: the first's roster numbers are 1, 3, 5, 7
        born = date(1950 + i, 2, 1 + i)
        roster.create(db, MemberInput(
            name=FIRST[i // 2] if i % 2 == 0 else f"赵{'一二三四'[i // 2]}", org_id=(first if i % 2 == 0 else second).id,
            id_number=idcard.make("320102", born, i, idcard.MALE), joined_date=date(1985, 7, 1),
            confirmed_date=date(1986, 7, 1)))
    page = EvaluationsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    wait_ops()
    page.branch.setCurrentIndex(page.branch.findData(first.id))
    page.year.setValue(2025)
    wait_ops()
    shown = [(page.model.index(r, 0).data(), page.model.index(r, 1).data()) for r in range(page.model.rowCount())]
    assert shown == [(str(i), name) for i, name in enumerate(FIRST, start=1)]
    assert page.model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == "名册序号 3"

    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(render_evaluation(evaluations.summary(db, 2025)))).pages)
    section = text[text.index("第一网格党支部（4 名）"):text.index("第二网格党支部（4 名）")]
    printed = re.findall(r"^\s*(\d+)\s*(\S+)", section, re.MULTILINE)
    assert [(n, name) for n, name in printed if name in FIRST] == shown
