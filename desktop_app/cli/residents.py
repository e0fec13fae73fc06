"""Resident service: visit registers, wishes, the monthly summary and mediation forms."""

from __future__ import annotations

from pathlib import Path

from desktop_app.cli.common import CliError, date_arg, grid_arg, need


def report_visit(db, args, out: Path) -> str:
    from desktop_app.services import visits

    flt = visits.VisitFilter(date_from=date_arg(args.date_from, "--from"), date_to=date_arg(args.date_to, "--to"),
                             grid_id=grid_arg(db, args.grid))
    n = visits.print_visit_register(db, out, flt)
    return f"{n} 次走访"


def report_wishes(db, args, out: Path) -> str:
    from desktop_app.services import wishes

    flt = wishes.WishFilter(state=args.state, grid_id=grid_arg(db, args.grid), year=args.year)
    n = (wishes.print_wish_cards if args.cards else wishes.print_wish_list)(db, out, flt)
    return f"{n} 个微心愿"


def report_service(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.services import service_stats

    today = date.today()
    sm = service_stats.print_service_summary(db, out, args.year or today.year, args.month or today.month,
                                             grid_arg(db, args.grid))
    t = sm.total
    rate = f"，办结率 {t.solve_rate}" if t.raised else ""
    return (f"{sm.period.label}服务群众工作月报，走访 {t.visits} 次，反映问题 {t.raised} 件（到期末已办结 {t.raised_closed} 件{rate}），"
            f"本期解决 {t.solved} 件，期末在办 {t.open_at_end} 件")


def report_mediation(db, args, out: Path) -> str:
    from desktop_app.services import mediation

    case_no = need(args, "case", "--case 案件编号")
    case_id = mediation.case_id_by_no(db, case_no)
    if case_id is None:
        raise CliError(f"找不到调解案件“{case_no}”")
    if args.agreement:
        printed = mediation.print_mediation_agreement(db, case_id, out, whole_phones=args.whole_phones)
        return f"人民调解协议书 {printed.case_no}（一式 {printed.copies} 份）"
    if args.whole_phones:
        raise CliError("--whole-phones 只用于 --agreement（调解记录上的电话总是部分隐藏）")
    mediation.print_mediation_records(db, out, [case_id])
    return ""
