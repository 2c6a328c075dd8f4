"""The national format of 国办公开办函〔2021〕30号, declared once. Labels are copied character for character."""

from __future__ import annotations

from dataclasses import replace

from ..spec import (
    Block,
    Carried,
    Check,
    Figure,
    Format,
    InfoLine,
    Kind,
    Node,
    Part,
    Requests,
    Rule,
    Section,
    Stock,
    Table,
    field_key,
    leaves_of,
)
from .national_2021_words import INSTRUCTIONS, SHEETS, WORDS

# ---------------------------------------------------------------- table 二
_COUNT_DECISIONS = (Node("本年处理决定数量", "decisions"),)

T2 = Table(
    key="t2",
    sheet="表二",
    blocks=(
        Block(
            caption="第二十条第（一）项",
            corner="信息内容",
            columns=(
                Node("本年制发件数", "issued"),
                Node("本年废止件数", "repealed"),
                Node("现行有效件数", "in_force"),
            ),
            rows=(Node("规章", "regulations"), Node("行政规范性文件", "normative")),
        ),
        Block(
            caption="第二十条第（五）项",
            corner="信息内容",
            columns=_COUNT_DECISIONS,
            rows=(Node("行政许可", "licensing"),),
        ),
        Block(
            caption="第二十条第（六）项",
            corner="信息内容",
            columns=_COUNT_DECISIONS,
            rows=(Node("行政处罚", "penalty"), Node("行政强制", "coercion")),
        ),
        Block(
            caption="第二十条第（八）项",
            corner="信息内容",
            columns=(Node("本年收费金额（单位：万元）", "amount", kind=Kind.AMOUNT),),
            rows=(Node("行政事业性收费", "fees"),),
        ),
    ),
)

# ---------------------------------------------------------------- table 三
_T3_COLUMNS = (
    Node(
        "申请人情况",
        children=(
            Node("自然人", "natural"),
            Node(
                "法人或其他组织",
                children=(
                    Node("商业企业", "commercial"),
                    Node("科研机构", "research"),
                    Node("社会公益组织", "nonprofit"),
                    Node("法律服务机构", "legal"),
                    Node("其他", "other", short="其他法人或其他组织"),
                ),
            ),
            Node("总计", "total", computed=True),
        ),
    ),
)


def _numbered(prefix: str, labels: tuple[str, ...]) -> tuple[Node, ...]:
    return tuple(Node(label, f"{prefix}_{i}") for i, label in enumerate(labels, 1))


_T3_RESULTS = (
    Node("（一）予以公开", "granted", short="予以公开"),
    Node("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial", short="部分公开"),
    Node(
        "（三）不予公开",
        short="不予公开",
        children=_numbered(
            "withheld",
            (
                "1.属于国家秘密",
                "2.其他法律行政法规禁止公开",
                "3.危及“三安全一稳定”",
                "4.保护第三方合法权益",
                "5.属于三类内部事务信息",
                "6.属于四类过程性信息",
                "7.属于行政执法案卷",
                "8.属于行政查询事项",
            ),
        ),
    ),
    Node(
        "（四）无法提供",
        short="无法提供",
        children=_numbered(
            "unable", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
        ),
    ),
    Node(
        "（五）不予处理",
        short="不予处理",
        children=_numbered(
            "refused",
            (
                "1.信访举报投诉类申请",
                "2.重复申请",
                "3.要求提供公开出版物",
                "4.无正当理由大量反复申请",
                "5.要求行政机关确认或重新出具已获取信息",
            ),
        ),
    ),
    Node(
        "（六）其他处理",
        short="其他处理",
        children=_numbered(
            "other",
            (
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "3.其他",
            ),
        ),
    ),
)

T3 = Table(
    key="t3",
    sheet="表三",
    blocks=(
        Block(
            corner="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            columns=_T3_COLUMNS,
            rows=(
                Node("一、本年新收政府信息公开申请数量", "new"),
                Node("二、上年结转政府信息公开申请数量", "carried"),
                Node(
                    "三、本年度办理结果", children=(*_T3_RESULTS, Node("（七）总计", "total", computed=True))
                ),
                Node("四、结转下年度继续办理", "carry_forward"),
            ),
        ),
    ),
)

