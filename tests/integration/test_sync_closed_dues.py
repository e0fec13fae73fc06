"""A community stuck on 党费 changed in closed months gets out: each record put back as the street holds it.

A program from before the community refused such changes took back (撤销) a 党费 payment booked in a month
the community had closed and sent to the street. Every package it sends after that carries the change and
the street refuses it whole, naming the record. The way out (services.sync.closed_dues) lists the record
as it is and as the street holds it, puts it back (books the money the change reversed again, today),
and the next package merges. Only one who may take back payments and send packages may do it; all or nothing.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from desktop_app.domain import dues as dues_rules
from desktop_app.domain.dues import RETIRED
from desktop_app.domain.errors import Conflict, DomainError
from desktop_app.domain.sync_rules import PackageRefused
from desktop_app.services import auth, dues, ledger, site, sync
from desktop_app.services import ledger as ledger_service
from desktop_app.services.sync import closed_dues
from desktop_app.services.uow import UnitOfWork
from desktop_app.store.books import KEEPS_BOOKS
from desktop_app.store.models_access import AuditEntry
from desktop_app.store.models_ledger import DuesRecord, LedgerEntry
from tests.integration.sync_world import World, build_templates, rows
from tests.integration.test_sync_trust import _smuggle

PASSWORD = "xingfuli2026"


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    return build_templates(tmp_path_factory.mktemp("closed-dues-templates"), members=30, synced=True)


@pytest.fixture
def w(templates, tmp_path):
    world = World.copy_from(templates, tmp_path, prefix="synced-")
    yield world
    world.close()


def _paid_then_closed(w: World, members: int = 1) -> tuple[dict, date]:
    """Branch members' 党费 paid together (one voucher) in a month the community then closed, all of it at
    the street; the first member's record (the others: _records_of)."""
    org_rows = rows(w.c1, "organization")
    month = ledger.next_month_to_close(w.c1, date.today())  # demo books are dated relative to today
    assert month is not None and month < dues_rules.month_of(date.today())
    chosen = [m for m in rows(w.c1, "member").values()
              if not m["deleted"] and org_rows[m["org_id"]]["kind"] not in KEEPS_BOOKS
              and not any(r["member_id"] == m["id"] and r["month"] == month
                          for r in rows(w.c1, "dues_record").values())][:members]
    for m in chosen:
        dues.set_base(w.c1, m["id"], month, RETIRED, income_fen=600_000)
    dues.record_payments(w.c1, [dues.PaymentInput(m["id"], (month,)) for m in chosen], month.replace(day=8), "赵书记")
    ledger.close_month(w.c1, month, "王会计")
    w.up(w.c1)
    w.down(w.c1)  # the street's package confirms it: what the street holds is known here from then on
    records = _records_of(w, [m["id"] for m in chosen], month)
    for record in records:
        assert rows(w.street, "dues_record")[record["id"]]["paid_fen"] == record["paid_fen"] > 0
    return records[0], month


def _records_of(w: World, member_ids: list[str], month: date) -> list[dict]:
    by_member = {r["member_id"]: r for r in rows(w.c1, "dues_record").values() if r["month"] == month}
    return [by_member[m] for m in member_ids]


def _old_program_takes_it_back(db, record: dict) -> None:
    """撤销交纳 as a program from before the closed-month fix did it: the voucher reversed today, the record
    cleared, and any other member's 党费 on that voucher posted again on a new one (their records move to it)."""
    with UnitOfWork(db) as uow:
        s = uow.session
        rec = s.get(DuesRecord, record["id"])
        entry = s.get(LedgerEntry, rec.ledger_entry_id)
        others = list(s.scalars(select(DuesRecord).where(DuesRecord.ledger_entry_id == entry.id,
                                                         DuesRecord.id != rec.id)))
        ledger_service.reverse_in(s, entry.id, "登记错了", date.today(), for_dues=True)
        if others:
            again = ledger_service.post_in(s, ledger_service.EntryInput(
                entry_date=date.today(), account_id=entry.account_id, direction=entry.direction,
                amount_fen=sum(r.paid_fen for r in others), category=entry.category,
                counterparty=entry.counterparty, handler=entry.handler, memo=f"{entry.memo}（冲销后重新入账）"))
            for r in others:
                r.ledger_entry_id = again.id
        rec.paid_fen, rec.paid_on, rec.collected_by, rec.ledger_entry_id = 0, None, "", None
        rec.note = f"已撤销（{date.today().isoformat()}）：登记错了"
        uow.commit()


