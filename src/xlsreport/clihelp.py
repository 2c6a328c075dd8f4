"""The command line's own words and its parsing, in Chinese: help pages, what was given, usage errors.

typer words everything in English, and the click it vendors has no translation catalogue for most of it
("Usage:", "Missing parameter", "No such option"). So the commands are made with the `Command` and `Group`
classes here, which override click's public hooks. `format_help` writes the page from the parameters
themselves (names, help, metavar, default, required). `parse_args` is a small parser of our own over the
command's parameters — options and flags, `--opt=value`, `-oVALUE`, `--`, positional arguments, one of them
taking many — which converts each value with the parameter's own `parser=`, or as its plain type (Path,
str), and says whatever is wrong as one USAGE error. Option names stay as they are. The group runs the
command itself (`invoke`), with what its `parse_args` left in `ctx.args`.

Our own parser rather than click's: click's says what is wrong in English, by exceptions typer keeps in a
private module, and typer would convert the values through pydantic (importing it and building typer's
adapters costs every command about a tenth of a second). Only public names are used: typer's, and the
documented attributes of the click objects typer hands us (a parameter's `opts`, `nargs`, `is_flag`,
`required`, `default`; the context's `params`, `args`, `exit`). Each parameter's type and parser are read
from the command function's annotations (`Annotated[type, typer.Option(...)]`, as the commands are written),
and click's `Command.invoke` then calls the function with `ctx.params`, as after typer's own parsing. A
parameter this parser cannot take — a type without a parser, an option repeated into a list, or any setting
of typer.Option/typer.Argument it would ignore (min, exists, envvar, callback, prompt…) — stops the command
with a TypeError naming it, so a new command finds out at its first run.
"""

from __future__ import annotations

import inspect
import types
import typing
import unicodedata
from collections.abc import Callable
from difflib import get_close_matches
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import OptionInfo, ParameterInfo

from . import wording
from .errors import XlsreportError
from .reasons import reason

# what a typer.Option or typer.Argument may say here: what the parser and the help page read, and display
# settings harmless to ignore; any other setting (min, exists, envvar, callback, prompt…) would be ignored
# without a word, so it is refused
_TAKEN = {"param_decls", "default", "parser", "help", "metavar", "hidden", "show_default", "rich_help_panel"}


def usage_error(ctx: typer.Context | None, reason: str, close: list[str] | None = None) -> XlsreportError:
    """The one USAGE error: what is wrong, the names closest to a mistyped one, where to read the usage."""
    path = ctx.command_path if ctx is not None else "xlsreport"
    guess = _usage_reason("guess", names="、".join(close)) if close else ""
    return XlsreportError("USAGE", reason=_usage_reason("told", reason=reason, guess=guess, path=path))


def _usage_reason(key: str, **values: object) -> str:
    return reason("USAGE", key, **values)


class BadValue(ValueError):
    """Raised by a parameter's parser: the value is wrong, its message says why (in Chinese)."""


def between(low: int, high: int):
    """A parser for an integer from `low` to `high`, saying so in Chinese."""

    def parse(text: str) -> int:
        value = text.strip()
        if not value.lstrip("-").isdecimal() or not low <= int(value) <= high:
            raise BadValue(_usage_reason("not_between", low=low, high=high, text=text))
        return int(value)

    return parse


def _path(text: str) -> Path:
    """A path as typed; an empty one (`""`) would be the current folder, and is refused."""
    if not text:
        raise BadValue(_usage_reason("empty_path"))
    return Path(text)


# the types whose values are converted without a parser of their own (a flag's value is already a bool)
_PLAIN: dict[object, Callable[[Any], Any]] = {Path: _path, str: str, bool: bool}


def one_of(enum: type[Enum]):
    """A parser for one of an enum's values."""

    def parse(text: str) -> Enum:
        for member in enum:
            if text == member.value:
                return member
        raise BadValue(_usage_reason("not_one_of", values="、".join(m.value for m in enum), text=text))

    return parse


# ---------------------------------------------------------------- what the function declares
class _Declared(NamedTuple):
    kind: object  # the type of one value: `X | None` and `list[X]` are X
    parser: Callable[[str], Any] | None  # the `parser=` of its typer.Option or typer.Argument
    refused: list[str]  # the settings of its typer.Option or typer.Argument not taken into account here


def _refused(info: ParameterInfo | None) -> list[str]:
    if info is None:
        return []
    plain = vars(typer.Option() if isinstance(info, OptionInfo) else typer.Argument())
    return [k for k, v in vars(info).items() if k not in _TAKEN and v != plain.get(k)]