# ---------------------------------------------------------------- table 四
_T4_OUTCOMES = (
    ("结果维持", "upheld"),
    ("结果纠正", "corrected"),
    ("其他结果", "other"),
    ("尚未审结", "pending"),
)


def _t4_group(label: str, key: str) -> Node:
    leaves = tuple(Node(lbl, f"{key}_{k}") for lbl, k in _T4_OUTCOMES)
    return Node(label, children=(*leaves, Node("总计", f"{key}_total", computed=True)))


T4 = Table(
    key="t4",
    sheet="表四",
    blocks=(
        Block(
            columns=(
                _t4_group("行政复议", "review"),
                Node(
                    "行政诉讼",
                    children=(
                        _t4_group("未经复议直接起诉", "direct"),
                        _t4_group("复议后起诉", "after_review"),
                    ),
                ),
            ),
        ),
    ),
)


# ---------------------------------------------------------------- rules
def t3_rules(t3: Table = T3) -> tuple[Rule, ...]:
    """The equations of 表三, from its rows and columns (a variant with another row gets them too)."""
    block = t3.blocks[0]
    rows = [n for n, _ in leaves_of(block.rows)]
    cols = [n for n, _ in leaves_of(block.columns)]
    by_key = {n.key: n for n in rows}
    results = [n for n, _ in leaves_of(next(n for n in block.rows if not n.key).children) if not n.computed]
    total_col, total_row = cols[-1], by_key["total"]
    k = lambda r, c: field_key(t3.key, r, c)  # noqa: E731
    row_total = tuple(
        Check("T3_ROW_TOTAL", (k(r, total_col),), tuple(k(r, c) for c in cols[:-1]), r.label, defines=True)
        for r in rows
    )
    col_total = tuple(
        # the corner cell (七)总计 × 总计 is defined by its row; here it is only checked
        Check(
            "T3_COL_TOTAL",
            (k(total_row, c),),
            tuple(k(r, c) for r in results),
            c.label,
            defines=c is not total_col,
        )
        for c in cols
    )
    balance = tuple(
        Check(
            "T3_BALANCE",
            (k(by_key["new"], c), k(by_key["carried"], c)),
            (k(total_row, c), k(by_key["carry_forward"], c)),
            c.label,
            at=k(by_key["carry_forward"], c),  # 四 is what a clerk works out last, so point there
        )
        for c in cols
    )
    return (
        Rule("T3_ROW_TOTAL", "t3", "总计＝各列之和", "right", row_total),
        Rule("T3_COL_TOTAL", "t3", "（七）总计＝（一）至（六）之和", "below", col_total),
        Rule("T3_BALANCE", "t3", "一＋二＝三（七）＋四", "below", balance),
    )


def _t4_rules() -> tuple[Rule, ...]:
    groups = [("行政复议", "review"), ("未经复议直接起诉", "direct"), ("复议后起诉", "after_review")]
    checks = tuple(
        Check(
            "T4_TOTAL",
            (f"t4_{key}_total",),
            tuple(f"t4_{key}_{k}" for _, k in _T4_OUTCOMES),
            label,
            defines=True,
        )
        for label, key in groups
    )
    return (Rule("T4_TOTAL", "t4", "总计＝四项之和", "below", checks),)


