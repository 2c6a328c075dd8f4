"""The report formats xlsreport knows, by id."""

from ..spec import Format
from .national_2021 import NATIONAL_2021

FORMATS: dict[str, Format] = {NATIONAL_2021.id: NATIONAL_2021}
DEFAULT = NATIONAL_2021
