"""Resident service: visit registers, wishes, the monthly summary and mediation forms."""

from __future__ import annotations

from pathlib import Path

from desktop_app.cli.common import CliError, date_arg, grid_arg, need


def report_visit(db, args, out: Path) -> str:
    from desktop_app.reports.visit import visit_pdf

    n = visit_pdf(db, out, date_arg(args.date_from, "--from"), date_arg(args.date_to, "--to"),
                  grid_arg(db, args.grid))
    return f"{n} 次走访"


def report_wishes(db, args, out: Path) -> str:
    from desktop_app.reports.wishes import wishes_pdf

    n = wishes_pdf(db, out, args.cards, args.year, args.state, grid_arg(db, args.grid))
    return f"{n} 个微心愿"


def report_service(db, args, out: Path) -> str:
    from datetime import date

    from desktop_app.reports.service_summary import service_summary_pdf

    today = date.today()
    service_summary_pdf(db, out, args.year or today.year, args.month or today.month, grid_arg(db, args.grid))
    return ""


def report_mediation(db, args, out: Path) -> str:
    from desktop_app.reports.mediation import mediation_pdf
    from desktop_app.services import mediation

    case_no = need(args, "case", "--case 案件编号")
    case_id = mediation.case_id_by_no(db, case_no)
    if case_id is None:
        raise CliError(f"找不到调解案件“{case_no}”")
    mediation_pdf(db, out, [case_id])
    return ""
