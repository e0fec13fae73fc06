"""三会一课: the year's meetings, attendance import, sign-in sheets, records and 民主评议."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, CliError, date_arg, existing_file, need, open_db, org_arg


def cmd_meetings(args: argparse.Namespace) -> int:
    from datetime import date

    from desktop_app.services import meetings as ms

    from desktop_app.views.meetings import meetings_summary

    db = open_db(args)
    today = date.today()
    year = args.year or today.year
    rows = ms.list_meetings(db, ms.MeetingFilter(date_from=date(year, 1, 1), date_to=date(year, 12, 31)))
    for r in rows:
        attendance = f"出席 {r.present}/{r.expected}" if r.status == "held" else ""
        # as the window lists it: a planned meeting whose day has gone by is 待登记出勤, not 计划中
        print(f"{r.number}  {r.meeting_date}  {r.kind}  {r.branch_name or r.org_name}  {r.title}  "
              f"{r.state_label(today)}  {attendance}")
    print(f"{year} 年{meetings_summary(rows, today)}")
    return EXIT_OK


def cmd_topics(args: argparse.Namespace) -> int:
    """议题 of one meeting with their votes: 赞成/反对/弃权 and whether the vote passed."""
    import json

    from desktop_app.services import meetings as ms
    from desktop_app.services import memberlife

    db = open_db(args)
    detail = ms.get(db, ms.resolve(db, args.number))
    rows = memberlife.topics(db, detail.id)
    if args.json:
        print(json.dumps([{
            "seq": i, "title": t.title, "decision": t.decision, "votes_for": t.votes_for,
            "votes_against": t.votes_against, "votes_abstain": t.votes_abstain, "passed": t.passed, "note": t.note,
        } for i, t in enumerate(rows, start=1)], ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{detail.number}  {detail.meeting_date}  {detail.kind}  {detail.title}")
    for i, t in enumerate(rows, start=1):
        vote = ("未表决" if t.votes_for is None else
                f"赞成 {t.votes_for} / 反对 {t.votes_against or 0} / 弃权 {t.votes_abstain or 0}"
                f"  {'通过' if t.passed else '未通过'}")
        print(f"{i}. {t.title}  {vote}" + (f"\n   决定：{t.decision}" if t.decision else ""))
    print(f"共 {len(rows)} 项议题")
    return EXIT_OK


def cmd_import_attendance(args: argparse.Namespace) -> int:
    from desktop_app.services.meetings import attendance_import

    db = open_db(args)
    source = existing_file(args)
    result = attendance_import.import_file(db, source, skip_invalid=args.skip_invalid, dry_run=args.dry_run)
    for err in result.errors:
        print(f"  跳过：{err}")
    verb = "检查通过（--dry-run，未写入）" if result.dry_run else "已登记"
    print(f"{verb}：{result.meetings} 次会议，{result.rows} 条出勤记录"
          + (f"，跳过有误的行 {result.skipped_invalid} 行" if result.skipped_invalid else ""))
    return EXIT_OK


SCAN_DESCRIPTION = (
    "读取签字后的签到表扫描件或照片，按签到表上的二维码找到会议，登记看得清的出勤，扫描件存为会议附件。"
    "看不准的格（程序里标橙色的）不替你决定：逐一列出，不登记，请在程序里“三会一课”选中会议后"
    "“读取签到表扫描件”核对。已登记过出勤的会议不改写，除非加 --replace。"
)


def add_scan_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """--meeting and --replace of `import signin-scan`, with the command's description."""
    parser.description = SCAN_DESCRIPTION
    parser.add_argument("--meeting", metavar="编号",
                        help="只读入这次会议：扫描件里其他会议的页不读取（会说明是哪次会议的）")
    parser.add_argument("--replace", action="store_true",
                        help="会议已登记过出勤时，按扫描件改写（改前的记录留在操作日志里）；不加则不写入")
    parser.add_argument("--unnamed-images", metavar="文件夹",
                        help="把空白行上有签名的那几行（未识别的签名）按扫描件存成图片，放进这个文件夹，"
                             "每行一张图片，以会议日期和序号命名（如“2025-06-06-序号12”），对着图片补登姓名；已有同名文件则什么也不写")
    return parser


