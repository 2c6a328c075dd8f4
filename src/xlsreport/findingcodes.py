"""The finding codes: what `check` reports about a workbook it could read, each with its severity (error or
warning) and its Chinese message template.

A template receives `where` (the cell described in words) plus the fields of the finding (found,
expected; a rule's left and right sides). The module is one catalogue, some 40 codes, one entry each, read
at a glance by whoever reviews the wording.
"""

from __future__ import annotations

from .errors import Code, Severity

_E, _W = Severity.ERROR, Severity.WARNING

FINDINGS: dict[str, Code] = {
    c.code: c
    for c in (
        Code(
            "VALUE_TEXT",
            _E,
            "{where}：应填不小于0的数字，实为“{found}”，请改为阿拉伯数字",
            "数字单元格中是文字或无法识别的内容",
        ),
        Code("VALUE_NEGATIVE", _E, "{where}：不能为负数，实为{found}", "数字为负数"),
        Code("VALUE_FRACTION", _E, "{where}：件数应为整数，实为{found}", "件数带小数"),
        Code(
            "VALUE_FORMULA",
            _E,
            "{where}：填报单元格中不应有公式（{found}），请直接填写数字",
            "填报单元格中写了公式",
        ),
        Code(
            "VALUE_COERCED",
            _W,
            "{where}：“{found}”已按{expected}读取，请改为阿拉伯数字",
            "可安全转换的写法，如全角数字、前后空格",
        ),
        Code(
            "VALUE_BLANK",
            _W,
            "{where}：本表有{found}个单元格未填写（括号内为第一个），已按0计算；如确为0，请填写0",
            "空白单元格按0计算（每张表提示一次）",
        ),
        Code(
            "FORMULA_REPLACED",
            _E,
            "{where}：此处应为自动计算的公式，但被改成了固定值{found}，请使用原表重新填写",
            "合计公式被改成了固定值",
        ),
        Code(
            "FORMULA_CHANGED",
            _E,
            "{where}：自动计算的公式被修改（{found}），应为{expected}",
            "合计公式被修改",
        ),
        Code(
            "LABEL_CHANGED",
            _E,
            "{where}：表格文字被修改，应为“{expected}”，实为“{found}”",
            "表格标签被修改或行列被移动",
        ),
        Code(
            "IDENTITY_MISMATCH",
            _E,
            "{where}：与模板记录不一致，模板为“{expected}”，表中为“{found}”",
            "模板身份与基本信息不一致",
        ),
        Code("INFO_MISSING", _W, "{where}：未填写", "基本信息中的填报人、联系电话、填报日期未填"),
        Code("TEXT_EMPTY", _W, "{where}：未填写，报告中将缺少这一部分", "文字部分的某节为空"),
        Code(
            "T3_ROW_TOTAL",
            _E,
            "{where}：总计应为{expected}（自然人与法人或其他组织各列之和），实为{found}",
            "表三 每行：总计 = 自然人 + 法人或其他组织各列",
        ),
        Code(
            "T3_COL_TOTAL",
            _E,
            "{where}：（七）总计应为{expected}（（一）至（六）各项之和），实为{found}",
            "表三 每列：（七）总计 = （一）至（六）各项之和",
        ),
        Code(
            "T3_BALANCE",
            _E,
            "{where}：一、本年新收与二、上年结转之和为{left}，三（七）总计与四、结转下年度继续办理之和为{right}，两者应相等；请核对本列各数",
            "表三 每列：一 + 二 = 三（七）总计 + 四",
        ),
        Code(
            "T4_TOTAL",
            _E,
            "{where}：总计应为{expected}（结果维持、结果纠正、其他结果、尚未审结之和），实为{found}",
            "表四 每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        ),
        Code(
            "T2_REGULATIONS",
            _W,
            "{where}：填了{found}件规章；乡镇和县级机关没有规章制定权，行政规范性文件应填在下一行",
            "表二 乡镇、县级机关填报了规章（多为填错行）",
        ),
        Code(
            "VALUE_TOO_LARGE",
            _E,
            "{where}：数字{found}过大（上限{expected}），请核对是否多填了位数",
            "数字大得不合常理（超过上限）",
        ),
        Code(
            "MACROS_IGNORED",
            _W,
            "文件含有宏（.xlsm）：宏没有运行，也不会保留，只读取了表格中的数据；请让填报单位另存为Excel工作簿（.xlsx）",
            "含宏的工作簿：宏不运行，只读数据",
        ),
        Code(
            "NAMES_MISSING",
            _W,
            "工作簿中有{found}个填报单元格的名称被删除（如 {expected}）；校验按单元格位置进行，不受影响，但说明表格被改动过",
            "填报单元格的名称（定义名称）被删除",
        ),
        Code(
            "PREV_CARRY",
            _E,
            "{where}：应等于上年报告“{source}”的{expected}，实为{found}",
            "跨年度：二、上年结转 ≠ 上年的四、结转下年度继续办理",
        ),
        Code(
            "PREV_IN_FORCE",
            _W,
            "{where}：上年现行有效件数加本年制发、减本年废止应为{expected}，实为{found}；如重新清理过存量，请在文字部分说明",
            "跨年度：现行有效件数 ≠ 上年现行有效 + 本年制发 − 本年废止",
        ),
        Code(
            "PREV_MISSING",
            _W,
            "{where}：在 {found} 中没有找到本机关{expected}年度的填报表（按机关名称匹配），未做跨年度核对",
            "没有找到本机关上一年度的填报表",
        ),
        Code(
            "TEXT_COPIED",
            _W,
            "{where}：与上一年度报告的这一部分完全相同，请写明本年度的问题和上年度问题的改进情况",
            "文字部分与上年完全相同",
        ),
        Code(
            "TEXT_YEAR",
            _W,
            "{where}：文中“{found}”把{expected}年以外的年份当作本年度，请核对是否沿用了往年的文字",
            "文字部分把其他年份当作本年度",
        ),
        Code(
            "TEXT_PLACE",
            _W,
            "{where}：文中提到“{found}”，不属于本机关所在的{expected}，请核对是否照抄了其他地方的文字",
            "文字部分提到本省以外的地名",
        ),
        Code(
            "TEXT_OTHER_BODY",
            _W,
            "{where}：文中出现其他机关“{found}”（{expected}），请核对是否照抄了其他机关的文字",
            "文字部分出现其他机关的名称",
        ),
        Code(
            "TEXT_NO_FEE",
            _W,
            "{where}：未说明信息处理费的收取情况（国办函〔2020〕109号）：发出收费通知的件数和金额，未收取的写“本年度未收取信息处理费”",
            "六、其他需要报告的事项 未说明信息处理费",
        ),
        Code(
            "TEXT_FIGURE",
            _W,
            "{where}：文中“{found}”与表格不一致（{expected}），请核对",
            "文字中的数字与表格不一致",
        ),
        Code(
            "TEXT_PLACEHOLDER",
            _W,
            "{where}：文中有未替换的占位内容“{found}”",
            "文字部分留有占位内容（XX、××、【】）",
        ),
        Code(
            "TEXT_GENERATED",
            _W,
            "{where}：含系统根据表格生成的文字（{found}），请核对无误后删除“{expected}”标记",
            "文字部分含系统生成、尚未核对的段落",
        ),
        Code(
            "FONT_SUBSTITUTED",
            _W,
            "PDF：本机没有字体“{found}”，LibreOffice 将以“{expected}”代替，字形和字宽与公文字体不同；正式印发前请安装该字体后重新生成",
            "生成PDF时文档要求的中文字体未安装，LibreOffice 以其他字体代替",
        ),
        Code(
            "FONTS_UNCHECKED",
            _W,
            "PDF：本机没有 fc-match，无法检查 LibreOffice 将使用的字体（{found}），请打开PDF核对字体",
            "生成PDF时无法检查字体",
        ),
        Code(
            "COLLECT_DUPLICATE",
            _W,
            "{where}：本机关还交了一份填报表 {expected}，已按那一份处理，本文件未使用",
            "collect：同一机关交了两份，按修改时间、表内保存时间、文件名保留一份",
        ),
        Code(
            "COLLECT_YEAR",
            _E,
            "{where}：这是{found}年度的填报表，本次收集的是{expected}年度，未使用；请用本年度下发的表填写",
            "collect：填报表的年度与本次收集的年度不同",
        ),
        Code(
            "COLLECT_NOT_ON_ROSTER",
            _E,
            "{where}：机关“{found}”不在名单 {expected} 上，未生成报告、未计入汇总；请核对机关名称或名单",
            "collect：机关不在 --roster 名单上",
        ),
        Code(
            "PUB_LABEL",
            _W,
            "{where}：报告印的是“{found}”，与全国统一格式的“{expected}”不同，已按位置和相近的文字读取",
            "已公开报告：表格标签有错字或改动，按相近的标签读取",
        ),
        Code(
            "PUB_OTHER_ONE_ROW",
            _W,
            "{where}：报告按2019年版式把“（六）其他处理”印成一行，没有分1至3项；这一行的数字记入“3.其他”，1、2项为空",
            "已公开报告：（六）其他处理印成一行（2019年版式）",
        ),
        Code(
            "PUB_ROW_MISSING",
            _W,
            "{where}：报告中没有找到这一行，其数字按空白处理",
            "已公开报告：表格中缺少这一行",
        ),
        Code(
            "NAME_LOOKALIKE",
            _W,
            "{where}：机关名称“{found}”与{expected}只差不可见字符、特殊空格或全角字母，已按同一机关处理；请统一写法",
            "机关名称只差不可见或形似字符，按同一机关处理",
        ),
    )
}


def finding_message(code: str, **fields: object) -> str:
    """The Chinese message of finding `code`, with `where` and the finding's fields filled in."""
    return FINDINGS[code].template.format(**fields)
