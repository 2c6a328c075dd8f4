"""Every code xlsreport reports, with its Chinese message template, and the few exceptions.

Two kinds of code share one catalogue:

* finding codes: what `check` reports about a workbook it could read (severity error or warning);
* fatal codes: what stops the work (a file that is not our workbook, an output that cannot be written).
  They travel as an `XlsreportError` and make the CLI exit with 2 (or 1 for `BUILD_HAS_ERRORS`).

Templates are `str.format` strings. Finding templates receive `where` (the cell described in words) plus
the fields of the finding (found, expected; a rule's left and right sides); fatal templates receive the keyword arguments of the exception.

The module is long because it is one catalogue: some 80 codes, one entry each, read at a glance by whoever
reviews the wording; only the few functions at its end are code.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity | None  # None for fatal codes
    template: str
    summary: str  # one line for the README and `schema`


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
            "{where}：应等于上年报告“四、结转下年度继续办理”的{expected}，实为{found}",
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

FATAL: dict[str, Code] = {
    c.code: c
    for c in (
        Code("FILE_NOT_FOUND", None, "找不到文件：{path}", "输入文件不存在"),
        Code(
            "FILE_NOT_WORKBOOK",
            None,
            "{path} 不是可以读取的Excel工作簿（.xlsx）：{reason}",
            "不是 .xlsx 工作簿",
        ),
        Code(
            "NOT_TEMPLATE",
            None,
            "{path} 不是本系统下发的填报表（{reason}），请使用下发的原表填写",
            "不是本系统生成的填报表",
        ),
        Code(
            "TEMPLATE_VERSION",
            None,
            "{path} 是另一版本的填报表（{found}），本程序认识的是 {expected}；{advice}",
            "模板格式或版本不符",
        ),
        Code(
            "SHEET_MISSING",
            None,
            "{path} 缺少工作表“{sheet}”，无法按填报表读取，请使用下发的原表重新填写",
            "工作表被删除或改名",
        ),
        Code("OUTPUT_EXISTS", None, "输出文件已存在：{path}；如需覆盖，请加 --overwrite", "输出文件已存在"),
        Code("OUTPUT_UNWRITABLE", None, "无法写入 {path}：{reason}", "输出位置不可写"),
        Code(
            "BUILD_HAS_ERRORS",
            None,
            "{path} 有{count}处错误，未生成报告；请先改正，或加 --force 生成标明“草稿（未通过校验）”的文档",
            "工作簿有错误，拒绝生成报告",
        ),
        Code("DOCX_TEMPLATE_INVALID", None, "Word模板 {path} 无法使用：{reason}", "Word模板不是有效的 .docx"),
        Code(
            "DOCX_TEMPLATE_INCOMPLETE",
            None,
            "Word模板 {path} 缺少{what}：{missing}",
            "Word模板缺少占位符或样式",
        ),
        Code("DATA_INVALID", None, "数据文件 {path} 有误：{reason}", "export/fill 的 JSON 数据有误"),
        Code("ROSTER_INVALID", None, "名单文件 {path} 有误：{reason}", "名单文件无法读取"),
        Code(
            "OFFICE_MISSING",
            None,
            "没有找到 LibreOffice（soffice）：生成PDF需要先安装 LibreOffice；只要Word文档时请去掉 --pdf",
            "需要 LibreOffice 但未安装",
        ),
        Code("OFFICE_FAILED", None, "LibreOffice 转换失败：{reason}", "LibreOffice 转换失败或超时"),
        Code("USAGE", None, "{reason}", "命令用法有误"),
        Code(
            "FILE_OTHER_FORMAT",
            None,
            "{path} 不是 .xlsx 工作簿：{reason}",
            "其他表格格式（.xls、.et、.ods、.xlsb）",
        ),
        Code(
            "FILE_ENCRYPTED",
            None,
            "{path} 设置了打开密码（已加密），无法读取；请让填报单位在Excel或WPS中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx 再发送",
            "工作簿加了打开密码",
        ),
        Code(
            "FILE_TOO_LARGE",
            None,
            "{path} 超出读取上限，已拒绝读取：{reason}",
            "文件或其部件超过大小上限（防“压缩炸弹”）",
        ),
        Code(
            "FILE_UNSAFE",
            None,
            "{path} 含有不安全的内容，已拒绝读取：{reason}",
            "文件含有XML实体定义等不安全内容",
        ),
        Code(
            "PREVIOUS_NOT_FOUND",
            None,
            "在 {path} 中没有找到“{org}”{year}年度的填报表（按机关名称匹配），无法结转上年数据",
            "--previous 中没有该机关上一年度的填报表",
        ),
        Code("FOLDER_NOT_FOUND", None, "找不到文件夹：{path}", "collect 的输入文件夹不存在"),
        # reading a published report (PDF, Word, web page): published/
        Code(
            "PUB_UNSUPPORTED",
            None,
            "{path} 不能作为已公开的年度报告读取：{reason}",
            "已公开报告的文件类型不支持（只读 PDF、.docx、.html/.htm）",
        ),
        Code(
            "PUB_DAMAGED",
            None,
            "{path} 已损坏，无法读取：{reason}",
            "已公开报告的文件已损坏",
        ),
        Code(
            "PUB_ENCRYPTED",
            None,
            "{path} 设置了密码，无法读取；请使用未加密的文件",
            "已公开报告的文件加了密码",
        ),
        Code(
            "PUB_SCANNED",
            None,
            "{path} 没有文字层（扫描件或图片）：本系统不做文字识别，请使用可以选中文字的PDF、Word文件或网页",
            "PDF没有文字层（扫描件），不做文字识别",
        ),
        Code(
            "PUB_NO_TABLES",
            None,
            "{path} 中没有找到全国统一格式（国办公开办函〔2021〕30号）的表格：{reason}",
            "文件中没有全国统一格式的表二、表三、表四",
        ),
        Code(
            "PUB_TRIAL_FORMAT",
            None,
            "{path} 的{table}列为“{reason}”，与2021年全国统一格式不同（多为2019年试行格式），无法按字段读取",
            "表格的列与2021年格式不同（如2019年试行格式的表二），无法按字段读取",
        ),
        Code(
            "PUB_NO_TITLE",
            None,
            "{path} 中没有找到报告标题（“××{year}年政府信息公开工作年度报告”），无法确定机关和年度",
            "已公开报告中没有找到标题（机关名称和年度）",
        ),
        Code(
            "PUB_TOO_LARGE",
            None,
            "{path} 超出读取上限，已拒绝读取：{reason}",
            "已公开报告超过页数、大小或嵌套层数的上限",
        ),
        Code(
            "OUTPUT_IS_INPUT",
            None,
            "输出 {path} {reason}（{input}），为保护输入文件，什么都没有写；请把输出放到别处",
            "输出会落在输入上（同一文件、输入文件夹里面或包含输入文件夹）",
        ),
        Code(
            "OUTPUT_NOT_OURS",
            None,
            "{path} 不是 xlsreport 在这里写出的文件（或写出后被改动过），--overwrite 也不会替换它；请把它移走或换一个输出文件夹",
            "输出文件夹里同名的文件不是本程序写出的，不覆盖",
        ),
        Code(
            "OUTPUT_BUSY",
            None,
            "另一个 xlsreport（进程 {pid}）正在写入 {path}，请等它结束后再运行；如确认没有在运行，删除 {lock} 后再试",
            "另一次运行正在写同一个输出文件夹",
        ),
        Code(
            "FILE_NOT_REGULAR",
            None,
            "{path} 不是普通文件（{reason}），无法读取",
            "输入是文件夹、命名管道、套接字、设备或循环的链接",
        ),
        Code("FILE_UNREADABLE", None, "无法读取 {path}：{reason}", "输入文件无法读取（没有权限、磁盘出错）"),
        Code(
            "DOCX_TEMPLATE_FAILED",
            None,
            "Word模板 {path} 的占位符 {placeholder} {reason}；请改正模板",
            "Word模板的占位符在本报告的数据上出错，或试图访问不允许的内容",
        ),
        Code(
            "INTERRUPTED",
            None,
            "已中断（{signal}）：已写完的文件完整保留，没有留下临时文件和后台进程；重新运行同一命令即可接着完成",
            "运行被 Ctrl-C 或 SIGTERM 中断（退出码 130／143）",
        ),
    )
}


# The reasons that fill a fatal code's {reason} (or {what}), each beside its code, keyed by what went
# wrong; README's “原因” table is generated from them (tools/make_docs.py). guard.py keeps the reasons of
# the files it refuses (a foreign or unsafe input) as its own table, generated into the README likewise.
REASONS: dict[str, dict[str, str]] = {
    "FILE_NOT_WORKBOOK": {
        "old_or_encrypted": "这是旧版 .xls/.et 文件或加密的工作簿，请另存为不加密码的 .xlsx",
        "not_zip": "文件内容不是 .xlsx 格式",
        "damaged": "文件已损坏或不是Excel工作簿（{detail}）",
    },
    "NOT_TEMPLATE": {"no_identity": "没有找到本系统填报表的标识", "damaged_identity": "填报表的标识已损坏"},
    "DATA_INVALID": {
        "not_utf8": "不是UTF-8编码的文字（第{offset}个字节起无法解码）",
        "not_json": "不是有效的JSON：第{line}行第{column}列{what}",
        "unreadable": "无法读取（{reason}）",
        "no_fields": "缺少 fields 对象",
        "format": "不认识的格式 {found}，可用：{known}",
        "unknown": "未知的字段 {keys}（字段见 xlsreport schema）",
        "org": "info_org（机关全称）必须是非空文字",
        "year": "info_year（年度）必须是2000至2100之间的整数",
        "value": "{key} 的值只能是数字、文字或 null",
        "too_long": "{key} 超过单元格上限 {limit} 个字符",
        "text": "{key} 应为文字",
    },
    "DOCX_TEMPLATE_INVALID": {
        "missing": "文件不存在",
        "not_docx": "不是Word文档（.docx）：{detail}",
        "syntax": "占位符写法有误：{detail}",
        "unknown": "含有本程序不认识的占位符：{names}",
    },
    "DOCX_TEMPLATE_INCOMPLETE": {"placeholders": "占位符", "styles": "样式"},
    "DOCX_TEMPLATE_FAILED": {
        "blocked": "试图访问程序内部、文件或系统命令，已阻止",
        "too_big": "要生成的内容过大，已阻止",
        "too_slow": "运行超过{seconds}秒（如循环套循环），已停止",
        "wrong_type": "无法用本报告的数据计算（数据类型不符，如把数字和文字相加）",
        "divided_by_zero": "无法用本报告的数据计算（除以0）",
        "failed": "无法用本报告的数据计算",
    },
    "OFFICE_FAILED": {
        "timeout": "超过{seconds}秒未完成",
        "cannot_run": "无法运行 {program}（{detail}）",
        "not_written": "未生成 {names}",
    },
    "ROSTER_INVALID": {
        "no_names": "没有任何机关名称",
        "no_header": "找不到“{header}”列",
        "unreadable": "无法读取（{what}）",
        "encoding": "文字编码无法识别：请在记事本中“另存为”，编码选 UTF-8",
        "not_xlsx": "不是可以读取的Excel工作簿",
        "same_file_name": "“{other}”与“{org}”生成的文件名相同（{name}），请在名单中区分",
    },
    "USAGE": {
        "no_org": "机关全称不能为空（--org）",
        "province": "不认识的省份“{name}”（--province），请写省级行政区的全称或简称",
    },
    "PUB_UNSUPPORTED": {
        "suffix": "只读 PDF、.docx、.html/.htm 文件",
        "old_doc": "旧版Word文档（.doc），请另存为 .docx 或PDF",
        "other": "不支持 {suffix} 文件",
    },
    "PUB_DAMAGED": {
        "unparsable": "文件内容无法解析",
        "not_pdf": "扩展名是 .pdf，内容不是PDF",
        "not_docx": "扩展名是 .docx，内容不是Word文档",
        "no_body": "不是Word文档（缺少正文部件）",
        "pdf_open": "PDF无法打开（{detail}）",
        "pdf_content": "PDF内容无法读取（{detail}）",
        "html": "网页无法解析（{detail}）",
    },
    "PUB_NO_TABLES": {"none": "文件中没有表格", "no_label": "没有一行表格标签与全国统一格式相符"},
    "PUB_TOO_LARGE": {
        "bytes": "文件 {n} MB，上限 {limit} MB",
        "pages": "{n} 页，上限 {limit} 页",
        "chars": "一页有 {n} 个字符，上限 {limit}",
        "paths": "一页有超过 {limit} 个图形",
        "html_nesting": "网页元素嵌套超过 {limit} 层",
        "cells": "表格单元格超过 {limit} 个",
        "docx_part": "正文部件解压后 {n} 字节，上限 {limit}",
    },
    "OUTPUT_IS_INPUT": {
        "same_file": "就是输入文件",
        "inside_input": "在输入文件夹里面",
        "holds_input": "包含输入文件夹",
    },
    "OUTPUT_UNWRITABLE": {
        "a_folder": "已有同名的文件夹",
        "not_a_file": "已有同名的特殊文件（设备、管道等），不能替换",
    },
}


def reason(code: str, key: str, **values: object) -> str:
    """The reason `key` of fatal `code`, its fields filled in."""
    return REASONS[code][key].format(**values)


def finding_message(code: str, **fields: object) -> str:
    """The Chinese message of finding `code`, with `where` and the finding's fields filled in."""
    return FINDINGS[code].template.format(**fields)


