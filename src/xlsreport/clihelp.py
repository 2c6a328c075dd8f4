"""The command line's own words, in Chinese: its help pages and its usage errors.

typer words both in English, and the click it vendors has no translation catalogue for most of them
("Usage:", "Missing parameter", "No such option"). So the commands are made with the `Command` and
`Group` classes here, whose click hooks say everything in Chinese: `format_help` writes the page from the
parameters themselves (names, help, metavar, default, range, required); `parse_args` and
`resolve_command` turn what the parser raises into one USAGE error, worded from the exception's class and
attributes (its parameter, option name, close matches) — never from its English text. Option names stay.

Three of typer's private names are used here, for want of public ones: its vendored click's exceptions
(`typer._click`), and `RuntimeParam` with a parameter's `_runtime_param`, to convert plain values without
the pydantic model typer would build (a twentieth of a second on every command). typer is pinned below its
next minor version in pyproject.toml, and tests/test_cli.py fails on an upgrade that changes them: the
usage errors are asserted word for word, and `check` is asserted not to import pydantic.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer._coercion import RuntimeParam
from typer.core import TyperCommand, TyperGroup

from .errors import XlsreportError

NoArgsIsHelp = click_errors.NoArgsIsHelpError  # the group called with nothing: main() shows its help
HELP = "显示本帮助并退出"
MORE = "用 {path} 命令 --help 查看某个命令的用法。"
# what a value is, where a parameter does not say it with its metavar
_KINDS: dict[object, str] = {Path: "路径", int: "整数", float: "数", str: "文字"}


def usage_error(ctx: typer.Context | None, reason: str, close: list[str] | None = None) -> XlsreportError:
    """The one USAGE error: what is wrong, the names closest to a mistyped one, where to read the usage."""
    path = ctx.command_path if ctx is not None else "xlsreport"
    guess = f"是不是要用 {'、'.join(close)}？" if close else ""
    return XlsreportError("USAGE", reason=f"{reason}。{guess}用 {path} --help 查看用法")


class BadValue(typer.BadParameter):
    """Raised by a parameter's parser: the value is wrong, its message says why (in Chinese)."""


def between(low: int, high: int):
    """A parser for an integer from `low` to `high`, saying so in Chinese."""

    def parse(text: str) -> int:
        value = str(text).strip()
        if not value.lstrip("-").isdecimal() or not low <= int(value) <= high:
            raise BadValue(f"应为{low}至{high}之间的整数，实为“{text}”")
        return int(value)

    return parse


def one_of(enum: type[Enum]):
    """A parser for one of an enum's values."""

    def parse(text: str) -> Enum:
        for member in enum:
            if text == member.value:
                return member
        raise BadValue(f"应为 {'、'.join(m.value for m in enum)} 之一，实为“{text}”")

    return parse


# ---------------------------------------------------------------- help pages
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _rows(rows: list[tuple[str, str]]) -> list[str]:
    """Two columns, the second starting at one place; lines never wrapped (a terminal does that)."""
    first = max(_width(a) for a, _ in rows)
    return [f"  {a}{' ' * (first - _width(a))}  {b}".rstrip() for a, b in rows]


def _kind(param) -> str:
    """What a parameter's value is: its metavar, the values it takes, or its type in Chinese."""
    if param.metavar:
        return param.metavar
    annotation = param.type_descriptor.annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "|".join(str(m.value) for m in annotation)
    return _KINDS.get(annotation, "值")


def _argument_name(param) -> str:
    many = param.nargs != 1
    return _kind(param) + ("…" if many else "")


def _default(param) -> str | None:
    value = param.default
    if value is None or isinstance(value, bool) or value in ((), []):
        return None
    return str(value.value if isinstance(value, Enum) else value)


def _describe(param) -> str:
    notes = []
    if (default := _default(param)) is not None:
        notes.append(f"默认：{default}")
    if getattr(param, "min", None) is not None and getattr(param, "max", None) is not None:
        notes.append(f"{param.min}至{param.max}")
    if param.required:
        notes.append("必填")
    return (param.help or "") + (f"（{'；'.join(notes)}）" if notes else "")


def _option_name(param) -> str:
    names = ", ".join(param.opts)
    return names if param.is_flag else f"{names} {_kind(param)}"


