"""签到表 for 500 meetings of 60 attendees, beside plain reportlab drawing the same tables.

Ours: reports.signin.render_signin per meeting (header block, QR code, masked
phones, blank rows, page X of Y). Baseline: reportlab's SimpleDocTemplate with
one Table of the same rows and column widths in the same CJK font, nothing
else. Both produce the PDFs in memory, timed in CPU seconds and in alternating
slices (the machine is shared; wall time swings with the others' load). Then
the same sheets in batches of 100 as one PDF each (render_signin_sheets, what
the window and `dangqun report signin` print for many meetings) beside plain
reportlab's one document of the same tables. Then the whole doors the GUI and
the command line use, services.meetings.print_signin_sheet (permission, read
model from the database, render) one call per meeting and print_signin_sheets
for all of them in one PDF (three times, each beside plain reportlab's one
document of as many tables), for 50 meetings of a 60-member branch (CPU time
too; SQLite runs in this process); --scale 10 makes that 500 meetings.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date, timedelta, time as clock
from io import BytesIO
from pathlib import Path

from tests.benchmarks.figures import record

N_MEETINGS = 500
N_ATTENDEES = 60
N_SERVICE = 50
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


def _sheets(n_meetings: int = N_MEETINGS):
    from desktop_app.views.meetings import SigninLine, SigninSheet

    out = []
    for k in range(n_meetings):
        lines = tuple(
            SigninLine(SURNAMES[(i + k) % 20] + GIVEN[i % 20] + ("华" if i % 3 == 0 else ""),
                       ("第一党小组", "第二党小组", "")[i % 3], "外出就医" if i == 7 else "", "",
                       f"1391234{i:04d}")
            for i in range(N_ATTENDEES)
        )
        out.append(SigninSheet("幸福里社区党委", f"第{k % 9 + 1}网格党支部", "支部党员大会",
                               "学习贯彻党的二十届三中全会精神", f"320102001-2025-{k + 1:04d}", date(2025, 5, 8),
                               clock(19, 30), clock(21, 0), "党群服务中心二楼会议室", "王建国", "", lines))
    return out


def _ours(sheets) -> tuple[float, int]:
    from desktop_app.reports.signin import render_signin

    t0 = time.process_time()
    size = sum(len(render_signin(s, printed_on=date(2025, 5, 1), font_path="")) for s in sheets)
    return time.process_time() - t0, size


def _plain(sheets, together: bool = False) -> tuple[float, int]:
    """Plain reportlab: a document per sheet holding one Table of its rows, or (`together`) one document of
    all those tables, each from a new page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table

    from desktop_app.reports.fonts import register_cjk_font

    font = register_cjk_font("")
    widths = [w * 180 * mm / 180 for w in (12, 28, 30, 40, 40, 30)]
    header = ["序号", "姓名", "所在党小组", "签到", "请假（原因）", "备注"]
    style = [("FONT", (0, 0), (-1, -1), font.name, 9), ("GRID", (0, 0), (-1, -1), 0.5, "black")]

    def build(story) -> int:
        buf = BytesIO()
        SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm).build(story)
        return len(buf.getvalue())

    t0 = time.process_time()
    size = 0
    story: list = []
    for s in sheets:
        rows = [header] + [[str(i), x.name, x.group, "", f"请假：{x.leave_reason}" if x.leave_reason else "", x.notes]
                           for i, x in enumerate(s.lines, start=1)]
        table = Table(rows, colWidths=widths, rowHeights=[8 * mm] * len(rows), repeatRows=1, style=style)
        if not together:
            size += build([table])
        else:
            story += [PageBreak(), table] if story else [table]
    if together:
        size = build(story)
    return time.process_time() - t0, size


def _ours_together(sheets) -> tuple[float, int]:
    from desktop_app.reports.signin import render_signin_sheets

    t0 = time.process_time()
    size = len(render_signin_sheets(sheets, printed_on=date(2025, 5, 1), font_path=""))
    return time.process_time() - t0, size


def _plain_together(sheets) -> tuple[float, int]:
    return _plain(sheets, together=True)


