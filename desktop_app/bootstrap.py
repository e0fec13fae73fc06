"""Set up everything the program needs, then run it or its tests.

This module uses only the standard library, so it runs on a bare Python
before any dependency is installed:

    python3 -m desktop_app.bootstrap gui      # install if needed, start the program
    python3 -m desktop_app.bootstrap test     # install if needed, run every test headless
    python3 -m desktop_app.bootstrap bench    # install if needed, run the benchmarks
    python3 -m desktop_app.bootstrap bundle   # build the PyInstaller bundle, smoke-test it headless

`test` also builds and smoke-tests the bundle (first) when CI=true or DANGQUN_BUNDLE_TEST=1
(a few minutes), so developers' runs stay quick and CI still catches a bundle
that lacks a data file or a hidden import. With CI=true or DANGQUN_PG_TEST=1 it
then runs the PostgreSQL suites (PG_SUITES) a second time against a throwaway
PostgreSQL cluster on a local socket (tests/pgcluster.py), which is stopped
afterwards whatever happens: a district's server database is proven by the
same tests as a street's file.

It keeps a virtual environment in `.venv` beside the checkout and reinstalls
only when pyproject.toml changes. Run as root on Debian/Ubuntu it also installs
the system libraries Qt needs and a CJK font; otherwise it names them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-pyproject.sha256"

# What Qt's xcb/offscreen platforms and our fonts need on Debian/Ubuntu.
APT_PACKAGES = [
    "libegl1",
    "libgl1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-randr0",
    "libxcb-xfixes0",
    "fonts-wqy-zenhei",
    "poppler-utils",
]


def say(msg: str) -> None:
    print(f"[dangqun] {msg}", flush=True)


def _missing_debs() -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for pkg in APT_PACKAGES:
        r = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", pkg],
            capture_output=True,
            text=True,
        )
        if "install ok installed" not in r.stdout:
            missing.append(pkg)
    return missing


def ensure_system_packages(extra: list[str] | None = None) -> None:
    wanted = _missing_debs()
    if extra:
        wanted += extra
    if not wanted:
        return
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root and shutil.which("apt-get"):
        say("安装系统依赖 (installing system libraries): " + " ".join(wanted))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *wanted],
            check=True,
            env=env,
        )
    else:
        say(
            "缺少系统库，请让管理员安装 (missing system packages; install them with "
            "sudo apt-get install " + " ".join(wanted) + ")"
        )


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    py = venv_python()
    if not py.exists():
        say(f"创建虚拟环境 {VENV}")
        r = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
        if r.returncode != 0 or not py.exists():
            # Debian splits venv/ensurepip out of python3.
            shutil.rmtree(VENV, ignore_errors=True)
            ver = f"python{sys.version_info.major}.{sys.version_info.minor}-venv"
            ensure_system_packages(["python3-venv", ver])
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        say("安装依赖 (installing Python packages) ...")
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-U", "pip"], check=True)
        # setuptools' "!! Editable installation ... be careful with folders" block read as an error to
        # the worker who runs this once; it is a note for packagers (pip's own errors still show)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"],
            check=True,
            env=dict(os.environ, PYTHONWARNINGS="ignore"),
        )
        STAMP.write_text(digest)
    return py


BUNDLE_OUT = ROOT / "build" / "bundle"


def _build_requirements() -> list[str]:
    """The `build` extra of pyproject.toml (PyInstaller), read so it is written once."""
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["project"]["optional-dependencies"]["build"])


def bundle(py: Path) -> int:
    """Build dist folder from build_spec/dangqun.spec, then run build_spec/smoke.py on it."""
    import time

    have = subprocess.run([str(py), "-c", "import PyInstaller"], capture_output=True)
    if have.returncode != 0:
        say("安装打包工具 (installing PyInstaller) ...")
        subprocess.run([str(py), "-m", "pip", "install", "-q", *_build_requirements()], check=True)
    dist, work = BUNDLE_OUT / "dist", BUNDLE_OUT / "work"
    start = time.monotonic()
    r = subprocess.run([
        str(py), "-m", "PyInstaller", str(ROOT / "build_spec" / "dangqun.spec"),
        "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work),
    ])
    if r.returncode != 0:
        say("打包失败 (bundle build failed)")
        return r.returncode
    say(f"打包用时 (bundle built in) {time.monotonic() - start:.0f} s → {dist / 'dangqun'}")
    start = time.monotonic()
    r = subprocess.run([str(py), str(ROOT / "build_spec" / "smoke.py"), str(dist / "dangqun")])
    say(f"冒烟测试用时 (smoke test took) {time.monotonic() - start:.0f} s")
    return r.returncode


# Integration tests that pass on PostgreSQL as well (DANGQUN_TEST_PG_URL): the list grows
# until it is all of tests/integration (issue #21). Tests that inspect an SQLite file itself
# are marked sqlite_only and stay on SQLite.
_PG_PASSING = [
    "test_annual_folder",
    "test_assessment_cli",
    "test_assessment_service",
    "test_assessment_sync",
    "test_attendance_import",
    "test_attendance_import_orgs",
    "test_audit",
    "test_audit_export",
    "test_audit_names",
    "test_auth",
    "test_budget_carry",
    "test_cli",
    "test_cli_meetings_list",
    "test_cobuilding_care",
    "test_cobuilding_cli",
    "test_cobuilding_costs",
    "test_cobuilding_demo",
    "test_cobuilding_inquiries",
    "test_cobuilding_joint",
    "test_cobuilding_lists",
    "test_cobuilding_pairing",
    "test_cobuilding_roster",
    "test_cobuilding_service",
    "test_concurrent_edits",
    "test_database_context",
    "test_demo",
    "test_demo_ledger",
    "test_development_cli",
    "test_development_demo",
    "test_development_service",
    "test_district_enrolment",
    "test_district_imports",
    "test_district_level",
    "test_district_names",
    "test_district_reads",
    "test_district_roles",
    "test_dues_service",
    "test_evaluation_unique",
    "test_file_fuzz",
    "test_find",
    "test_find_cli",
    "test_foreign_sheets",
    "test_history_imports",
    "test_hostile_files_cli",
    "test_import_floating_rows",
    "test_import_household_head",
    "test_import_hypothesis",
    "test_import_templates",
    "test_import_undo",
    "test_kill_safety",
    "test_ledger_month_balances",
    "test_ledger_pdfs",
    "test_ledger_service",
    "test_login_hygiene",
    "test_meeting_pdfs",
    "test_meeting_topics_print",
    "test_meetings_service",
    "test_member_import",
    "test_memberlife_cli",
    "test_memberlife_demo",
    "test_memberlife_service",
    "test_membership_import",
    "test_membership_service",
    "test_orgs_service",
    "test_overview_cli",
    "test_overview_figures",
    "test_overview_grid_roster",
    "test_overview_grid_scope",
    "test_pgbulk",
    "test_pinyin_backfill_residents",
    "test_plan_batch_service",
    "test_preview_snapshots",
    "test_residents_service",
    "test_roles",
    "test_roster_edit_moves",
    "test_roster_full_ids",
    "test_roster_pdf",
    "test_roster_search_changes",
    "test_roster_search_index",
    "test_roster_service",
    "test_roster_source",
    "test_server_address",
    "test_server_database",
    "test_server_privileges",
    "test_service_pdfs",
    "test_settings_service",
    "test_signin_scan",
    "test_signin_scan_excused",
    "test_stale_forms",
    "test_sync_batch_pg",
    "test_sync_bomb",
    "test_sync_closed_dues",
    "test_sync_format",
    "test_sync_introducers",
    "test_sync_kill",
    "test_sync_peer_format",
    "test_sync_scenarios",
    "test_sync_tamper",
    "test_sync_trail",
    "test_sync_transfer",
    "test_sync_trust",
    "test_sync_unique_clash",
    "test_unique_members",
    "test_visits_wishes_projects",
    "test_walkgrid_mistakes",
    "test_wide_integers",
    "test_window_lock",
]
PG_SUITES = [f"tests/integration/{name}.py" for name in _PG_PASSING]


def _pg_in_test() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("DANGQUN_PG_TEST") == "1"


def pg_tests(py: Path, args: list[str]) -> int:
    """PG_SUITES against a throwaway PostgreSQL cluster in a temporary folder, stopped in any case."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="dangqun-pg-"))
    cluster = [sys.executable, "-m", "tests.pgcluster"]
    try:
        # Standard library only: it installs the distribution's server when missing and we are root.
        url = subprocess.run([*cluster, "start", str(base)], check=True, stdout=subprocess.PIPE,
                             text=True).stdout.strip().splitlines()[-1]
        say(f"PostgreSQL 测试 (tests on PostgreSQL): {url}")
        env = {**os.environ, "DANGQUN_TEST_PG_URL": url}
        return subprocess.call([str(py), "-m", "pytest", *_workers(args), *PG_SUITES, *args], env=env)
    finally:
        subprocess.run([*cluster, "stop", str(base)])
        shutil.rmtree(base, ignore_errors=True)