def _usage(ctx: typer.Context, command) -> str:
    pieces = [ctx.command_path]
    if isinstance(command, TyperGroup):
        return " ".join([*pieces, "[选项]", "命令 [参数]…"])
    pieces.append("[选项]")
    for p in command.get_params(ctx):
        if p.param_type_name == "argument":
            pieces.append(_argument_name(p) if p.required else f"[{_argument_name(p)}]")
    return " ".join(pieces)


def help_page(ctx: typer.Context, command) -> str:
    """The whole help page of a command or of the group, in Chinese."""
    lines = [f"用法：{_usage(ctx, command)}", ""]
    if command.help:
        lines += [command.help.strip(), ""]
    params = command.get_params(ctx)
    helper = command.get_help_option(ctx)
    arguments = [(_argument_name(p), _describe(p)) for p in params if p.param_type_name == "argument"]
    options = [
        (_option_name(p), HELP if p is helper else _describe(p))
        for p in params
        if p.param_type_name == "option" and not p.hidden
    ]
    if arguments:
        lines += ["参数：", *_rows(arguments), ""]
    if options:
        lines += ["选项：", *_rows(options), ""]
    if isinstance(command, TyperGroup):
        commands = [
            (n, ((c.help or "").strip().splitlines() or [""])[0])
            for n, c in command.commands.items()
            if not c.hidden
        ]
        lines += ["命令：", *_rows(commands), "", MORE.format(path=ctx.command_path)]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- usage errors
def _param_label(param) -> str:
    if param.param_type_name == "argument":
        return f"参数 {_argument_name(param)}"
    return f"选项 {'/'.join(param.opts)}"


def _reason(ctx: typer.Context, exc: click_errors.UsageError) -> str:
    """What the parser found wrong, from the exception's class and attributes."""
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        return f"缺少{_param_label(exc.param)}"
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        why = f"：{exc.message}" if isinstance(exc, BadValue) else ""
        return f"{_param_label(exc.param)} 的值不正确{why}"
    if isinstance(exc, click_errors.NoSuchOption):
        return f"没有选项 {exc.option_name}"
    if isinstance(exc, click_errors.BadOptionUsage):
        option = next((p for p in ctx.command.params if exc.option_name in getattr(p, "opts", ())), None)
        if option is not None and option.is_flag:
            return f"选项 {exc.option_name} 不带值"
        return f"选项 {exc.option_name} 后面缺少值"
    return "命令的写法有误"


# the plain types whose values need no conversion beyond these
_PLAIN: dict[object, Callable[[Any], Any]] = {Path: Path, str: str, bool: bool}


@dataclass(frozen=True)
class _Plain(RuntimeParam):
    """A value converted by the parameter's own parser or plain type, as typer's would, without the
    pydantic model typer builds for it: importing pydantic would cost every command a twentieth of a second."""

    convert: Callable[[Any], Any]

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, list | tuple):
            return [self.convert(v) for v in value]
        return self.convert(value)


class _Parsing:
    """What the two classes share: the Chinese help page, and the parser's errors as one USAGE error."""

    def format_help(self, ctx, formatter) -> None:
        formatter.write(help_page(ctx, self))

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        for param in self.get_params(ctx):
            desc = param.type_descriptor
            base = desc.annotation.__args__[0] if desc.is_list else desc.annotation
            convert = desc.parameter_info.parser or _PLAIN.get(base)
            if convert is not None and param._runtime_param is None:  # any other type is left to typer
                param._runtime_param = _Plain(desc.parameter_info, desc.annotation, convert)
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True  # told below, in Chinese
        try:
            rest = super().parse_args(ctx, args)
        except click_errors.NoArgsIsHelpError:
            raise
        except click_errors.UsageError as exc:
            close = sorted(getattr(exc, "possibilities", None) or ())
            raise usage_error(ctx, _reason(ctx, exc), close) from None
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed:
            raise usage_error(ctx, f"多余的参数：{' '.join(rest)}")
        return rest


class Command(_Parsing, TyperCommand):
    """A command whose help and usage errors are in Chinese."""


class Group(_Parsing, TyperGroup):
    """The group of commands: help and usage errors in Chinese, an unknown command with the closest ones."""

    def resolve_command(self, ctx, args: list[str]):
        name = args[0]
        if name not in self.commands and not name.startswith("-"):
            close = get_close_matches(name, list(self.commands))
            known = "" if close else f"（可用的命令：{'、'.join(self.commands)}）"
            raise usage_error(ctx, f"没有命令“{name}”{known}", close)
        try:
            return super().resolve_command(ctx, args)
        except click_errors.UsageError as exc:
            raise usage_error(ctx, _reason(ctx, exc)) from None
