"""Reading published reports (PDF, Word, web pages) in the national format: `import`, and `check` on them.

pdf.py, word.py and web.py each turn one kind of file into the neutral form of model.py (tables of text
cells, paragraphs); match.py reads the fields from the tables by the format's labels, sections.py the
narrative, body and year; read.py puts them together in the shape `check` reads a workbook in; audit.py
tells the findings by table, row, column and page, and writes the JSON.
"""

from .audit import document, relocate
from .read import SUFFIXES, Published, is_published, read_published, read_report

__all__ = ["SUFFIXES", "Published", "document", "is_published", "read_published", "read_report", "relocate"]
