"""Walk-ins' signatures on blank rows come back with their picture: the proposal carries each signed blank
row's crop of the scan by 序号, the command line writes them out as files, and a huge scan makes no huge crop."""

import cv2
import numpy as np

from desktop_app.cli import main
from desktop_app.domain import meetings as r
from desktop_app.scan import reader
from desktop_app.services import meetings as ms
from desktop_app.views import signin_scan as layout
from tests.integration.test_signin_scan import NAMES, meetings, save, signed_photo  # noqa: F401 - a fixture

# the widest table a sheet's code may claim, flattened at the reader's fixed scale, one row and its margin
MOST_W = int((400 + 16) * reader.PX_PER_MM)
MOST_H = int((layout.ROW_MM + 2) * reader.PX_PER_MM) + 1


def _walk_in_serials(truth) -> list[int]:
    return [i + 1 for i in range(len(NAMES), len(truth.signed)) if truth.signed[i]]  # a one-page sheet: 序号 = row


def _picture(png: bytes) -> np.ndarray:
    assert png.startswith(b"\x89PNG")
    return cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)


def test_two_signed_blank_rows_come_with_their_crops_by_serial(meetings, tmp_path):  # noqa: F811
    db, a, _ = meetings
    img, truth = signed_photo(db, a, seed=7, walk_ins=2)
    serials = _walk_in_serials(truth)
    assert len(serials) == 2
    proposal = ms.read_scan(db, save(img, tmp_path / "scan.png"), meeting_ref=a.id)
    [sheet] = proposal.sheets
    assert [row.serial for row in sheet.unnamed_rows] == serials == list(sheet.unnamed_serials)
    assert proposal.unnamed_rows_of(a.id) == sheet.unnamed_rows and sheet.unnamed_signatures == 2
    blank = next(line for line in sheet.lines if line.state == "未签").image  # a named row left unsigned
    for row in sheet.unnamed_rows:
        pic = _picture(row.image)
        assert pic.shape == _picture(blank).shape  # the same crop as a named row's, 姓名 to 请假
        # the walk-in wrote a name and signed: more ink than the grid lines of a row nobody touched
        assert (pic < 128).mean() > (_picture(blank) < 128).mean() + 0.01
    # the unsigned blank rows carry nothing
    assert ms.read_scan(db, save(signed_photo(db, a, seed=7, walk_ins=0)[0], tmp_path / "none.png"),
                        meeting_ref=a.id).unnamed_rows_of(a.id) == ()


def test_a_huge_scan_makes_no_huge_crop(meetings, tmp_path):  # noqa: F811
    """A 600 dpi scan, three times as many pixels each way: the crops stay the size the reader reads at."""
    db, a, _ = meetings
    img, truth = signed_photo(db, a, seed=8, walk_ins=1)
    huge = cv2.resize(img, None, fx=3, fy=3, interpolation=cv2.INTER_LINEAR)
    proposal = ms.read_scan(db, save(huge, tmp_path / "huge.png"), meeting_ref=a.id)
    [row] = proposal.unnamed_rows_of(a.id)
    assert row.serial == _walk_in_serials(truth)[0]
    h, w = _picture(row.image).shape
    assert w <= MOST_W and h <= MOST_H, (w, h)
    assert len(row.image) < 64 * 1024


def test_the_command_line_writes_the_crops_and_never_overwrites_one(meetings, tmp_path, capsys):  # noqa: F811
    db, a, _ = meetings
    img, truth = signed_photo(db, a, seed=7, walk_ins=2)
    serials = _walk_in_serials(truth)
    photo = str(save(img, tmp_path / "scan.png"))
    folder = tmp_path / "签名" / "空白行"  # made when missing
    db_path = str(db.path or db.url)
    assert main(["import", "signin-scan", photo, "--dry-run", "--unnamed-images", str(folder), "--db", db_path]) == 0
    out = capsys.readouterr().out
    names = [f"2025-06-06-序号{n}.png" for n in serials]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert f"已把 2 行空白行上的签名存为图片：{folder}" in out
    proposal = ms.read_scan(db, photo, meeting_ref=a.id)
    for row in proposal.unnamed_rows_of(a.id):
        assert (folder / f"2025-06-06-序号{row.serial}.png").read_bytes() == row.image

    # run again into the same folder: refused, the earlier crop untouched, and nothing recorded either
    kept = folder / names[0]
    kept.write_bytes(b"the worker's own notes")
    (folder / names[1]).unlink()
    assert main(["import", "signin-scan", photo, "--unnamed-images", str(folder), "--db", db_path]) == 2
    err = capsys.readouterr().err
    assert f"“{kept}” 已存在，未覆盖，什么也没有写入" in err and "请换一个文件夹" in err
    assert kept.read_bytes() == b"the worker's own notes" and not (folder / names[1]).exists()
    assert ms.get(db, a.id).status == r.PLANNED

    # a file given as the folder
    assert main(["import", "signin-scan", photo, "--dry-run", "--unnamed-images", str(kept), "--db", db_path]) == 2
    assert "是一个文件，不是文件夹" in capsys.readouterr().err