def _unnamed_images(db, proposal, folder: Path) -> list[tuple[Path, bytes]]:
    """(file, PNG) of each signed blank row, named by meeting date and 序号; refuses, before anything is
    written, a folder that is a file or a name already there (a worker's earlier crops are not overwritten)."""
    from desktop_app.services import meetings as ms

    if folder.exists() and not folder.is_dir():
        raise CliError(f"--unnamed-images：“{folder}”是一个文件，不是文件夹：请给一个文件夹（不存在的会新建）")
    rows = [(s.meeting_id, s.number, r) for s in proposal.sheets for r in s.unnamed_rows if r.image]
    dates = {m: ms.get(db, m).meeting_date for m in {m for m, _, _ in rows}}
    # two meetings of one day in one feeder scan: their 序号 would collide, so their names carry the number
    shared = {d for d in dates.values() if list(dates.values()).count(d) > 1}
    out = []
    for meeting_id, number, row in rows:
        day = dates[meeting_id]
        name = f"{day:%Y-%m-%d}-{number}-序号{row.serial}.png" if day in shared else f"{day:%Y-%m-%d}-序号{row.serial}.png"
        out.append((folder / name, row.image))
    there = [path for path, _ in out if path.exists()]
    if there:
        raise CliError(f"--unnamed-images：{'、'.join(f'“{p}”' for p in there)} 已存在，未覆盖，什么也没有写入"
                       "（出勤也未登记）：请换一个文件夹，或先移走这些文件后再运行")
    return out


def _write_images(images: list[tuple[Path, bytes]], folder: Path, note) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path, png in images:
        with path.open("xb") as f:  # "x": a file appearing meanwhile is still not overwritten
            f.write(png)
    print(f"已把 {len(images)} 行空白行上的签名存为图片：{folder}" if images
          else "没有空白行上的签名，未存图片", file=note)


