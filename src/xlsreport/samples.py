"""The bundled sample data, shipped inside the package: what `demo`, the tests and the benchmarks fill."""

from __future__ import annotations

from importlib import resources

SEED = "xiaochengzi-2024.json"
LAST_YEAR = "2023"  # the samples' previous year, in a folder of its own


def sample_files(folder_name: str = "") -> list[tuple[str, bytes]]:
    """The bundled sample data (name, JSON bytes); "2023" for last year's."""
    folder = resources.files("xlsreport") / "samples"
    if folder_name:
        folder = folder / folder_name
    return sorted((p.name, p.read_bytes()) for p in folder.iterdir() if p.name.endswith(".json"))


def roster_text() -> str:
    return (resources.files("xlsreport") / "samples" / "roster.txt").read_text(encoding="utf-8")


def sample_name(name: str) -> str:
    return name.removesuffix(".json") + ".xlsx"
