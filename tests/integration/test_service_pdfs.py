"""走访记录表, 微心愿 cards and list, the monthly summary and 调解记录: real data in, text read back."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.domain import idcard
from desktop_app.domain import service_flow as flow
from desktop_app.domain.members import MemberInput
from desktop_app.domain.service_flow import CaseInput, PartyInput, SessionInput, VisitInput, WishInput
from desktop_app.reports.fonts import ENV_VAR, shipped_font_path
from desktop_app.services import mediation, orgs, roster, service_stats, visits, wishes
from desktop_app.services import residents as res

TODAY = date(2024, 6, 28)


@pytest.fixture(autouse=True)
def shipped_font(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(shipped_font_path()))


@pytest.fixture
def town(db):
    community = next(n for n in orgs.list_tree(db) if n.kind == "community")
    g1 = orgs.create(db, "第一网格党支部", "G1", "branch", community.id).id
    g2 = orgs.create(db, "第二网格党支部", "G2", "branch", community.id).id
    zhang = roster.create(db, MemberInput(
        name="张建国", org_id=g1, id_number=idcard.make("320102", date(1960, 1, 2), 1, "男"), gender="男",
        birth_date=date(1960, 1, 2), joined_date=date(1985, 7, 1), confirmed_date=date(1986, 7, 1)), TODAY).id
    h1 = res.create_household(db, res.HouseholdInput(grid_id=g1, building="梅园新村3栋", unit="2单元", room="302室"))
    h2 = res.create_household(db, res.HouseholdInput(grid_id=g2, building="桂花苑1栋", unit="1单元", room="101室"))
    wang = res.create_resident(db, res.ResidentInput(name="王秀英", household_id=h1.id, phone="13912345678"), TODAY).id
    zhao = res.create_resident(db, res.ResidentInput(name="赵德明", household_id=h2.id), TODAY).id
    return {"g1": g1, "g2": g2, "zhang": zhang, "wang": wang, "zhao": zhao}


def texts(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(BytesIO(data)).pages]


def squash(text: str) -> str:
    """Table cells wrap: compare without the line breaks and spaces wrapping put in."""
    return "".join(text.split())


def test_visit_register_and_form(db, town, tmp_path):
    issues = ["厨房水龙头漏水", "楼道灯不亮", "垃圾桶不够用", "小区绿地被占用种菜"]
    made = []
    for i in range(45):  # enough for a second landscape page
        made.append(visits.log_visit(db, VisitInput(
            visit_date=date(2024, 6, 1 + i % 27), member_ids=(town["zhang"],), other_visitors="网格员小刘",
            resident_id=town["wang"] if i % 2 else town["zhao"], category="供水",
            content=f"{issues[i % 4]}（第{i + 1}次）"), today=TODAY))
    visits.move_follow_up(db, made[0].id, flow.SOLVED, "物业王师傅", date(2024, 6, 5), "更换水龙头", today=TODAY)

    out = tmp_path / "visits.pdf"
    flt = visits.VisitFilter(date_from=date(2024, 6, 1), date_to=date(2024, 6, 30))
    assert visits.print_visit_register(db, out, flt, today=TODAY) == 45
    pages = texts(out.read_bytes())
    assert len(pages) >= 2
    whole = squash("".join(pages))
    assert "幸福里社区党委走访记录表" in whole
    assert "共走访45次，反映问题45件，已解决1件" in whole
    for n in (1, 23, 45):
        assert f"第{n}次" in whole
    assert "已解决（物业王师傅6月5日）：更换水龙头" in whole
    assert "张建国、网格员小刘" in whole
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page
        assert "反映问题" in page  # the header row on every page

    one = tmp_path / "one.pdf"
    visits.print_visit_forms(db, one, [made[0].id], today=TODAY)
    form = squash("".join(texts(one.read_bytes())))
    assert "走访对象赵德明" in form and "桂花苑1栋1单元101室" in form
    assert "办理情况更换水龙头" in form and "被走访人（签字）" in form
    # the form's dates are written as its 走访日期 is (2024年6月1日), not 2024-06-08 beside it
    assert "办结期限2024年6月8日" in form and "办结日期2024年6月5日" in form


def test_wish_cards_mask_names_and_hide_flats(db, town, tmp_path):
    posted = [wishes.post_wish(db, WishInput(resident_id=town["wang"], content=f"心愿{i}：想要一台收音机",
                                             background="独居老人", estimated_fen=12050,
                                             posted_on=date(2024, 6, 1)), TODAY) for i in range(7)]
    claimed = wishes.claim_wish(db, posted[6].id, date(2024, 6, 2), member_id=town["zhang"], today=TODAY)
    out = tmp_path / "cards.pdf"
    assert wishes.print_wish_cards(db, out, today=TODAY) == 6  # the board shows waiting wishes
    pages = texts(out.read_bytes())
    assert len(pages) == 1  # six to a page
    page = squash(pages[0])
    assert page.count("微心愿") >= 6 and "王*英" in page and "王秀英" not in page
    assert "梅园新村3栋" in page and "302室" not in page
    assert "约120.50元" in page and "认领人：" in page
    for i in range(6):
        assert f"心愿{i}：想要一台收音机" in page

    seven = tmp_path / "all.pdf"
    assert wishes.print_wish_cards(db, seven, wish_ids=[w.id for w in posted], today=TODAY) == 7
    assert len(texts(seven.read_bytes())) == 2
    assert wishes.print_wish_cards(db, seven, wishes.WishFilter(state=flow.WISH_CLAIMED), today=TODAY) == 1
    assert "已由张建国认领" in squash(texts(seven.read_bytes())[0])

    wishes.fulfil_wish(db, claimed.id, date(2024, 6, 20), "送到家中", today=TODAY)
    listing = tmp_path / "list.pdf"
    assert wishes.print_wish_list(db, listing, wishes.WishFilter(year=2024), today=TODAY) == 7
    text = squash("".join(texts(listing.read_bytes())))
    assert "微心愿清单" in text and "共7个心愿：待认领6个，已认领0个，已实现1个（价值约120.50元）" in text
    assert "XY2024-007" in text and "按实现日期统计" in text


def test_monthly_summary_per_grid(db, town, tmp_path):
    a = visits.log_visit(db, VisitInput(visit_date=date(2024, 6, 3), member_ids=(town["zhang"],),
                                        resident_id=town["wang"], category="路灯", content="3栋门口路灯坏了"),
                         today=TODAY)
    visits.move_follow_up(db, a.id, flow.SOLVED, "张建国", date(2024, 6, 9), "联系供电所更换灯泡", today=TODAY)
    visits.log_visit(db, VisitInput(visit_date=date(2024, 6, 4), member_ids=(town["zhang"],),
                                    resident_id=town["zhao"], category="物业", content="物业费公示不清楚",
                                    due_date=date(2024, 6, 11)), today=TODAY)
    out = tmp_path / "summary.pdf"
    sm = service_stats.print_service_summary(db, out, 2024, 6, today=TODAY)
    assert sm.total.raised == 2
    text = squash("".join(texts(out.read_bytes())))
    assert "幸福里社区党委2024年6月服务群众工作月报" in text
    assert "走访2次；群众反映问题2件；其中到期末已办结1件（办结率50%）；本期解决1件（含前期反映的）；期末尚有1件在办（逾期1件）" in text
    # 办结率 (the month's own problems) and 本期解决 (any closed in the month) are told apart under the table
    assert "反映问题本期解决无需处理办结率" in text and "已解决" not in text.split("各网格情况")[1].split("注：")[0]
    assert "办结率＝其中到期末已办结（已解决或无需处理）的比例" in text and "故可多于本期反映问题" in text
    assert "第一网格党支部：群众反映问题及办理情况（1件：路灯1件）" in text
    assert "张建国2024-06-09：联系供电所更换灯泡" in text
    assert "物业费公示不清楚" in text and "已逾期" in text
    # it goes to the street: who files it, who answers for it, who filled it in, when
    assert "填报单位（盖章）：幸福里社区党委" in text and "负责人：" in text and "填表人：" in text and "日期：" in text


def test_mediation_record(db, town, tmp_path):
    c = mediation.create_case(db, CaseInput(
        kind="房屋漏水", summary="楼上卫生间漏水到楼下吊顶", received_on=date(2024, 6, 1), mediator="张建国",
        grid_id=town["g1"], parties=(PartyInput("王秀英", "申请人", town["wang"], "13912345678", "梅园新村3栋2单元302室"),
                                     PartyInput("赵德明", "被申请人", town["zhao"]))), TODAY)
    mediation.add_session(db, c.id, SessionInput(date(2024, 6, 3), "社区调解室", "张建国", "双方到场，约定请物业查看漏点"),
                          TODAY)
    mediation.close_case(db, c.id, flow.MEDIATION_SUCCESS, date(2024, 6, 5), "赵德明修复防水层并赔偿800元", today=TODAY)
    out = tmp_path / "case.pdf"
    assert mediation.print_mediation_records(db, out, [c.id], today=TODAY) == 1
    text = squash("".join(texts(out.read_bytes())))
    assert "矛盾纠纷调解记录" in text and "案号：TJ2024-001" in text
    assert "139****5678" in text and "13912345678" not in text
    assert "第1次2024年6月3日社区调解室" in text and "双方到场" in text
    assert "调解结果调解成功" in text and "赵德明修复防水层并赔偿800元" in text
    assert "结案日期2024年6月5日" in text  # written as 受理日期 is, not 2024-06-05
    # each party signs on a line of their own: one 当事人 box was left for both sides of the dispute
    assert "申请人王秀英（签名）" in text and "被申请人赵德明（签名）" in text and "调解员张建国（签名）" in text


def test_failed_render_leaves_no_file(db, town, tmp_path):
    class Stop(Exception):
        pass

    def cancel(page):
        raise Stop

    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "v.pdf"
    with pytest.raises(Stop):
        visits.print_visit_register(db, out, today=TODAY, progress=cancel)
    assert list(folder.iterdir()) == []  # neither the file nor a temp file


def test_printing_keeps_to_the_permission_and_the_grid(db, town, tmp_path, monkeypatch):
    from desktop_app.services import auth
    from desktop_app.services.auth import PermissionDenied

    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    mine = visits.log_visit(db, VisitInput(visit_date=date(2024, 6, 3), member_ids=(town["zhang"],),
                                           resident_id=town["wang"], category="路灯", content="路灯坏了"),
                            today=TODAY)
    theirs = visits.log_visit(db, VisitInput(visit_date=date(2024, 6, 4), member_ids=(town["zhang"],),
                                             resident_id=town["zhao"], category="物业", content="物业费公示不清楚"),
                                             today=TODAY)
    wishes.post_wish(db, WishInput(resident_id=town["zhao"], content="想要一台收音机", posted_on=date(2024, 6, 1)),
                     TODAY)
    case = mediation.create_case(db, CaseInput(kind="房屋漏水", summary="漏水", received_on=date(2024, 6, 1),
                                               mediator="张建国", parties=(PartyInput("王秀英", "申请人"),
                                                                            PartyInput("赵德明", "被申请人"))), TODAY)
    auth.create_first_admin(db, "admin", "王书记", "xingfuli2026")
    auth.create_user(db, "grid1", "李网格", "grid", "xingfuli2026", grid_ids=[town["g1"]])
    auth.login(db, "grid1", "xingfuli2026")
    out = tmp_path / "x.pdf"

    assert visits.print_visit_register(db, out, today=TODAY) == 1  # their own grid's visit only
    assert "路灯坏了" in squash("".join(texts(out.read_bytes())))
    with pytest.raises(PermissionDenied):
        visits.print_visit_register(db, out, visits.VisitFilter(grid_id=town["g2"]), today=TODAY)
    assert visits.print_visit_forms(db, out, [mine.id], today=TODAY) == 1
    with pytest.raises(PermissionDenied):
        visits.print_visit_forms(db, out, [theirs.id], today=TODAY)
    assert wishes.print_wish_cards(db, out, today=TODAY) == 0  # the one wish is in the other grid
    with pytest.raises(PermissionDenied):
        wishes.print_wish_list(db, out, wishes.WishFilter(grid_id=town["g2"]), today=TODAY)
    with pytest.raises(PermissionDenied):
        service_stats.print_service_summary(db, out, 2024, 6, town["g2"], today=TODAY)
    with pytest.raises(PermissionDenied):  # a 网格员 does not handle mediation
        mediation.print_mediation_records(db, out, [case.id], today=TODAY)


def test_the_service_report_command_prints_its_figures(tmp_path, capsys):
    from desktop_app.cli import main

    db = str(tmp_path / "d.db")
    assert main(["init", "--db", db, "--org-code", "C1", "--org-name", "某社区党委"]) == 0
    capsys.readouterr()
    assert main(["report", "service", "--db", db, "--year", "2024", "--month", "6", "--out", str(tmp_path / "s.pdf")]) == 0
    assert capsys.readouterr().out.strip() == (
        f"已生成 {tmp_path / 's.pdf'}：2024年6月服务群众工作月报，走访 0 次，反映问题 0 件（到期末已办结 0 件），"
        "本期解决 0 件，期末在办 0 件")


def test_the_monthly_count_headers_fit_on_one_line():
    """期末未办结 broke as 期末未办 / 结 in its column."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from desktop_app.reports import base
    from desktop_app.reports.fonts import register_cjk_font
    from desktop_app.reports.service_summary import COUNT_COLUMNS, ServiceSummaryReport

    font = register_cjk_font()
    frame_width = ServiceSummaryReport.pagesize[0] - 2 * ServiceSummaryReport.margin
    total = sum(c.width for c in COUNT_COLUMNS)
    for c in COUNT_COLUMNS:
        room = frame_width * c.width / total - 2 * base.CELL_PAD_X - 0.5
        assert stringWidth(c.title, font.name, base.CELL_FONT_SIZE) <= room, c.title