class XlsreportError(Exception):
    """Stops the work: carries a stable code and a Chinese message; the CLI exits with `exit_code`."""

    exit_code = 2

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = {k: readable(v) if isinstance(v, str) else v for k, v in fields.items()}
        self.message = FATAL[code].template.format(**self.fields)
        super().__init__(f"[{code}] {self.message}")


class InputError(XlsreportError):
    """An input file cannot be used (missing, not a workbook, not our template)."""


class OutputError(XlsreportError):
    """An output cannot be written."""


# The reasons an output cannot be written, by errno; anything else shows the system's own words.
OS_REASONS = {
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "磁盘配额已满",
    "EACCES": "没有写入权限",
    "EPERM": "没有写入权限",
    "EROFS": "磁盘是只读的",
    "ENOENT": "文件夹不存在",
    "ENOTDIR": "路径中有一段是文件而不是文件夹",
    "EISDIR": "这是一个文件夹",
    "ENAMETOOLONG": "文件名太长",
    "EBUSY": "文件正被其他程序使用",
    "EFBIG": "文件超过系统允许的大小（磁盘或配额的上限）",
    "EEXIST": "已有同名的文件或文件夹",
    "ELOOP": "路径中的链接（快捷方式）循环指向自己",
    "EIO": "磁盘读写出错",
    "ETXTBSY": "文件正被其他程序使用",
    "EMFILE": "打开的文件太多",
    "ENOTEMPTY": "文件夹不是空的",
}