def _refused(w: World) -> str:
    e = sync.export_package(w.c1, w.package(f"stuck-{date.today()}-{id(w)}.dqsync"))
    with pytest.raises(PackageRefused) as exc:
        sync.import_package(w.street, e.path)
    return str(exc.value)


def test_a_stuck_community_is_refused_then_puts_the_record_back_and_its_next_package_merges(w):
    record, month = _paid_then_closed(w)
    paid = record["paid_fen"]
    _old_program_takes_it_back(w.c1, record)
    member = rows(w.c1, "member")[record["member_id"]]["name"]

    msg = _refused(w)
    assert member in msg and dues_rules.month_label(month) in msg and "已结账" in msg and "未导入" in msg, msg
    assert "恢复已结账月份的党费" in msg and "补交" in msg, msg
    assert _refused(w) == msg  # every package, again and again, until put back

    plan = closed_dues.closed_dues(w.c1)
    assert [i.record_id for i in plan.items] == [record["id"]] and plan.ids == (record["id"],)
    item = plan.items[0]
    assert (item.member_name, item.now_fen, item.now_on, item.street_fen, item.street_on) == (
        member, 0, None, paid, record["paid_on"])
    assert item.now_text == "未交" and str(record["paid_on"]) in item.street_text
    assert plan.rebook_fen == paid
    text = "\n".join(plan.lines())
    assert member in text and "补交" in text and "重新入账" in text, text
    assert plan.unconfirmed == 0 and "最新的下发包" not in text, text  # (the refused packages were made after the change)

    entries_before = {e.id for e in ledger.list_entries(w.c1)}
    result = closed_dues.restore_closed_dues(w.c1, plan.ids)
    assert result.restored == 1 and result.rebook_fen == paid and result.voucher_no
    back = rows(w.c1, "dues_record")[record["id"]]
    street_row = rows(w.street, "dues_record")[record["id"]]
    keys = [k for k in back if k not in ("version", "updated_at", "updated_by_site", "created_at")]
    assert {k: back[k] for k in keys} == {k: street_row[k] for k in keys}
    # The money the old 撤销 reversed is booked again today: the 党费 records and the books agree again.
    new = [e for e in ledger.list_entries(w.c1) if e.id not in entries_before]
    assert len(new) == 1 and new[0].amount_fen == paid and new[0].entry_date == date.today()
    assert closed_dues.closed_dues(w.c1).items == ()

    e, report = w.up(w.c1)
    assert rows(w.street, "dues_record")[record["id"]]["paid_fen"] == paid
    street_entries = rows(w.street, "ledger_entry")
    assert new[0].id in street_entries  # the reversal and the voucher booking it again both reached the street
    assert any(r["reversal_of"] == record["ledger_entry_id"] for r in street_entries.values())


def test_the_trail_keeps_each_record_before_and_after(w):
    record, _ = _paid_then_closed(w)
    _old_program_takes_it_back(w.c1, record)
    plan = closed_dues.closed_dues(w.c1)
    closed_dues.restore_closed_dues(w.c1, plan.ids)
    with w.c1.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "dues_record",
                                                   AuditEntry.row_id == record["id"])
                          .order_by(AuditEntry.at.desc())).first()
    before, after = json.loads(entry.before_json), json.loads(entry.after_json)
    assert before["paid_fen"] == 0 and after["paid_fen"] == record["paid_fen"], (before, after)
    assert after["ledger_entry_id"] == record["ledger_entry_id"]


def test_a_viewer_may_not_put_records_back(w, monkeypatch):
    monkeypatch.setattr(auth.passwords, "SCRYPT_N", 2**10)
    record, _ = _paid_then_closed(w)
    _old_program_takes_it_back(w.c1, record)
    auth.create_first_admin(w.c1, "admin", "王书记", PASSWORD)
    auth.login(w.c1, "admin", PASSWORD)
    auth.create_user(w.c1, "street", "街道小钱", "viewer", PASSWORD)
    plan = closed_dues.closed_dues(w.c1)
    auth.login(w.c1, "street", PASSWORD)
    assert closed_dues.closed_dues(w.c1).ids == plan.ids  # a viewer may look
    with pytest.raises(DomainError):
        closed_dues.restore_closed_dues(w.c1, plan.ids)
    assert rows(w.c1, "dues_record")[record["id"]]["paid_fen"] == 0