def cmd_import_signin_scan(args: argparse.Namespace) -> int:
    """Per page the meeting and each attendee's state; without --dry-run, record what is sure and list the rest.

    Like the confirming dialog, it never overwrites attendance recorded before unless told (--replace), and
    the boxes it cannot read with confidence are listed and left unrecorded for the dialog, never guessed.
    """
    import json

    from desktop_app.services import meetings as ms

    db = open_db(args)
    source = existing_file(args)
    proposal = ms.read_scan(db, source, getattr(args, "meeting", None) or None)
    folder = Path(args.unnamed_images) if getattr(args, "unnamed_images", None) else None
    images = _unnamed_images(db, proposal, folder) if folder is not None else []
    if args.json:
        print(json.dumps({"pages": [
            {"meeting": s.number, "page": s.page,
             "attendees": [{"name": line.name, "state": line.state} for line in s.lines],
             "unnamed_signatures": s.unnamed_signatures}
            for s in proposal.sheets
        ]}, ensure_ascii=False, indent=2))
        for r in proposal.refused:  # the JSON keeps the shape; refusals go where errors go
            print(f"未读取：{r.reason}", file=sys.stderr)
    else:
        for s in proposal.sheets:
            print(f"第 {s.scan_page} 页：会议 {s.number}（{s.title}）签到表第 {s.page}/{s.pages} 页")
            for line in s.lines:
                print(f"  {line.serial:>3}  {line.name}  {line.state}")
            if s.unnamed_signatures:
                print(f"  未识别的签名 {s.unnamed_signatures} 处（序号 {'、'.join(map(str, s.unnamed_serials))} "
                      "的空白行上有签名，请在程序里补登）")
        for r in proposal.refused:
            print(f"未读取：{r.reason}")
    # the notes go to stderr under --json: stdout stays one JSON document
    note = sys.stderr if args.json else sys.stdout
    if folder is not None:
        _write_images(images, folder, note)
    for meeting_id in proposal.meeting_ids:  # a page left out of the scan leaves its people unread
        pages, missing = proposal.pages_of(meeting_id)
        if missing:
            number = next(s.number for s in proposal.sheets if s.meeting_id == meeting_id)
            print(f"会议 {number}：签到表共 {pages} 页，扫描件里没有第 {'、'.join(map(str, missing))} 页，"
                  "那些页上的人未登记", file=note)
    if args.dry_run:
        if not args.json:
            print("只读取（--dry-run），未写入")
        return EXIT_OK
    entries = ms.confirmed_entries(proposal)
    sure = {s.meeting_id for s in proposal.sheets for line in s.lines if not line.unsure}
    before = {m: ms.get(db, m) for m in proposal.meeting_ids if m in sure}  # the meetings the save writes to
    recorded = [d for d in before.values() if d.recorded]
    if recorded and not getattr(args, "replace", False):
        # the dialog says so before saving; here nothing is asked, so nothing is written
        said = "；".join(f"会议 {d.number}（{d.meeting_date:%Y-%m-%d} {d.title}）已登记 {d.recorded} 人的出勤，"
                        f"实到 {d.present} 人" for d in recorded)
        raise CliError(f"{said}。扫描件未写入：要按扫描件改写已登记的出勤，请加 --replace 再运行"
                       "（改前的记录留在操作日志里）；只看读取结果请加 --dry-run")
    if entries:
        details = ms.apply_scan(db, proposal, entries, read_at={m: d.version for m, d in before.items()})
        for d in details:
            print(_scan_counts(before[d.id], d, entries), file=note)
        if not args.json:
            print(f"已登记：{len(details)} 次会议，{len(entries)} 人；扫描件已存为会议附件")
    else:
        print("没有看得清的格，未写入", file=note)
    unsure = [(s, line) for s in proposal.sheets for line in s.lines if line.unsure]
    for s, line in unsure:
        kept = s.meeting_id in before and before[s.meeting_id].recorded  # --replace leaves their earlier record
        print(f"  待确认：会议 {s.number} {line.name}（第 {line.serial} 行，看不准，{'保留原记录' if kept else '未登记'}）",
              file=note)
    if unsure:
        print(f"看不准的 {len(unsure)} 格未按扫描件登记：请在程序里“三会一课”选中会议，点“读取签到表扫描件”，"
              "对照纸质签到表核对后保存", file=note)
    return EXIT_OK


_STATUS_ORDER = ("出席", "请假", "缺席", "列席")  # as the 签到表 and the dialog's buttons put them


def _scan_counts(before, after, entries) -> str:
    """What one meeting's save changed: how many of each status, and against a record made before, how many differ."""
    from collections import Counter

    ids = {p.id for p in after.attendees}
    mine = [e for e in entries if e.attendance_id in ids]
    tally = Counter(e.status for e in mine)
    parts = "、".join(f"{status} {tally[status]} 人" for status in sorted(tally, key=_STATUS_ORDER.index))
    head = f"会议 {after.number}：登记 {len(mine)} 人（{parts}）"
    if not before.recorded:
        return head
    old = {p.id: (p.status, p.reason) for p in before.attendees}
    now = {p.id: (p.status, p.reason) for p in after.attendees}
    changed = sum(1 for e in mine if old.get(e.attendance_id) != now.get(e.attendance_id))
    return f"{head}，改写原有出勤：{changed} 人有变动，{len(mine) - changed} 人与原记录相同"


