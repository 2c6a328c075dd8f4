"""The national format's workbook, in its own words: the 填报说明 sheet, the names of the sheets beside the
tables, and the titles, hints, column heads and input prompts the workbook shows (`Wording`).

They are what the workbook says to the clerk who fills it, not the report format's labels, so they are
kept apart from the declaration (national_2021.py) and read at a glance. All but the prompts are labels the layout's
fingerprint covers: changing one makes a new version (README: 格式与版本).
"""

from __future__ import annotations

from ..spec import Wording

INSTRUCTIONS = (
    "本表用于填报本机关上一年度政府信息公开工作年度报告，格式依据国办公开办函〔2021〕30号。",
    "只需填写浅黄色单元格，其他单元格已锁定；机关全称和年度由县政务公开办预先填好。",
    "表二、表三、表四中的件数填写不小于0的整数，没有的填0，不要留空，不要写“件”等文字；"
    "行政事业性收费以万元为单位，可以有小数。",
    "合计（总计）由公式自动计算，请勿改动。每张表右侧和下方的“校验”格显示✓或✗，"
    "红色✗出现在有问题的那一行（列）：数字写成了文字、负数或小数，填了公式，合计公式被改动，"
    "或数字之间的勾稽关系不成立。",
    "“校验结果”工作表汇总全部校验，顶部显示未通过的项数，提交前应为0；每个✗写明是哪个单元格、错在哪里、怎么改。",
    "文字部分每一格对应报告的一个部分，分段请在单元格内按 Alt+Enter（WPS、LibreOffice 同样适用）换行。",
    "请勿增删、移动或重命名工作表、行、列，也不要修改表格中的文字，否则县里无法读取。",
    "填好后保存为 .xlsx 格式，按县政务公开办要求的时间报送。",
)

WORDS = Wording(
    table_hint="浅黄色单元格填写，没有的填0；总计自动计算；校验格显示✓或✗，✗的说明见“校验结果”工作表。",
    check="校验：{rule}",
    values_check="数值",
    # a value check on 校验结果; each finding says in detail: text, negative, fraction, formula, too large
    values_rule="填写的是有效数字",
    guide_title="填报说明 · {name}",
    info_title="基本信息",
    info_locked="由县政务公开办预先填写，不能修改",
    info_open="请填写",
    text_title="文字部分",
    text_heads=("部分", "内容（单元格内按 Alt+Enter 换行分段）", "填写提示"),
    checks_title="校验结果",
    checks_failing="未通过的校验项数（提交前应为0）",
    checks_heads=("序号", "表", "校验规则", "对象", "结果", "位置", "说明（未通过时）"),
    count_prompt=(
        "填写件数",
        "不小于0的整数，没有的填0",
        "数字不对",
        "请填写不小于0的整数（不要写“件”等文字）",
    ),
    amount_prompt=(
        "填写金额（万元）",
        "不小于0的数字，单位万元，可有小数",
        "数字不对",
        "请填写不小于0的数字（单位万元）",
    ),
)

SHEETS = {
    "guide": "填报说明",
    "info": "基本信息",
    "text": "文字部分",
    "checks": "校验结果",
}
