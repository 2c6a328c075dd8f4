"""xlsreport: the 政府信息公开工作年度报告 workbook → check → Word report loop."""

__version__ = "0.1.0"
