"""Every line of the command line's help and of its argparse errors reads in Chinese.

ASCII words may only be what a worker types: option names, metavars, choices, command
names, report kinds, upper-case names (PDF, CSV, environment variables) and the few
values listed below; argparse's own English ("usage", "options", "show this help
message and exit", "invalid choice" …) fails the test.
"""

from __future__ import annotations

import argparse
import re

import pytest

from desktop_app.cli import _reports, build_parser, main

WORD = re.compile(r"[A-Za-z][A-Za-z_-]*")
# values a worker types that are named in help texts rather than as choices
TYPED = {"admin", "secretary", "grid", "viewer", "insert", "update", "delete", "reveal", "export", "login",
         "postgresql", "sslmode", "require", "dangqun", "id", "SQLCipher", "member", "csv", "xlsx", "columns", "null", "values",
         "Excel", "xls", "ods"}  # the spreadsheet program and file kinds a worker knows by these names


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def _allowed(root: argparse.ArgumentParser) -> set[str]:
    words = set(TYPED) | set(_reports())
    for _path, parser in _parsers(root):
        for a in parser._actions:
            for text in (*a.option_strings, a.metavar if isinstance(a.metavar, str) else "", a.dest or "",
                         *(str(c) for c in (a.choices or ()))):
                words.update(WORD.findall(text))
                words.update(WORD.findall(text.upper()))  # argparse's default metavar is the dest in capitals
    return words


def _english(text: str, allowed: set[str]) -> set[str]:
    return {w for w in WORD.findall(text) if w not in allowed and not w.isupper()}


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # no line wrapping inside a word


def test_every_help_page_is_chinese(wide):
    root = build_parser()
    allowed = _allowed(root)
    for path, parser in _parsers(root):
        text = parser.format_help()
        assert text.startswith("用法：")
        assert not _english(text, allowed), (path, _english(text, allowed))


def test_every_option_says_what_it_is_for():
    for path, parser in _parsers(build_parser()):
        for a in parser._actions:
            if not isinstance(a, argparse._SubParsersAction):
                assert a.help, (path, a.option_strings or a.dest)


@pytest.mark.parametrize("argv", [
    ["nosuch"], ["init"], ["init", "--org-code", "1", "--org-name", "x", "--level", "city"], ["stats", "--year", "x"],
    ["user", "frob"], ["sync"], ["--bogus", "orgs"], ["report"], ["audit", "--limit"],
])
def test_argparse_errors_are_chinese(argv, wide, capsys):
    allowed = _allowed(build_parser()) | {w for a in argv for w in WORD.findall(a)}
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "错误：" in err and err.startswith("用法：")
    assert not _english(err, allowed), _english(err, allowed)


def test_version_and_help_lines():
    text = build_parser().format_help()
    assert "显示此帮助信息并退出" in text and "显示程序版本号并退出" in text
    assert "\n选项：\n" in text and "\n位置参数：\n" in text
