"""A Word template is code: its placeholders are Jinja expressions, rendered here in a sandbox.

A template from elsewhere (a neighbouring county, a download) must not run commands, read files or reach
Python's internals (`{{ ''.__class__.__mro__ }}`, `cycler.__init__.__globals__.os`), nor take all memory
(`{{ 'x' * 10**10 }}`). jinja2's SandboxedEnvironment refuses the first; `SafeEnvironment` also bounds
repetition and powers, and makes every refusal a `Blocked` error. An expression failing on the data of one
report (`{{ year + '年' }}`) becomes DOCX_TEMPLATE_FAILED naming the placeholder, in Chinese.
"""

from __future__ import annotations

import html
import re
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from jinja2 import Environment, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from .errors import InputError
from .reasons import REASONS
from .wording import UNKNOWN_PLACE

MAX_SIZE = 1_000_000  # items or characters a template expression may make by repetition
MAX_EXPONENT = 256
MAX_SECONDS = 60  # one document's rendering; ours takes a few milliseconds

# DOCX_TEMPLATE_FAILED's reasons, from the catalogue (TOO_SLOW still takes its seconds)
_WHY = REASONS["DOCX_TEMPLATE_FAILED"]
BLOCKED, TOO_BIG, TOO_SLOW = _WHY["blocked"], _WHY["too_big"], _WHY["too_slow"]
WRONG_TYPE, DIVIDED_BY_ZERO, FAILED = _WHY["wrong_type"], _WHY["divided_by_zero"], _WHY["failed"]


class Blocked(Exception):
    """What the sandbox refused. Not a jinja2 TemplateError, so no English message reaches a user."""

    def __init__(self, reason: str = BLOCKED) -> None:
        super().__init__(reason)
        self.reason = reason


class SafeEnvironment(SandboxedEnvironment):
    """jinja2's sandbox, with repetition and powers bounded and every refusal raised as Blocked."""

    intercepted_binops = frozenset({"*", "**"})

    def unsafe_undefined(self, obj, attribute):
        raise Blocked()

    def call(__self, __context, __obj, *args, **kwargs):
        if not __self.is_safe_callable(__obj):
            raise Blocked()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise Blocked(TOO_BIG)
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > MAX_SIZE:
                    raise Blocked(TOO_BIG)
        return super().call_binop(context, operator, left, right)


@contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Stop a template that runs longer than `seconds` (loops inside loops) with Blocked, where a timer can
    interrupt (Unix, the main thread: `build`, and each of collect's worker processes); a timer already
    running (a caller's own) is given back what is left of it."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    seconds = MAX_SECONDS if seconds is None else seconds

    def expire(signum, frame) -> None:
        raise Blocked(TOO_SLOW.format(seconds=seconds))

    before = signal.signal(signal.SIGALRM, expire)
    start = time.monotonic()
    # and again each second after: library code catching the first must not let the template run on
    earlier, _ = signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
        if earlier:
            signal.setitimer(signal.ITIMER_REAL, max(earlier - (time.monotonic() - start), 0.001))


# each expression a template evaluates: {{ … }}, {% if/elif … %}, {% for … in … %}
_EXPRESSIONS = re.compile(
    r"\{\{-?(.*?)-?\}\}|\{%-?\s*(?:if|elif)\s(.*?)-?%\}|\{%-?\s*for\s.*?\sin\s(.*?)-?%\}", re.DOTALL
)
_DOCXTPL_PREFIX = re.compile(r"^\s*(?:p|r|tr|tc)\s+")  # {{p x}}, {{r x}}: docxtpl's own markers


def _culprit(sources: Iterable[str], env: Environment, context: Mapping[str, object]) -> str | None:
    """The first expression of the template that fails on `context`, as written in the template.

    Expressions naming a loop's variable cannot be evaluated alone and are passed over.
    """
    for source in sources:
        for m in _EXPRESSIONS.finditer(source):
            written = html.unescape(next(g for g in m.groups() if g is not None)).strip()
            expression = _DOCXTPL_PREFIX.sub("", written)
            try:
                env.compile_expression(expression, undefined_to_none=False)(**context)
            except (UndefinedError, TemplateError):
                continue
            except Exception:
                return "{{ " + written + " }}" if m.group(1) is not None else "{% … " + written + " %}"
    return None


def failure(
    template: Path, exc: Exception, sources: Iterable[str], env: Environment, context: Mapping[str, object]
) -> InputError:
    """DOCX_TEMPLATE_FAILED for an exception raised while rendering: which placeholder, and why in Chinese."""
    if isinstance(exc, Blocked):
        reason = exc.reason
    elif isinstance(exc, OverflowError | MemoryError | RecursionError):
        reason = TOO_BIG
    elif isinstance(exc, ZeroDivisionError):
        reason = DIVIDED_BY_ZERO
    elif isinstance(exc, TypeError | ValueError):
        reason = WRONG_TYPE
    else:
        reason = FAILED
    placeholder = _culprit(sources, env, context) or UNKNOWN_PLACE
    return InputError("DOCX_TEMPLATE_FAILED", path=str(template), placeholder=placeholder, reason=reason)
