"""A built .docx printed to PDF through LibreOffice, with the 公文 fonts it lacks stood in for and reported."""

from __future__ import annotations

from . import fonts, office
from .findings import Finding


def print_pdf(document: bytes, timeout: float = office.PDF_TIMEOUT) -> tuple[bytes, tuple[Finding, ...]]:
    """The PDF of a .docx, LibreOffice told the best installed stand-in for each missing 公文 font, and
    notices about the fonts it substituted."""
    from .render import east_asian_fonts  # python-docx only where a document is read

    families = east_asian_fonts(document)
    installed = fonts.installed_families()
    conf = fonts.fontconfig_conf(fonts.stand_ins(families, installed)) if installed is not None else None
    printed = office.pdf_of(document, timeout, conf)
    return printed, font_notices(document, printed, conf)


def font_notices(document: bytes, pdf: bytes | None = None, conf: str | None = None) -> tuple[Finding, ...]:
    """Warnings about the Chinese fonts of a .docx that LibreOffice replaces on this machine (under the
    fontconfig configuration `conf`), each naming the face the `pdf` made of it carries."""
    from .render import east_asian_fonts

    families = east_asian_fonts(document)
    matches = fonts.font_matches(families, conf)
    if matches is None:
        return (Finding.make("FONTS_UNCHECKED", "", found="、".join(families)),)
    embedded = fonts.pdf_fonts(pdf) if pdf is not None else ()
    notices = []
    for m in matches:
        if m.substituted:
            # a face fontconfig names but the PDF does not carry: say what the PDF has instead
            used = m.used if pdf is None or fonts.in_pdf(m, embedded) else "、".join(embedded)
            notices.append(Finding.make("FONT_SUBSTITUTED", "", found=m.wanted, expected=used))
    return tuple(notices)
