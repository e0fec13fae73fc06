"""Every command's --help prints: argparse formats help text with %, so a bare % in one
command's help (比例 0.5%) crashes that command's --help only, which no other test reaches."""

import argparse

import pytest

from desktop_app.cli import build_parser


def _parsers(p: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, p
    for action in p._actions:  # argparse keeps its subcommands nowhere public
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def test_there_are_many_commands_to_check():
    assert len(list(_parsers(build_parser()))) > 40


@pytest.mark.parametrize("path", [path for path, _ in _parsers(build_parser())], ids=" ".join)
def test_every_command_prints_its_help(path, capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*path, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法") or "usage" in out.lower(), out[:200]
