"""签到表 of a 共建活动: the meeting sign-in sheet's look (reports.signin), with the activity's lines.

Heading 共建活动签到表; under it the activity's name and kind, its date with the clock time left to
be written in (an activity keeps no time) and place, then the organisers and 应到 (the participants
the activity lists). Rows: 序号, 姓名, 身份, 所在单位, 签到, 服务时长 — the hours a volunteer gave, written
on the day and entered with the activity afterwards. No QR code or corner marks: these sheets are
not scanned back, only meetings' are.
"""

from __future__ import annotations

from desktop_app.reports.base import chinese_date, model_renderer
from desktop_app.reports.signin import SigninReport
from desktop_app.views.cobuilding import ActivitySigninSheet

# (title, relative width), as views.signin_scan gives the meeting's columns
COLUMNS = (("序号", 10), ("姓名", 22), ("身份", 17), ("所在单位", 40), ("签到", 34), ("服务时长（小时）", 29),
           ("备注", 16))


class ActivitySigninReport(SigninReport):
    title = "共建活动签到表"
    coded = False
    TALLY = ("实到＿＿＿＿人", "服务居民＿＿＿＿人次", "记录人（签字）＿＿＿＿＿＿")

    def columns(self) -> list[tuple[str, float]]:
        total = sum(w for _, w in COLUMNS)
        return [(t, self.frame_width * w / total) for t, w in COLUMNS]

    def heading(self, sheet: ActivitySigninSheet) -> str:  # type: ignore[override]
        return "共建活动签到表"

    def head_lines(self, sheet: ActivitySigninSheet) -> list[str]:  # type: ignore[override]
        return [f"活动名称：{sheet.title}（{sheet.kind}）",
                f"活动时间：{chinese_date(sheet.activity_date)}　＿＿时＿＿分至＿＿时＿＿分"
                f"　活动地点：{sheet.place or '—'}"]

    def third_line(self, sheet: ActivitySigninSheet) -> tuple[str, int]:  # type: ignore[override]
        # the organisers have a line to themselves: five or six branches and units are usual
        return f"组织方：{sheet.organisers or '—'}", len(sheet.lines)

    def _rows(self, sheet: ActivitySigninSheet) -> list[list[str]]:  # type: ignore[override]
        return [[str(i), line.name, line.kind, line.unit, "", "", ""] for i, line in enumerate(sheet.lines, start=1)]


render_activity_signin = model_renderer(
    ActivitySigninReport, "A 共建活动's sign-in sheet PDF as bytes; also written to `out` (atomically) when given. "
    "Option: min_blank_rows (rows left for walk-ins).")