def report_signin(db, args, out: Path) -> str:
    """One meeting's 签到表, or several in one PDF: --meeting NO,NO (or given again), or the meetings of a period
    and organisation (--year, --from/--to, --org) as `dangqun meetings` lists them, cancelled ones left out."""
    from datetime import date

    from desktop_app.services import meetings as ms

    refs = meeting_refs(getattr(args, "meeting", None))
    chosen = [flag for flag, value in (("--year", args.year), ("--from", args.date_from), ("--to", args.date_to),
                                       ("--org", args.org)) if value]
    if refs and chosen:
        raise CliError(f"--meeting 与 {'、'.join(chosen)} 不能同时使用：要么列出会议编号，要么给出时间和组织")
    if not refs:
        if not chosen:
            raise CliError("此报表需要 --meeting 会议编号（多个用逗号分隔），或 --year、--from/--to、--org 选出的会议")
        first, last = date_arg(args.date_from, "--from"), date_arg(args.date_to, "--to")
        if args.year:
            first, last = first or date(args.year, 1, 1), last or date(args.year, 12, 31)
        refs = ms.signin_batch(db, ms.MeetingFilter(org_id=org_arg(db, args.org), date_from=first, date_to=last))
        if not refs:
            raise CliError("所选时间和组织内没有会议（已取消的会议不打印签到表）")
    if len(refs) == 1:
        ms.print_signin_sheet(db, refs[0], out, show_phones=args.phones)
        return ""
    ms.print_signin_sheets(db, refs, out, show_phones=args.phones)
    return f"{len(refs)} 次会议的签到表"


def meeting_refs(given: str | list[str] | None) -> list[str]:
    """--meeting as given once or again (a list), each maybe NO,NO: the numbers in order, each once."""
    values = given if isinstance(given, list) else [given] if given else []
    refs = (ref.strip() for value in values for ref in value.replace("，", ",").split(","))
    return list(dict.fromkeys(ref for ref in refs if ref))


def report_meeting(db, args, out: Path) -> str:
    from desktop_app.services import meetings as ms

    refs = meeting_refs(need(args, "meeting", "--meeting 会议编号"))
    if len(refs) != 1:
        raise CliError("会议记录一次打印一次会议：--meeting 只写一个会议编号")
    ms.print_meeting_record(db, refs[0], out)
    return ""


def report_evaluation(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.services import evaluations

    from desktop_app.domain.evaluation_votes import usual_year

    year = args.year or usual_year(date.today())
    evaluations.print_evaluation(db, year, out, org_arg(db, args.org))
    return f"{year} 年度民主评议党员结果汇总表"


def _evaluation_branch(db, args) -> tuple[str, int]:
    """--branch (name or code, required) and --year (default: the year the 民主评议 page opens on) of a 民主测评 report."""
    from datetime import date

    from desktop_app.cli.development import branch_arg
    from desktop_app.domain.evaluation_votes import usual_year

    branch = branch_arg(db, need(args, "branch", "--branch 党支部名称或代码"))
    return branch, args.year or usual_year(date.today())


def report_evaluation_ballot(db, args, out: Path) -> str:
    """dangqun report evaluation-ballot --branch B --year Y [--copies N]: the 民主测评票, one set per copy."""
    from desktop_app.services import evaluation_votes

    branch, year = _evaluation_branch(db, args)
    copies = getattr(args, "copies", None)
    evaluation_votes.print_evaluation_ballot(db, branch, year, out, copies=copies)
    if copies:
        return f"{year} 年度测评票 {copies} 份"
    data = evaluation_votes.tallies(db, branch, year)
    issued = data.ballot.issued if data.ballot else 0
    return f"{year} 年度测评票 {data.ballot_copies()} 份" + ("（按登记的发出张数）" if issued else "（每名参评党员一份）")


def report_evaluation_tally(db, args, out: Path) -> str:
    """dangqun report evaluation-tally --branch B --year Y: the 民主测评结果统计表."""
    from desktop_app.services import evaluation_votes

    branch, year = _evaluation_branch(db, args)
    evaluation_votes.print_evaluation_tally(db, branch, year, out)
    return f"{year} 年度民主测评结果统计表"
