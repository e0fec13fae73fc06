"""Several files picked together are one act: all are kept with their record, or none is and no copy stays behind."""

from datetime import date

import pytest
from sqlalchemy import text

from desktop_app.domain import meetings as r
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import attachments, orgs
from desktop_app.services import meetings as ms
from desktop_app.services.records import keep_files
from desktop_app.settings import data_dir
from desktop_app.store.models_meetings import MeetingAttachment


@pytest.fixture
def meeting(db):
    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    return ms.plan(db, ms.MeetingInput(org_id=b.id, kind=r.THEME_DAY, title="主题党日", meeting_date=date.today()))


def scans(tmp_path, *names):
    out = []
    for name in names:
        p = tmp_path / name
        p.write_bytes(b"\xff\xd8\xff\xe0 scan " + name.encode())
        out.append(p)
    return out


def kept_files() -> list:
    folder = data_dir() / "attachments"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def counts(db) -> tuple[int, int]:
    with db.session() as s:
        rows = s.scalar(text("SELECT count(*) FROM meeting_attachment"))
        audit = s.scalar(text("SELECT count(*) FROM audit_entry WHERE table_name = 'meeting_attachment'"))
    return rows, audit


def test_three_files_are_kept_together_each_in_the_audit_trail(db, meeting, tmp_path):
    added = ms.add_attachments(db, meeting.id, scans(tmp_path, "扫描1.jpg", "扫描2.jpg", "照片.png"))
    assert [a.file_name for a in added] == ["扫描1.jpg", "扫描2.jpg", "照片.png"]
    assert counts(db) == (3, 3)  # one audit entry per file, as for a single file
    assert len(kept_files()) == 3
    assert ms.get(db, meeting.id).attachments == 3


def test_a_third_file_too_big_keeps_none_and_is_named(db, meeting, tmp_path):
    files = scans(tmp_path, "扫描1.jpg", "扫描2.jpg")
    big = tmp_path / "扫描3.jpg"
    with open(big, "wb") as f:
        f.truncate(attachments.MAX_BYTES + 1)  # sparse: the size counts, not the disk
    with pytest.raises(ValidationError) as e:
        ms.add_attachments(db, meeting.id, [*files, big])
    assert "扫描3.jpg：文件超过 50 MB" in e.value.message
    assert "3 个文件都没有添加" in e.value.message
    assert "扫描1.jpg" not in e.value.message
    assert counts(db) == (0, 0) and kept_files() == []


def test_every_refused_file_is_named_at_once(db, meeting, tmp_path):
    files = scans(tmp_path, "扫描1.jpg")
    with pytest.raises(ValidationError) as e:
        ms.add_attachments(db, meeting.id, [*files, tmp_path / "不见了.jpg", tmp_path / "也没有.pdf"])
    assert "不见了.jpg：文件不存在" in e.value.message and "也没有.pdf：文件不存在" in e.value.message
    assert counts(db) == (0, 0) and kept_files() == []


def test_a_file_gone_while_copying_takes_the_copies_before_it_away(db, meeting, tmp_path, monkeypatch):
    files = scans(tmp_path, "扫描1.jpg", "扫描2.jpg", "扫描3.jpg")
    real_store = attachments.store

    def store(source, relative, max_bytes=attachments.MAX_BYTES):
        if source.name == "扫描3.jpg":
            source.unlink()  # the USB stick pulled out after the check, before the copy
        return real_store(source, relative, max_bytes)

    monkeypatch.setattr(attachments, "store", store)
    with pytest.raises(ValidationError) as e:
        ms.add_attachments(db, meeting.id, files)
    assert "扫描3.jpg" in e.value.message
    assert counts(db) == (0, 0) and kept_files() == []


def test_a_record_failing_midway_writes_no_row_and_keeps_no_copy(db, meeting, tmp_path):
    made = []

    def record(s, file):
        if len(made) == 2:
            raise NotFound("该会议不存在或已删除")
        made.append(file)
        return MeetingAttachment(meeting_id=meeting.id, note="", **file)

    with pytest.raises(NotFound):
        keep_files(db, scans(tmp_path, "a.jpg", "b.jpg", "c.jpg"), "M1", record)
    assert counts(db) == (0, 0) and kept_files() == []


def test_one_file_still_goes_through_add_attachment(db, meeting, tmp_path):
    (scan,) = scans(tmp_path, "签到表.jpg")
    att = ms.add_attachment(db, meeting.id, scan, note="签字后的签到表")
    assert att.file_name == "签到表.jpg" and counts(db) == (1, 1)
    with pytest.raises(ValidationError) as e:
        ms.add_attachment(db, meeting.id, tmp_path / "nope.jpg")
    assert e.value.field == "附件" and "nope.jpg：文件不存在" in e.value.message
    assert "都没有添加" not in e.value.message  # one file: nothing more to say


def test_a_score_saved_with_a_refused_file_keeps_neither_score_nor_files(db, tmp_path):
    from desktop_app.services import assessment as asm

    c = next(n for n in orgs.list_tree(db) if n.kind == "community")
    b = orgs.create(db, "第一网格党支部", "B01", "branch", c.id)
    year = date.today().year
    asm.load_sample(db, year)
    n = next(n for n in asm.scheme(db, year).indicators() if n.rule == "manual")
    good = scans(tmp_path, "换届批复.pdf", "照片.jpg")
    with pytest.raises(ValidationError) as e:
        asm.set_score(db, b.id, year, n.id, 10, add_files=[*good, tmp_path / "会议记录.pdf"])
    assert "会议记录.pdf：文件不存在" in e.value.message
    with db.session() as s:
        assert s.scalar(text("SELECT count(*) FROM assessment_score")) == 0
        assert s.scalar(text("SELECT count(*) FROM assessment_evidence")) == 0
    assert kept_files() == []

    score_id = asm.set_score(db, b.id, year, n.id, 10, add_files=good)
    line = next(x for x in asm.branch_assessment(db, year, "B01").scores if x.indicator_id == n.id)
    assert sorted(f.file_name for f in line.files) == sorted(p.name for p in good)
    dropped = line.files[0]
    assert asm.set_score(db, b.id, year, n.id, 20, remove_files=[dropped.id]) == score_id
    line = next(x for x in asm.branch_assessment(db, year, "B01").scores if x.indicator_id == n.id)
    assert len(line.files) == 1 and line.files[0].id != dropped.id  # the score and the removal, one act