def test_all_or_nothing_and_only_what_was_previewed(w):
    record, month = _paid_then_closed(w)
    _old_program_takes_it_back(w.c1, record)
    plan = closed_dues.closed_dues(w.c1)
    with pytest.raises(Conflict, match="重新查看"):
        closed_dues.restore_closed_dues(w.c1, ())
    # booking the money again on a day of a closed month is refused: the record stays as it was too
    with pytest.raises(DomainError, match="已结账"):
        closed_dues.restore_closed_dues(w.c1, plan.ids, on=month.replace(day=20))
    assert rows(w.c1, "dues_record")[record["id"]]["paid_fen"] == 0
    with w.c1.session() as s:
        assert s.scalar(select(LedgerEntry.id).where(LedgerEntry.memo.contains("恢复已结账月份"))) is None


def test_a_change_behind_the_program_is_listed_but_not_guessed(w):
    record, month = _paid_then_closed(w)
    _smuggle(w.c1, "dues_record", record, paid_fen=1)  # no trail: what the street holds is not known here
    plan = closed_dues.closed_dues(w.c1)
    assert [i.record_id for i in plan.items] == [record["id"]] and plan.ids == ()
    assert not plan.items[0].restorable and "不能自动恢复" in "\n".join(plan.lines())
    with pytest.raises(Conflict):
        closed_dues.restore_closed_dues(w.c1, plan.ids)


def test_nothing_to_put_back_in_a_community_that_changed_nothing(w):
    assert closed_dues.closed_dues(w.c1).items == ()
    assert closed_dues.closed_dues(w.street).items == ()
    assert site.get_site(w.c1).level == "community"


def test_the_command_line_lists_then_puts_back(w, capsys):
    from desktop_app.cli import main

    record, month = _paid_then_closed(w)
    _old_program_takes_it_back(w.c1, record)
    member = rows(w.c1, "member")[record["member_id"]]["name"]
    assert main(["sync", "closed-dues", "--db", str(w.c1.path)]) == 0
    out = capsys.readouterr().out
    assert member in out and "--apply" in out, out
    assert rows(w.c1, "dues_record")[record["id"]]["paid_fen"] == 0  # listing writes nothing
    assert main(["sync", "closed-dues", "--apply", "--db", str(w.c1.path)]) == 0
    assert "已按街道的记录恢复 1 条" in capsys.readouterr().out
    assert rows(w.c1, "dues_record")[record["id"]]["paid_fen"] == record["paid_fen"]
    w.up(w.c1)


def test_a_collection_of_several_members_each_record_named_and_put_back_the_money_booked_once(w):
    first, month = _paid_then_closed(w, members=3)
    voucher = first["ledger_entry_id"]
    records = [r for r in rows(w.c1, "dues_record").values() if r["ledger_entry_id"] == voucher]
    assert len(records) == 3
    _old_program_takes_it_back(w.c1, first)  # the other two move to a new voucher: their records change too
    names = [rows(w.c1, "member")[r["member_id"]]["name"] for r in records]

    msg = _refused(w)
    assert "3 条记录" in msg and all(n in msg for n in names), msg
    plan = closed_dues.closed_dues(w.c1)
    assert sorted(plan.ids) == sorted(r["id"] for r in records)
    assert plan.rebook_fen == first["paid_fen"]  # only the taken-back one's money left the books
    closed_dues.restore_closed_dues(w.c1, plan.ids)
    assert all(rows(w.c1, "dues_record")[r["id"]]["ledger_entry_id"] == voucher for r in records)
    # the 党费 entries from the collection on (it, its reversal, the others' new voucher, the money booked
    # again) add up to what the three records say was paid
    ledger_rows = rows(w.c1, "ledger_entry")
    since = [e for e in ledger_rows.values() if e["created_at"] >= ledger_rows[voucher]["created_at"]
             and e["category"] == "党费收缴" and not e["deleted"]]
    assert len(since) == 4
    assert sum(e["amount_fen"] for e in since) == sum(r["paid_fen"] for r in records)
    w.up(w.c1)
    assert all(rows(w.street, "dues_record")[r["id"]]["ledger_entry_id"] == voucher for r in records)


def test_a_package_sent_before_the_change_and_not_yet_confirmed_is_pointed_out(w):
    record, _ = _paid_then_closed(w)
    w.up(w.c1)  # merged at the street; its confirmation would come with the next 下发包, not taken yet
    _old_program_takes_it_back(w.c1, record)
    _refused(w)
    plan = closed_dues.closed_dues(w.c1)
    assert plan.unconfirmed == 1 and "最新的下发包" in "\n".join(plan.lines())
