"""The release build's wiring: CI builds the bundle, the spec makes both programs, nothing built is committed."""

from __future__ import annotations

import re
from pathlib import Path

from desktop_app import bootstrap

ROOT = Path(__file__).resolve().parents[2]


def test_ci_runs_the_readme_test_command():
    assert "python3 -m desktop_app.bootstrap test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m desktop_app.bootstrap test" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_bundle_is_built_in_ci_or_when_asked_only(monkeypatch):
    for name in ("CI", "DANGQUN_BUNDLE_TEST"):
        monkeypatch.delenv(name, raising=False)
    assert not bootstrap._bundle_in_test()
    monkeypatch.setenv("CI", "true")
    assert bootstrap._bundle_in_test()
    monkeypatch.delenv("CI")
    monkeypatch.setenv("DANGQUN_BUNDLE_TEST", "1")
    assert bootstrap._bundle_in_test()


def test_pyinstaller_comes_from_the_build_extra():
    assert any(req.lower().startswith("pyinstaller") for req in bootstrap._build_requirements())


def test_the_spec_makes_a_windowed_and_a_console_program_in_one_folder():
    spec = (ROOT / "build_spec" / "dangqun.spec").read_text(encoding="utf-8")
    assert '_exe("dangqun", console=False)' in spec
    assert '_exe("dangqun-cli", console=True)' in spec
    assert re.search(r"COLLECT\(gui_exe, cli_exe,", spec)
    assert "icon=str(ICON)" in spec and "version=VERSION_FILE" in spec
    assert (ROOT / "resources" / "dangqun.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_the_installer_is_per_user_and_keeps_the_data():
    iss = (ROOT / "build_spec" / "dangqun.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in iss
    assert "{autopf}" in iss and "{group}" in iss
    assert "[UninstallDelete]" not in iss.split("; No [UninstallDelete]")[0]


def test_build_output_is_ignored():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored and "dist/" in ignored