def _workers(args: list[str]) -> list[str]:
    """pytest-xdist options: one worker per core (at most 4), each taking whole test files.

    Left out when the caller chose (-n/--numprocesses, -p no:xdist) or runs a single file.
    """
    if any(a in {"-n", "--numprocesses", "no:xdist"} or a.startswith(("-n", "--numprocesses=")) for a in args):
        return []
    paths = [a for a in args if not a.startswith("-")]
    if len(paths) == 1 and paths[0].endswith(".py"):
        return []
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    n = max(1, min(4, cores))
    return ["-n", str(n), "--dist", "loadfile"] if n > 1 else []


def _bundle_in_test() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("DANGQUN_BUNDLE_TEST") == "1"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    what = args.pop(0) if args else "gui"
    if what not in {"gui", "test", "bench", "bundle"}:
        print(__doc__)
        return 2
    if sys.platform.startswith("linux"):
        ensure_system_packages()
    py = ensure_venv()
    os.chdir(ROOT)
    if what == "gui":
        cmd = [str(py), "-m", "desktop_app", "gui", *args]
    elif what == "bench":
        cmd = [str(py), "-m", "tests.benchmarks", *args]
    elif what == "bundle":
        return bundle(py)
    else:
        lint_imports = py.parent / ("lint-imports.exe" if os.name == "nt" else "lint-imports")
        lint = subprocess.run([str(lint_imports), "--no-cache"])
        if lint.returncode != 0:
            say("分层约束检查失败 (layer contracts broken)")
            return lint.returncode
        if _bundle_in_test():
            # Before the tests, so the run ends on pytest's own summary line.
            built = bundle(py)
            if built != 0:
                return built
        plain = subprocess.call([str(py), "-m", "pytest", *_workers(args), *args])
        if not _pg_in_test():
            return plain
        on_pg = pg_tests(py, [a for a in args if a.startswith("-")])
        if on_pg != 0:
            say("PostgreSQL 上的测试失败 (tests on PostgreSQL failed)")
        return plain or on_pg
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
