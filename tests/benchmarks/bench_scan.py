"""Reading signed sign-in sheets back: accuracy by distortion and seconds per page, beside rasterising alone.

The set: sign-in sheets of demo meetings printed through services.meetings.print_signin_sheet,
rasterised at 300 dpi, signed with synthetic handwriting in random cells (请假 written in
some leave cells, walk-ins on blank rows), then put through each distortion of
tests/scan_samples.py (scans at 150/300/600 dpi, rotation up to 20°, perspective, shadow,
blur, noise with JPEG, and a phone photo with all of them) and encoded as JPEG like a file
from a phone. A cell is right when the reader's sure judgement matches the truth; a cell
it marks 不确定 is counted apart (a person looks at it), never as right.

Ours: desktop_app.scan.read_image on the decoded page. Baseline: rasterising the same
sheet page with pypdfium2 at 300 dpi — the least any reading must do with a PDF.
"""

from __future__ import annotations

import random
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from tests.benchmarks.figures import record

PAGES_PER_DISTORTION = 12
DPI = 300
SEED = 23


def _demo_sheets(folder: Path, n: int) -> list[bytes]:
    from desktop_app.cli import main as cli
    from desktop_app.services import meetings as ms
    from desktop_app.services.database import open_database

    path = folder / "demo.db"
    cli(["demo", "--db", str(path), "--members", "120", "--seed", "5"])
    db, _ = open_database(path)
    # Sheets without a leave printed in advance: the truth of a 请假 cell is then only what the test writes.
    rows = [r for r in ms.list_meetings(db, ms.MeetingFilter()) if r.expected and not r.leave][:n]
    sheets = [ms.print_signin_sheet(db, r.id, show_phones=i % 3 == 0) for i, r in enumerate(rows)]
    db.dispose()
    return sheets


def main(quick: bool = False, scale: int = 1) -> None:
    # Seconds per page do not depend on how many pages are read: --scale leaves the set as it is.
    per = 1 if quick else PAGES_PER_DISTORTION
    import cv2

    from desktop_app.scan import PageError, read_image
    from desktop_app.views.signin_scan import SheetCode
    from tests import scan_samples as samples

    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DANGQUN_DATA_DIR"] = str(Path(tmp) / "data")  # the demo's photos and backups: never the user's own folder
        sheets = _demo_sheets(Path(tmp), per)
    pages = []  # (page image, code, named rows on the page)
    t0 = time.perf_counter()
    for pdf in sheets:
        for img in samples.raster(pdf, DPI):
            pages.append(img)
    raster_s = (time.perf_counter() - t0) / len(pages)
    right = defaultdict(int)
    total = defaultdict(int)
    unsure = defaultdict(int)
    false_signed = defaultdict(int)
    failed = defaultdict(int)
    seconds = defaultdict(list)
    read_image(pages[0])  # imports and first-use set-up out of the timing
    for name, distort in samples.DISTORTIONS.items():
        for k in range(per):
            page = pages[(k * 7 + len(name)) % len(pages)]
            code = SheetCode.parse(samples.read_qr(page))
            named = code.rows - rng.randint(0, 6)  # which rows are printed with a name does not matter to the reader
            img, truth = samples.sign_page(page, code, named, DPI, rng, walk_ins=rng.randint(0, 2))
            img = distort(img, rng)
            ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 85])
            started = time.perf_counter()
            try:
                reading = read_image(cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE))
            except PageError:
                failed[name] += 1
                total[name] += 2 * code.rows
                continue
            seconds[name].append(time.perf_counter() - started)
            for row, signed, leave in zip(reading.rows, truth.signed, truth.leave):
                for cell, truth_marked in ((row.sign, signed), (row.leave, leave)):
                    total[name] += 1
                    if cell.confidence < 0.5:
                        unsure[name] += 1
                    elif cell.marked == truth_marked:
                        right[name] += 1
                if row.sign.marked and row.sign.confidence >= 0.5 and not signed:
                    false_signed[name] += 1
    print(f"{'distortion':<12} {'cells':>6} {'right':>8} {'unsure':>7} {'wrong':>6} {'pages failed':>12} "
          f"{'false signed':>12} {'s/page':>7}")
    for name in samples.DISTORTIONS:
        wrong = total[name] - right[name] - unsure[name]
        secs = sum(seconds[name]) / max(len(seconds[name]), 1)
        print(f"{name:<12} {total[name]:>6} {right[name] / total[name]:>8.2%} {unsure[name]:>7} {wrong:>6} "
              f"{failed[name]:>12} {false_signed[name]:>12} {secs:>7.3f}")
    all_total, all_right = sum(total.values()), sum(right.values())
    all_secs = [s for v in seconds.values() for s in v]
    per_page = sum(all_secs) / len(all_secs)
    print(f"overall: {all_right}/{all_total} cells right = {all_right / all_total:.2%} "
          f"(target ≥ 99.5%), unsure {sum(unsure.values())}, pages failed {sum(failed.values())}")
    print(f"false signed at 300 dpi scans: {false_signed['扫描 300dpi']} (target 0)")
    print(f"reading (ours): {per_page:.3f} s/page (target < 1 s); "
          f"baseline, rasterising the PDF page alone at {DPI} dpi: {raster_s:.3f} s/page; "
          f"ratio {per_page / raster_s:.1f}x")
    size = f"{len(all_secs)} pages"
    record("scan", "reading a signed page", per_page, "s", raster_s, "rasterising at 300 dpi", size=size,
           per_unit=True, cells_right=all_right / all_total, false_signed_300dpi=false_signed["扫描 300dpi"])