def _one_value(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        some = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = some[0] if len(some) == 1 else hint
    return typing.get_args(hint)[0] if typing.get_origin(hint) is list else hint


def _declared(command) -> dict[str, _Declared]:
    """Each parameter's type and parser by name, from the annotations of the command's function."""
    if command.callback is None:  # the group
        return {}
    declared = {}
    hints = typing.get_type_hints(inspect.unwrap(command.callback), include_extras=True)
    for name, hint in hints.items():
        extras: list[Any] = []
        if typing.get_origin(hint) is typing.Annotated:
            hint, *extras = typing.get_args(hint)
        info = next((e for e in extras if isinstance(e, ParameterInfo)), None)
        declared[name] = _Declared(
            _one_value(hint), info.parser if info is not None else None, _refused(info)
        )
    return declared


# ---------------------------------------------------------------- help pages
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _rows(rows: list[tuple[str, str]]) -> list[str]:
    """Two columns, the second starting at one place; lines never wrapped (a terminal does that)."""
    first = max(_width(a) for a, _ in rows)
    return [f"  {a}{' ' * (first - _width(a))}  {b}".rstrip() for a, b in rows]


def _kind(param, declared: dict[str, _Declared]) -> str:
    """What a parameter's value is: its metavar, the values it takes, or its type in Chinese."""
    if param.metavar:
        return param.metavar
    kind = declared[param.name].kind if param.name in declared else None
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "|".join(str(m.value) for m in kind)
    return wording.KINDS.get(getattr(kind, "__name__", ""), wording.KIND_OTHER)


def _argument_name(param, declared: dict[str, _Declared]) -> str:
    many = param.nargs != 1
    return _kind(param, declared) + ("…" if many else "")


def _default(param) -> str | None:
    value = param.default
    if value is None or isinstance(value, bool) or value in ((), []):
        return None
    return str(value.value if isinstance(value, Enum) else value)


def _describe(param) -> str:
    notes = []
    if (default := _default(param)) is not None:
        notes.append(wording.HELP_DEFAULT.format(value=default))
    if param.required:
        notes.append(wording.HELP_REQUIRED)
    return (param.help or "") + (f"（{'；'.join(notes)}）" if notes else "")


def _option_name(param, declared: dict[str, _Declared]) -> str:
    # short names first, as declared; click gives the help option's names from a set, in any order
    names = ", ".join(sorted([*param.opts, *param.secondary_opts], key=lambda o: o.startswith("--")))
    return names if param.is_flag else f"{names} {_kind(param, declared)}"


def _usage(ctx: typer.Context, command, declared: dict[str, _Declared]) -> str:
    pieces = [ctx.command_path]
    if isinstance(command, TyperGroup):
        return " ".join([*pieces, wording.USAGE_OPTIONS, wording.USAGE_COMMAND])
    pieces.append(wording.USAGE_OPTIONS)
    for p in command.get_params(ctx):
        if p.param_type_name == "argument":
            name = _argument_name(p, declared)
            pieces.append(name if p.required else f"[{name}]")
    return " ".join(pieces)


def help_page(ctx: typer.Context, command) -> str:
    """The whole help page of a command or of the group, in Chinese."""
    declared = _declared(command)
    lines = [wording.HELP_USAGE.format(usage=_usage(ctx, command, declared)), ""]
    if command.help:
        lines += [command.help.strip(), ""]
    params = command.get_params(ctx)
    helper = command.get_help_option(ctx)
    arguments = [
        (_argument_name(p, declared), _describe(p)) for p in params if p.param_type_name == "argument"
    ]
    options = [
        (_option_name(p, declared), wording.HELP_OPTION if p is helper else _describe(p))
        for p in params
        if p.param_type_name == "option" and not p.hidden
    ]
    if arguments:
        lines += [wording.HELP_ARGUMENTS, *_rows(arguments), ""]
    if options:
        lines += [wording.HELP_OPTIONS, *_rows(options), ""]
    if isinstance(command, TyperGroup):
        commands = [
            (n, ((c.help or "").strip().splitlines() or [""])[0])
            for n, c in command.commands.items()
            if not c.hidden
        ]
        lines += [
            wording.HELP_COMMANDS,
            *_rows(commands),
            "",
            wording.HELP_MORE.format(path=ctx.command_path),
        ]
    return "\n".join(lines).rstrip() + "\n"


def _show_help(ctx: typer.Context, command) -> None:
    typer.echo(help_page(ctx, command), nl=False)
    ctx.exit(0)


# ---------------------------------------------------------------- parsing
def _label(param, declared: dict[str, _Declared]) -> str:
    if param.param_type_name == "argument":
        return wording.PARAM_ARGUMENT.format(name=_argument_name(param, declared))
    return wording.PARAM_OPTION.format(names="/".join(param.opts))


def _walk(command, ctx: typer.Context, args: list[str]) -> tuple[dict[Any, Any], list[str]]:
    """The options given, each with its last value as typed (a flag's: a bool), and the other words in order.
    Where the context allows no interspersed arguments (the group), the first word ends the options."""
    helper = command.get_help_option(ctx)
    options = {
        name: p
        for p in command.get_params(ctx)
        if p.param_type_name == "option"
        for name in (*p.opts, *p.secondary_opts)
    }
    given: dict[Any, Any] = {}
    words: list[str] = []
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if token == "--":
            return given, words + rest
        if token[:1] != "-" or token == "-":
            words.append(token)
            if not ctx.allow_interspersed_args:
                return given, words + rest
            continue
        name, eq, value = token.partition("=")
        if name not in options and not token.startswith("--"):  # -oVALUE: a short option and its value
            name, eq, value = token[:2], token[2:], token[2:]
        param = options.get(name)
        if param is None:
            close = get_close_matches(name, [o for o in options if o.startswith("--")])
            raise usage_error(ctx, _usage_reason("no_option", name=name), sorted(close))
        if param is helper:
            _show_help(ctx, command)
        if param.is_flag:
            if eq:
                raise usage_error(ctx, _usage_reason("flag_value", name=name))
            given[param] = name in param.opts
        elif eq or rest:
            given[param] = value if eq else rest.pop(0)
        else:
            raise usage_error(ctx, _usage_reason("no_value", name=name))
    return given, words


def _place(arguments: list, words: list[str], given: dict[Any, Any]) -> list[str]:
    """The positional words into the arguments, in order, the one taking many taking what the others leave;
    returns the words left over."""
    spare = len(words) - sum(1 for a in arguments if a.nargs == 1)
    for argument in arguments:
        if argument.nargs == 1 and words:
            given[argument] = words.pop(0)
        elif argument.nargs == -1 and spare > 0:
            given[argument], words = words[:spare], words[spare:]
    return words


def _converter(command, param, declared: dict[str, _Declared]) -> Callable[[Any], Any]:
    """How a parameter's value is converted; a TypeError for a parameter this parser cannot take."""
    kind, parser, refused = declared.get(param.name, (None, None, []))
    convert = parser or _PLAIN.get(kind)
    if convert is None or refused or param.multiple or param.nargs not in (1, -1):
        raise TypeError(
            f"{command.name} {param.name}: clihelp takes options of one value, flags and arguments, "
            f"converted by their parser= or as Path or str; not {refused or 'this'}"
        )
    return convert


class _Parsing:
    """What the two classes share: the Chinese help page, and our parsing of the words given."""

    def format_help(self, ctx, formatter) -> None:
        formatter.write(help_page(ctx, self))

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        """Each parameter's value into `ctx.params`; the words left over into `ctx.args`."""
        declared = _declared(self)
        params = [p for p in self.get_params(ctx) if p.expose_value]  # all but --help
        convert = {p: _converter(self, p, declared) for p in params}
        given, words = _walk(self, ctx, args)
        rest = _place([p for p in params if p.param_type_name == "argument"], words, given)
        for p in params:
            if p in given:
                raw = given[p]
                try:
                    ctx.params[p.name] = [convert[p](v) for v in raw] if p.nargs == -1 else convert[p](raw)
                except BadValue as exc:
                    raise usage_error(
                        ctx, _usage_reason("bad_value", param=_label(p, declared), why=exc)
                    ) from None
        for p in params:
            if p not in given:
                if p.required:
                    raise usage_error(ctx, _usage_reason("missing", param=_label(p, declared)))
                ctx.params[p.name] = p.default
        if rest and not ctx.allow_extra_args:
            raise usage_error(ctx, _usage_reason("extra", words=" ".join(rest)))
        ctx.args = rest
        return rest


class Command(_Parsing, TyperCommand):
    """A command whose help and usage errors are in Chinese, its values converted without pydantic."""


class Group(_Parsing, TyperGroup):
    """The group of commands: help and usage errors in Chinese, an unknown command with the closest ones.
    Called with no command, it shows its help. It runs the command itself (`invoke`): typer's would look
    for the command where click's parsing of the group leaves it, in a private attribute of the context."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)  # the options before the command; the rest is the command's
        if not rest:
            if self.callback is not None and any(ctx.params.values()):  # an option of the group's own
                ctx.invoke(self.callback, **ctx.params)  # (--version) does what it says, and exits
            _show_help(ctx, self)
        name = rest[0]
        if self.get_command(ctx, name) is None:
            close = get_close_matches(name, list(self.commands))
            said = (
                _usage_reason("no_command", name=name)
                if close
                else _usage_reason("no_command_known", name=name, commands="、".join(self.commands))
            )
            raise usage_error(ctx, said, close)
        return rest

    def invoke(self, ctx):
        name, *args = ctx.args
        command = self.get_command(ctx, name)
        ctx.invoked_subcommand = name
        if self.callback is not None:  # an @app.callback(): the group's own options
            ctx.invoke(self.callback, **ctx.params)
        with command.make_context(name, args, parent=ctx) as sub:
            return command.invoke(sub)