NATIONAL_2021 = Format(
    id="national-2021",
    version=2,
    name="政府信息公开工作年度报告（国办公开办函〔2021〕30号）",
    title_pattern="{org}{year}年政府信息公开工作年度报告",
    sections=(
        Section(
            "一、总体情况", parts=("overview", "active", "request", "management", "platform", "oversight")
        ),
        Section("二、主动公开政府信息情况", table="t2"),
        Section("三、收到和处理政府信息公开申请情况", table="t3"),
        Section("四、政府信息公开行政复议、行政诉讼情况", table="t4"),
        Section("五、存在的主要问题及改进情况", parts=("problems",)),
        Section("六、其他需要报告的事项", parts=("other",)),
    ),
    tables=(T2, T3, T4),
    info=(
        InfoLine("org", "机关全称", locked=True),
        InfoLine("year", "年度", locked=True),
        InfoLine("filler", "填报人"),
        InfoLine("phone", "联系电话"),
        InfoLine("date", "填报日期"),
    ),
    parts=(
        Part(
            "overview",
            "一、总体情况（开篇段落）",
            "概述本年度政府信息公开工作的总体情况：指导思想、总体部署、主要成效。",
        ),
        Part(
            "active",
            "一、总体情况（一）主动公开",
            "主动公开的范围、渠道和数量，政策解读、回应关切等。",
            "主动公开",
        ),
        Part(
            "request",
            "一、总体情况（二）依申请公开",
            "受理、办理依申请公开的情况：收到多少件、如何办理、是否按期答复。",
            "依申请公开",
        ),
        Part(
            "management",
            "一、总体情况（三）政府信息管理",
            "信息发布审查、保密审查、动态更新等管理制度。",
            "政府信息管理",
        ),
        Part(
            "platform",
            "一、总体情况（四）政府信息公开平台建设",
            "政府网站、政务新媒体、公开栏等平台的建设和运行。",
            "政府信息公开平台建设",
        ),
        Part(
            "oversight",
            "一、总体情况（五）监督保障",
            "培训、考核、社会评议和责任追究的情况及结果。",
            "监督保障",
        ),
        Part(
            "problems",
            "五、存在的主要问题及改进情况",
            "本年度存在的主要问题，以及上一年度问题的改进情况和下一步措施。",
        ),
        Part(
            "other",
            "六、其他需要报告的事项",
            "必须说明是否收取信息处理费（国办函〔2020〕109号）：发出收费通知的件数和总金额；"
            "未收取的写“本年度未收取信息处理费”。可补充人大代表建议和政协提案办理结果公开等情况。",
        ),
    ),
    rules=(*t3_rules(), *_t4_rules()),
    instructions=INSTRUCTIONS,
    words=WORDS,
    sheets=SHEETS,
    # only provincial and larger-city governments and State Council departments make 规章
    implausible={
        "T2_REGULATIONS": ("t2_regulations_issued", "t2_regulations_repealed", "t2_regulations_in_force")
    },
    requests=Requests(
        "t3",
        new="new",
        carried="carried",
        done="total",
        forward="carry_forward",
        total="total",
        fee_notice="other_2",  # 申请人逾期未按收费通知要求缴纳费用
    ),
    # rules 6 and 7 of the format, across years
    carried=(Carried("t3", row="carried", source="carry_forward"),),
    stocks=(Stock("t2", stock="in_force", added="issued", removed="repealed"),),
    # what a text says when it states a figure of the tables (and each category of 表三's 办理结果, by its
    # short name: Format.results)
    figures=(
        Figure(r"(?:新收|收到|受理)[^，。；、\d]{0,12}?申请(?:共计|总计|共)?", ("t3_new_total",)),
        Figure(r"上一?年度?结转(?:[^，。；、\d]{0,10}?申请)?", ("t3_carried_total",)),
        Figure(r"结转(?:到|至)?下一?年度?(?:继续办理)?", ("t3_carry_forward_total",)),
        Figure(r"办结(?:申请)?(?:共计|共)?", ("t3_total_total",)),
        Figure(r"制发(?:行政)?规范性文件", ("t2_normative_issued",)),
        Figure(r"现行有效的?(?:行政)?规范性文件", ("t2_normative_in_force",)),
        Figure(r"行政许可(?:处理)?决定", ("t2_licensing_decisions",)),
        Figure(r"行政处罚(?:处理)?决定", ("t2_penalty_decisions",)),
        Figure(r"行政复议", ("t4_review_total",)),
    ),
    key_figures=(
        "t3_new_total",
        "t3_carried_total",
        "t3_total_total",
        "t3_granted_total",
        "t3_carry_forward_total",
        "t2_normative_issued",
        "t2_normative_in_force",
        "t2_licensing_decisions",
        "t2_penalty_decisions",
        "t4_review_total",
        "t4_direct_total",
        "t4_after_review_total",
    ),
    roles={"request": "request", "fee": "other", "problems": "problems"},
)

# ---------------------------------------------------------------- earlier versions, read only
# Version 1 (until 2c198db): the same fields in the same cells; one check column beside each table (no
# value checks), no hidden _checks sheet, other words in 填报说明 and the hints. Its labels are frozen.
NATIONAL_2021_V1 = replace(NATIONAL_2021, version=1, frozen="national-2021-1.json")
