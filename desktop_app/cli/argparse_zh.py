"""The command line's parser in Chinese: help headings, usage and argparse's error lines.

argparse writes its own words in English ("usage:", "options:", "error: argument …:
invalid choice …"). A worker reads every line of `dangqun --help` and of a mistyped
command, so this parser gives them in Chinese. It stays in the parser (no global
gettext catalogue), so other argparse users in the same process keep theirs.
Only argparse and re are imported: the window's start path loads this module too.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

USAGE = "用法："
HELP = "显示此帮助信息并退出"
VERSION = "显示程序版本号并退出"
COMMAND = "命令"  # the sub-command's placeholder in usage, help and errors (argparse would show its dest)

_HEADING = re.compile(r"^(\S[^\n]*?):$", re.M)
_TYPES = {"int": "整数", "float": "数字"}

# argparse's messages (Python 3.11 argparse.py), most specific first; groups are kept as typed.
_ARGUMENT = re.compile(r"argument (?P<name>.+?): (?P<rest>.*)", re.S)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.S), zh) for p, zh in (
    (r"invalid choice: (?P<v>.*) \(choose from (?P<c>.*)\)", "无效的选择 {v}（可选：{c}）"),
    (r"invalid (?P<t>\w+) value: (?P<v>.*)", "{v} 不是有效的{t}"),
    (r"expected one argument", "后面须写一个值"),
    (r"expected at most one argument", "后面最多写一个值"),
    (r"expected at least one argument", "后面至少写一个值"),
    (r"expected (?P<n>\d+) arguments?", "后面须写 {n} 个值"),
    (r"not allowed with argument (?P<v>.*)", "不能与 {v} 同时使用"),
    (r"ignored explicit argument (?P<v>.*)", "不接受值 {v}"),
    (r"the following arguments are required: (?P<v>.*)", "缺少必填的参数：{v}"),
    (r"one of the arguments (?P<v>.*) is required", "须给出其中一个参数：{v}"),
    (r"unrecognized arguments: (?P<v>.*)", "无法识别的参数：{v}（用 --help 查看可用的参数）"),
    (r"ambiguous option: (?P<o>\S+) could match (?P<v>.*)", "选项 {o} 不明确，可能是：{v}"),
    (r"unexpected option string: (?P<v>.*)", "意外的选项 {v}"),
    (r"unknown parser (?P<v>.*) \(choices: (?P<c>.*)\)", "没有命令 {v}（可用：{c}）"),
    (r"can't open '(?P<f>.*)': (?P<e>.*)", "无法打开文件 {f}：{e}"),
))


def translate(message: str) -> str:
    """argparse's English error message in Chinese (an unknown one is left as it is)."""
    m = _ARGUMENT.fullmatch(message)
    if m:
        return f"参数 {m['name']}：{translate(m['rest'])}"
    for pattern, zh in _PATTERNS:
        m = pattern.fullmatch(message)
        if m:
            groups = m.groupdict()
            if "t" in groups:
                groups["t"] = _TYPES.get(groups["t"], groups["t"])
            return zh.format(**groups)
    return message


class HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class ArgumentParser(argparse.ArgumentParser):
    """argparse.ArgumentParser with Chinese headings, -h text, usage prefix and error lines.

    Sub-command parsers are made of the same class (argparse uses the parent's type).
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        help_action = self._option_string_actions.get("-h")
        if help_action is not None:
            help_action.help = HELP

    def format_help(self) -> str:
        # argparse ends each heading (位置参数, 选项, a group's title) with an ASCII colon
        return _HEADING.sub(r"\1：", super().format_help())

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("metavar", COMMAND)
        return super().add_subparsers(**kwargs)

    def parse_known_args(self, args=None, namespace=None):
        words = sys.argv[1:] if args is None else list(args)
        return super().parse_known_args(self._options_after_command(words), namespace)

    def _options_after_command(self, words: list[str]) -> list[str]:
        """`dangqun --db X stats` as `dangqun stats --db X`: a command's options may come before it.

        README says every command takes --db; argparse alone reads a leading `--db X` as
        an unknown option followed by the command "X". Options this parser knows stay
        put; one a sub-command knows moves to just after the command word (a nested
        command's parser does the same with what follows). Anything else is left for
        argparse to report.
        """
        sub = self._commands()
        if sub is None or not words or not words[0].startswith("-"):
            return words  # the usual order (and the window's start path) costs nothing more
        i, kept, moved = self.leading_options(words)
        if not moved or i >= len(words) or words[i] not in sub.choices:
            return words
        return [*kept, words[i], *moved, *words[i + 1:]]

    def _commands(self) -> argparse._SubParsersAction | None:
        return next((a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None)

    def leading_options(self, words: list[str]) -> tuple[int, list[str], list[str]]:
        """The options before the command word: where that word is (len(words) when there is none),
        those this parser knows and those only a command knows (each with its value)."""
        sub = self._commands()
        kept: list[str] = []
        moved: list[str] = []
        i = 0
        while sub is not None and i < len(words) and words[i].startswith("-") and words[i] != "--":
            name, inline = words[i].partition("=")[::2]
            action = self._option_string_actions.get(name)
            target = kept
            if action is None:
                action, target = _command_option(sub, name), moved
                if action is None:
                    break
            values = 0 if inline or action.nargs == 0 else 1 if action.nargs is None else -1
            if values < 0:
                break  # an option taking a variable number of values: not guessed at
            target.extend(words[i:i + 1 + values])
            i += 1 + values
        return i, kept, moved

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")


def _command_option(sub: argparse._SubParsersAction, name: str) -> argparse.Action | None:
    """The action some command (or a command's command) gives option `name`, if any does."""
    for parser in sub.choices.values():
        action = parser._option_string_actions.get(name)
        if action is not None:
            return action
        nested = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
        if nested is not None and (action := _command_option(nested, name)) is not None:
            return action
    return None
