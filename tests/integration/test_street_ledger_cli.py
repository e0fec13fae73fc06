"""At the street, `dangqun report ledger --org CODE` prints a community's 经费收支汇总 from its package;
without it the street's own (empty) books are printed and the output says where the communities' are."""

from __future__ import annotations

from datetime import date

from desktop_app.cli import main
from desktop_app.domain import ledger as rules
from desktop_app.services import ledger, sync
from tests.integration.test_sync_format import street_and_community


def test_a_communitys_books_at_the_street(tmp_path, capsys):
    street, community = street_and_community(tmp_path, code="320102001", name="c1")
    account = next(a for a in ledger.list_accounts(community) if a.name == "服务群众专项经费")
    ledger.post_entry(community, ledger.EntryInput(date(2026, 3, 5), account.id, rules.INCOME, 12_000_000, "上级拨款",
                                                   handler="王芳", entered_by="李明"))
    sync.import_package(street, sync.export_package(community, tmp_path / "up.zip", plain=True).path)
    street.dispose()
    community.dispose()
    db = str(tmp_path / "street.db")

    def report(*extra: str) -> tuple[int, str]:
        capsys.readouterr()
        code = main(["report", "ledger", "--db", db, "--year", "2026", "--out", str(tmp_path / "l.pdf"), *extra])
        out = capsys.readouterr()
        return code, out.out + out.err

    code, said = report()
    assert code == 0 and "经费收入 0.00 元" in said and "的账请加 --org 社区代码" in said
    code, said = report("--org", "320102001")
    assert code == 0 and "2026年 经费收入 120,000.00 元" in said and "--org" not in said
    code, said = report("--org", "320102001", "--account", "党费")
    assert code == 2 and "--org 只用于打印社区的经费年度汇总" in said
