"""What the command line prints: for a person at a terminal, or whole for a file, a pipe or a script.

At a terminal: colour, tables drawn by rich, progress bars (on stderr). Anywhere else: plain lines that are
never cut or wrapped, no escape codes, each table as tab-separated lines under a header line, and no
progress at all. rich is imported only when a terminal is there to draw on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

Part = str | tuple[str, str]  # text, or (text, style) where the style is rich's: "red", "green"…


class Console:
    def __init__(self, stream: Callable[[], TextIO]) -> None:
        self._stream = stream  # looked up at each print: tests and main() replace sys.stdout

    @property
    def stream(self) -> TextIO:
        return self._stream()

    @property
    def terminal(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def line(self, *parts: Part) -> None:
        """One line of text: its styled parts coloured at a terminal, plain anywhere else."""
        if not self.terminal:
            self.stream.write("".join(p if isinstance(p, str) else p[0] for p in parts) + "\n")
            return
        from rich.text import Text

        text = Text()
        for p in parts:
            text.append(*((p,) if isinstance(p, str) else p))
        self._rich().print(text, soft_wrap=True)  # the terminal wraps a long line, not rich

    def table(self, heads: Sequence[str], rows: Sequence[Sequence[Part]], title: str = "") -> None:
        """A table: drawn at a terminal (long cells folded, none cut); tab-separated lines anywhere else."""
        if not self.terminal:
            if title:
                self.stream.write(title + "\n")
            for row in (heads, *rows):
                cells = (c if isinstance(c, str) else c[0] for c in row)
                self.stream.write("\t".join(_one_line(c) for c in cells) + "\n")
            return
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title or None)
        for h in heads:
            table.add_column(h, overflow="fold")
        for row in rows:
            table.add_row(*(Text(c) if isinstance(c, str) else Text(*c) for c in row))
        self._rich().print(table)

    @contextmanager
    def progress(self) -> Iterator[Callable[[str, int, int], None]]:
        """A callback (stage, done, total) that draws a bar per stage at a terminal, and does nothing elsewhere."""
        if not self.terminal:
            yield lambda stage, done, total: None
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        tasks: dict[str, object] = {}
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=self._rich(), transient=False) as bar:

            def update(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done)

            yield update

    def _rich(self):
        from rich.console import Console as Rich

        return Rich(file=self.stream, highlight=False, markup=False)


def _one_line(text: str) -> str:
    """A cell of a tab-separated line: its own tabs and line breaks would start another cell or row."""
    return text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ")


out = Console(lambda: sys.stdout)
err = Console(lambda: sys.stderr)
