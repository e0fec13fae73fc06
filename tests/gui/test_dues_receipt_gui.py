"""The 党费 page prints 党费收据: of the selected paid months, and from the message after 登记交纳."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from desktop_app.gui.dues.dialogs import PaymentDialog
from desktop_app.gui.dues.models import FIRST_MONTH_COLUMN
from desktop_app.gui.widgets import forms
from tests.gui.test_ledger_gui import TODAY, dues_page, filling, members  # noqa: F401  (fixtures)


def _pages(path) -> list[str]:
    return [p.extract_text().replace(" ", "").replace("\n", "") for p in PdfReader(BytesIO(path.read_bytes())).pages]


def test_receipts_from_the_selection_and_after_paying(dues_page, wait_ops, monkeypatch, tmp_path):  # noqa: F811
    page, month = dues_page, TODAY.month
    assert not page.act_receipt.isEnabled()  # nothing selected
    page.select_cells([(0, month)])
    assert not page.act_receipt.isEnabled()  # a month not paid has no receipt

    page.select_cells([(0, month), (1, month)])
    monkeypatch.setattr(PaymentDialog, "exec", filling(collected_by="赵书记"))
    page.pay_selected()
    wait_ops()
    assert page.grid_model.index(0, FIRST_MONTH_COLUMN + month - 1).data() == "15.00"
    assert ">打印收据</a>" in page.message.text()
    both = tmp_path / "both.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: both)
    page.message.linkActivated.emit("receipt")  # the link in the message after 登记交纳
    wait_ops()
    texts = _pages(both)
    assert len(texts) == 2 and any("张建国" in t for t in texts) and any("李秀英" in t for t in texts)
    assert str(both) in page.message.text()

    page.select_cells([(1, month)])
    assert page.act_receipt.isEnabled()
    one = tmp_path / "one.pdf"
    monkeypatch.setattr(forms, "ask_save_path", lambda *a: one)
    page.act_receipt.trigger()
    wait_ops()
    [text] = _pages(one)
    assert "李秀英" in text and "张建国" not in text and "45.00" in text and "党费收据（收据）" in text
