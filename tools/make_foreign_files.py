"""Regenerate tests/data/foreign/: our blank workbook as other programs save it.

    python tools/make_foreign_files.py      # needs LibreOffice; the encrypted copy needs msoffcrypto-tool

* blank-libreoffice.xlsx — opened and saved by LibreOffice (protection and identity must survive);
* blank.xls, blank.ods    — saved by LibreOffice in the legacy Excel and OpenDocument formats;
* blank-encrypted.xlsx    — encrypted with the password 1234 (ECMA-376 agile encryption, as Excel does).

They are committed so the tests need neither program; a `libreoffice` test re-saves the blank with the
LibreOffice at hand and checks the same properties.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from xlsreport import api, office

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "foreign"
ORG, YEAR = "宝清县小城子镇人民政府", 2024


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        blank = api.blank(ORG, YEAR, tmp / "blank.xlsx")
        for to, name in (("xlsx", "blank-libreoffice.xlsx"), ("xls", "blank.xls"), ("ods", "blank.ods")):
            (converted,) = office.convert([blank], to, tmp / to)
            shutil.copyfile(converted, OUT / name)
        from msoffcrypto.format.ooxml import OOXMLFile  # only here: a dev tool, not a dependency of the tests

        encrypted = io.BytesIO()
        with blank.open("rb") as fh:
            OOXMLFile(fh).encrypt("1234", encrypted)
        (OUT / "blank-encrypted.xlsx").write_bytes(encrypted.getvalue())
    print(*sorted(p.name for p in OUT.iterdir()))


if __name__ == "__main__":
    main()