# What TEMPLATE_VERSION advises: a form of an unknown format or layout is refilled; a newer version needs a
# newer xlsreport, not a new form
VERSION_ADVICE = {
    "refill": "请使用新下发的表重新填写",
    "upgrade": "这是比本程序更新的版本，请把 xlsreport 升级到最新版本后再处理",
}


# What a parser's exception says about a damaged file, in words a clerk reads (its class name is Python's)
DAMAGE_REASONS = {
    "BadZipFile": "压缩数据校验不符或不完整",
    "error": "压缩数据无法解开",  # zlib.error
    "EOFError": "文件在中途截断",
    "LargeZipFile": "压缩包超出支持的大小",
    "NotImplementedError": "使用了不支持的压缩方法",
    "KeyError": "缺少必需的部分",
    "UnicodeDecodeError": "文字编码无法识别",
}
DAMAGE_OTHER = "内容不合规范，无法解析"


def damage_reason(exc: BaseException) -> str:
    """Why a parser could not read a damaged file, in Chinese, never the exception's own text."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_reason(exc)
    return DAMAGE_REASONS.get(type(exc).__name__, DAMAGE_OTHER)


def os_reason(exc: OSError) -> str:
    """Why an OSError happened, in Chinese."""
    name = errno.errorcode.get(exc.errno or -1, "")
    return OS_REASONS.get(name) or f"系统错误（{name or exc.errno}：{exc.strerror or ''}）"


def readable(text: str) -> str:
    """`text` with the bytes of a file name that is not UTF-8 shown as the characters they were meant to be.

    Archives unpacked on Linux keep the GBK names Chinese Windows gave the files; Python carries each
    undecodable byte as a lone surrogate, which no console or JSON can print.
    """
    if not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name decoding made
        return text.encode("utf-8", "replace").decode("utf-8")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")
