"""操作记录's 记录编号 box takes what a worker can see of a record: its number as an entry's detail shows it,
whole or its first 8 characters, or a member's or resident's 身份证号 (typed as on the card: a lowercase x,
spaces); the export names such a filter with the number masked. The CLI's --row is the same filter."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from desktop_app.domain import idcard
from desktop_app.domain.members import MemberInput
from desktop_app.services import audit_export, audit_log, orgs, residents, roster
from desktop_app.services.audit_log import AuditFilter
from desktop_app.services.residents import ResidentInput

WHOLE = AuditFilter(date_from=date(2000, 1, 1))


@pytest.fixture
def people(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    number = idcard.make("320102", date(1980, 5, 6), 3, "男")
    inp = MemberInput(name="张三", org_id=b.id, id_number=number, gender="男", joined_date=date(2005, 7, 1),
                      confirmed_date=date(2006, 7, 1))
    m = roster.create(db, inp)
    roster.update(db, m.id, replace(inp, mobile="13912345678"))
    other = roster.create(db, replace(inp, name="李四", id_number=idcard.make("320102", date(1981, 5, 6), 5, "女"),
                                      gender="女"))
    rnumber = idcard.make("320102", date(1950, 1, 2), 7, "女")
    r = residents.create_resident(db, ResidentInput(name="王秀英", id_number=rnumber))
    return m.id, number, other.id, r.id, rnumber


def _found(db, box: str) -> set[tuple[str, str]]:
    rows = audit_log.search(db, replace(WHOLE, row_id=box), page_size=1000).rows
    return {(r.table, r.row_id) for r in rows}


def test_a_members_id_number_finds_their_records_entries(db, people):
    m, number, other, r, rnumber = people
    every = _found(db, m)
    assert every == {("member", m)} and len(audit_log.search(db, replace(WHOLE, row_id=m)).rows) == 2
    assert _found(db, number) == every
    typed = f" {number[:6]} {number[6:14]} {number[14:].lower()} "  # as read off the card, spaced
    assert _found(db, typed) == every
    assert _found(db, rnumber) == {("resident", r)}
    assert _found(db, idcard.make("320102", date(1990, 1, 1), 9, "男")) == set()  # nobody's number: nothing


def test_the_first_eight_characters_of_a_record_number_do(db, people):
    m, *_ = people
    assert _found(db, m[:8]) == {("member", m)}
    assert _found(db, m[:7]) == set()  # shorter: only a whole number, not a guess among many
    assert _found(db, m[:8] + "%") == set()  # typed as it is, not a pattern


def test_the_export_names_an_id_number_masked(db, people):
    _m, number, *_ = people
    words = audit_export.filter_words(db, replace(WHOLE, row_id=number.lower()))
    assert f"身份证号：{idcard.mask(number)}" in words and number not in words
    assert "记录编号：abc12345" in audit_export.filter_words(db, replace(WHOLE, row_id="abc12345"))


def test_the_cli_row_option_takes_the_same(db, people, capsys):
    from desktop_app.cli import main

    m, number, *_ = people
    assert main(["audit", "--db", str(db.path or db.url), "--row", number, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["row"] for r in rows} == {m} and len(rows) == 2