def _side_by_side(sheets, ours_fn=_ours, plain_fn=_plain, rounds: int = 5) -> tuple[float, int, float, int]:
    """Ours and the baseline in alternating slices, CPU time: a shared machine's load swings both alike."""
    ours = plain = 0.0
    ours_size = plain_size = 0
    step = -(-len(sheets) // rounds)
    for i in range(0, len(sheets), step):
        t, n = ours_fn(sheets[i:i + step])
        ours, ours_size = ours + t, ours_size + n
        t, n = plain_fn(sheets[i:i + step])
        plain, plain_size = plain + t, plain_size + n
    return ours, ours_size, plain, plain_size


def _through_service(folder: Path, n_service: int = N_SERVICE, rounds: int = 3) -> tuple[float, float, float, int]:
    """print_signin_sheet for N_SERVICE meetings of one branch, one call each, then print_signin_sheets for
    all of them in one call (their data read together, one PDF), `rounds` times, each beside plain
    reportlab's one document of as many tables (the machine's load swings both alike); setting the database
    up is not timed. Returns one by one, together and its baseline (per round) and the sheets' bytes."""
    os.environ["DANGQUN_DATA_DIR"] = str(folder / "data")
    from desktop_app.domain import idcard
    from desktop_app.domain import meetings as rules
    from desktop_app.services import meetings as ms
    from desktop_app.services import orgs, site
    from desktop_app.services.database import open_database
    from desktop_app.services.uow import UnitOfWork
    from desktop_app.store.models import Member

    db, _ = open_database(folder / "bench.db")
    site.init_site(db, "320102001", "幸福里社区党委", "community", street_name="梅园街道党工委")
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    branch = orgs.create(db, "第一网格党支部", "B01", "branch", community.id)
    group = orgs.create(db, "第一党小组", "G01", "group", branch.id)
    with UnitOfWork(db) as uow:
        for i in range(N_ATTENDEES):
            born = date(1950 + i % 40, 1 + i % 12, 1 + i % 28)
            uow.session.add(Member(
                seq=i + 1, name=SURNAMES[i % 20] + GIVEN[i // 20 % 20], org_id=group.id if i % 2 else branch.id,
                id_number=idcard.make("320102", born, i, idcard.MALE), joined_date=date(born.year + 25, 7, 1),
                mobile=f"1391234{i:04d}",
            ))
        uow.commit()
    numbers = [
        ms.plan(db, ms.MeetingInput(org_id=branch.id, kind=rules.BRANCH_CONGRESS, title="学习贯彻党的二十届三中全会精神",
                                    meeting_date=date(2025, 1, 1) + timedelta(days=k), start_time=clock(19, 30),
                                    place="党群服务中心二楼会议室", host="王建国")).number
        for k in range(n_service)
    ]
    ms.print_signin_sheet(db, numbers[0], printed_on=date(2025, 5, 1), font_path="")  # warm up
    t0 = time.process_time()
    size = sum(len(ms.print_signin_sheet(db, n, printed_on=date(2025, 5, 1), font_path="")) for n in numbers)
    one_by_one = time.process_time() - t0
    together = plain = 0.0
    same = _sheets(n_service)
    for _ in range(rounds):
        t0 = time.process_time()
        batch = ms.print_signin_sheets(db, numbers, printed_on=date(2025, 5, 1), font_path="")
        together += time.process_time() - t0
        assert batch.startswith(b"%PDF")
        plain += _plain_together(same)[0]
    db.dispose()
    return one_by_one, together / rounds, plain / rounds, size


def main(quick: bool = False, scale: int = 1) -> None:
    # --scale grows the database the service reads (meetings of the branch), not the batch drawn:
    # drawing a sheet costs the same in a batch of 500 or 5,000, so both figures are per sheet.
    n_meetings, n_service = (10, 3) if quick else (N_MEETINGS, N_SERVICE * scale)
    sheets = _sheets(n_meetings)
    _ours(sheets[:3])  # font loading and imports out of the timing
    _plain(sheets[:3])
    ours, ours_size, plain, plain_size = _side_by_side(sheets)
    print(f"签到表 {n_meetings} meetings x {N_ATTENDEES} attendees (ours, QR + header on every page, CPU): "
          f"{ours:.2f} s, {ours / n_meetings * 1000:.1f} ms/sheet, {ours_size / n_meetings / 1024:.0f} KB/sheet")
    print(f"plain reportlab, same tables:                                   "
          f"{plain:.2f} s, {plain / n_meetings * 1000:.1f} ms/sheet, {plain_size / n_meetings / 1024:.0f} KB/sheet")
    print(f"ratio: {ours / plain:.2f}x")
    record("signin", "签到表 per sheet (QR + header on every page)", ours / n_meetings, "s", plain / n_meetings,
           "plain reportlab, same tables", 1.3, f"{n_meetings} meetings x {N_ATTENDEES}", per_unit=True)
    ours_all, ours_all_size, plain_all, plain_all_size = _side_by_side(sheets, _ours_together, _plain_together)
    print(f"签到表 {n_meetings} meetings, 5 PDFs of {n_meetings // 5} sheets (render_signin_sheets, CPU): "
          f"{ours_all:.2f} s, {ours_all / n_meetings * 1000:.1f} ms/sheet, "
          f"{ours_all_size / n_meetings / 1024:.0f} KB/sheet")
    print(f"plain reportlab, the same tables in the same 5 documents:     "
          f"{plain_all:.2f} s, {plain_all / n_meetings * 1000:.1f} ms/sheet, "
          f"{plain_all_size / n_meetings / 1024:.0f} KB/sheet")
    print(f"ratio: {ours_all / plain_all:.2f}x")
    record("signin", "签到表 per sheet, many in one PDF", ours_all / n_meetings, "s", plain_all / n_meetings,
           "plain reportlab, same tables in one document", 1.3, f"{n_meetings} meetings x {N_ATTENDEES}",
           per_unit=True)
    with tempfile.TemporaryDirectory() as tmp:
        served, batch, batch_plain, served_size = _through_service(Path(tmp), n_service)
    print(f"through services.meetings.print_signin_sheet, {n_service} meetings one by one (read model + render): "
          f"{served:.2f} s, {served / n_service * 1000:.1f} ms/sheet, {served_size / n_service / 1024:.0f} KB/sheet, "
          f"{served / n_service / (plain / n_meetings):.2f}x plain")
    print(f"through services.meetings.print_signin_sheets, the {n_service} in one PDF (read together + render): "
          f"{batch:.2f} s, {batch / n_service * 1000:.1f} ms/sheet, "
          f"{batch / n_service / (batch_plain / n_service):.2f}x plain in one document "
          f"({batch_plain / n_service * 1000:.1f} ms/sheet, run beside it)")
    record("signin", "print_signin_sheet per sheet (read model + render)", served / n_service, "s",
           plain / n_meetings, "plain reportlab, same tables", size=f"{n_service} meetings", per_unit=True)
    record("signin", "print_signin_sheets per sheet (one read for all, one PDF)", batch / n_service, "s",
           batch_plain / n_service, "plain reportlab, same tables in one document", 1.3, f"{n_service} meetings",
           per_unit=True)


if __name__ == "__main__":
    main()
