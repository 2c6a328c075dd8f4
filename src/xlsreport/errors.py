"""What stops the work: the fatal codes, each with its Chinese message template, and the exceptions that
carry them (a file that is not our workbook, an output that cannot be written). The CLI exits with 2 (or
1 for `BUILD_HAS_ERRORS`) and prints the one-line message.

The words of xlsreport live in four modules that import nothing of ours but this one, read together by
whoever reviews the wording:

* errors.py: the fatal codes (`FATAL`), and the types of a code (`Code`, `Severity`);
* findingcodes.py: the finding codes, what `check` reports about a workbook it could read;
* reasons.py: the reasons that fill a fatal message's {reason}, each beside its code;
* wording.py: what is said without a code (collect's statuses, the feedback workbook, printed lines).

Besides them, one module per concern: the format's labels and its workbook's words in formats/, the
help text of each command and option beside its declaration in cli.py, the reasons a file is refused in
guard.py, the sentences of a generated paragraph in generated.py.

Templates are `str.format` strings; a fatal template receives the keyword arguments of the exception.
"""

from __future__ import annotations

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
