"""Words a user sees that are not a code's message: one section per concern.

A code's message lives beside the code (errors.py, findingcodes.py), the reasons it gives in reasons.py.
What is said without a code lives here: a collect row's status and note, the names of the folders, files
and sheets collect writes, the headers of the feedback workbook, the draft mark of a report, what the
command line prints. The modules that say them import them, so whoever reviews the wording reads these
four modules. tools/make_docs.py generates README's table of the collect statuses and notes from this one.
"""

from __future__ import annotations

from enum import StrEnum

# ---------------------------------------------------------------- files
NO_SUFFIX = "无扩展名"  # said in place of the suffix of a file without one
BLANK_NAME = "{org}_{year}年.xlsx"  # a body's blank workbook (blank --roster; blank without -o)
ROSTER_HEADER = "机关名称"  # the column of a roster table that names the bodies
VERSION = "第{version}版"  # a version of a format, as TEMPLATE_VERSION names it

# ---------------------------------------------------------------- a published report (published/audit.py)
PAGE = "第{page}页"  # where a finding about a published report (PDF) stands, where there is no cell
PUBLISHED_PLACES = {"text": "正文", "info": "标题"}  # where a finding about the narrative or the title points

# ---------------------------------------------------------------- Word template
UNKNOWN_PLACE = "（未能确定是哪一个）"  # the placeholder of DOCX_TEMPLATE_FAILED, where it cannot be told

# ---------------------------------------------------------------- the Word report (render.py, webpage.py)
DRAFT_MARK = "草稿（未通过校验）"
# what starts every paragraph the program wrote (generated.py), until the clerk has checked it
GENERATED_MARK = "【系统生成】"

# ---------------------------------------------------------------- what a new workbook is told
# a cell's comment: where a generated paragraph came from (fill --auto-summary)
GENERATED_NOTE = f"标有“{GENERATED_MARK}”的段落由系统根据表三自动生成，请核对数字和措辞，无误后删除该标记"
# a carried-over cell's comment, and the note beside a stock (blank --previous; previous.py)
CARRIED_NOTE = "由上一年度报告结转（{year}年“{source}”为{value}），已锁定；如有误请联系县政务公开办"
STOCK_NOTE = "{year}年现行有效{value}件"

# ---------------------------------------------------------------- checks across reports (narrative.py)
# where the name of another body came from, said with each TEXT_OTHER_BODY
FROM_ROSTER = "--roster 名单上的机关"
FROM_BATCH = "同批校验的填报表的机关"

# ---------------------------------------------------------------- the feedback workbook (feedback.py)
FEEDBACK_SHEET = (
    "县级校验结果"  # the template has its own 校验结果 (live checks); this lists the county's findings
)
FEEDBACK_HEADER = ("序号", "级别", "代码", "工作表", "单元格", "行", "列", "实为", "应为", "说明")

# ---------------------------------------------------------------- collect: the stages its progress names
STAGE_IDENTIFY, STAGE_CHECK = "识别", "校验"

# ---------------------------------------------------------------- collect: what it writes
REPORTS_DIR, FEEDBACK_DIR = "报告", "退回修改"
SUMMARY_NAME, FINDINGS_NAME = "汇总.xlsx", "findings.json"
FEEDBACK_SUFFIX = "_校验意见.xlsx"


# ---------------------------------------------------------------- collect: each file's status and note
class Status(StrEnum):
    PASSED = "通过"
    ERRORS = "有错误"
    UNREADABLE = "无法读取"
    UNWRITTEN = "未能写出"
    DUPLICATE = "重复（已忽略）"
    SKIPPED = "已跳过"
    MISSING = "未报送"


SKIP_LOCK = "Excel或WPS打开文件时生成的临时文件（~$），已跳过"
SKIP_HIDDEN = "隐藏文件或临时文件，已跳过"
SKIP_OTHER = "不是Excel工作簿（{suffix}），已跳过"
SKIP_PUBLISHED = "不是可以读取的已公开年度报告（{reason}，{code}），已跳过"
NOTE_MISSING = "名单上的机关，尚未报送"
# who else a duplicate or a name off the roster stands for
LISTED = "名单上的“{name}”"
KEPT_NAME_AS = "{file} 中的“{name}”"
# why the other of a body's two files was kept (inbox.newest), said with COLLECT_DUPLICATE
KEPT_NEWER = "那一份修改时间较晚"
KEPT_SAVED = "两份修改时间相同，那一份表内记录的保存时间较晚"
KEPT_NAME = "两份修改时间和表内保存时间都相同，按文件名排序取后一份"

# the notes a status row can carry, for README's table: (status, note)
NOTES = (
    (Status.SKIPPED, SKIP_LOCK),
    (Status.SKIPPED, SKIP_HIDDEN),
    (Status.SKIPPED, SKIP_OTHER),
    (Status.SKIPPED, SKIP_PUBLISHED),
    (Status.MISSING, NOTE_MISSING),
)


# ---------------------------------------------------------------- collect: 汇总.xlsx (county.py)
OVERVIEW_SHEET, STATUS_SHEET, YOY_SHEET = "汇总说明", "状态", "同比"
TITLE = "{year}年度政府信息公开工作年度报告 全县汇总：{tables}为通过校验的{n}个机关之和"
LEFT_OUT = "；下列{n}个机关未计入"
NONE_LEFT_OUT = "；没有未计入的机关"
TOTAL_OF = "全县汇总：通过校验的{n}个机关之和，不是某一机关的填报表；未计入的机关见“汇总说明”工作表。"
COUNTY = "全县汇总"  # in the document properties' title, where a body's workbook has the body's name
OVERVIEW_HEADER = ("机关", "文件", "状态", "原因")
ERRORS_NOTE = "有{n}处错误，已写出校验意见表，改正后重新收集即可计入"
STATUS_HEADER = ("文件", "机关", "年度", "状态", "错误数", "警告数", "生成的文件", "说明")
YOY_HEADER = ("机关", "表", "行", "列", "本年", "上年", "增减")
COUNTY_ROW = "合计（通过校验的{of}个机关中有上年数据的{n}个）"
NO_LAST = "无上年数据"


# ---------------------------------------------------------------- what the command line prints (printing.py)
NOTICE = "注意"
SEVERITY = {"error": "错误", "warning": "警告"}
FINDINGS_HEADER = ("级别", "代码", "位置", "说明")
CHECKED_UNREADABLE, CHECKED_PASSED, CHECKED_ERRORS = "✗ 无法读取", "✓ 通过", "✗ 有错误"
CHECKED_COUNTS = " {file}：{errors}个错误，{warnings}个警告"
WRITTEN = "已生成 {paths}"
VERSION_SHOWN = "xlsreport {version}"  # --version
IMPORTED = "已读取 {org}{year}年报告，已生成 {path}：{errors}个错误，{warnings}个警告"
# the label before a stopping error's code: nothing written (build refused), an error, a signal
NOT_WRITTEN, FAILED, STOPPED, ABORTED = "未生成", "错误", "中断", "已中断"
DRAFT_WRITTEN = "工作簿有{n}个错误，已生成草稿"  # build --force, said with BUILD_HAS_ERRORS
COLLECT_HEADER = ("文件", "机关", "状态", "错误", "警告", "说明")
COLLECT_TITLE = "{year}年度 · {folder}"
STATUS_COUNT = "{status}{n}个"
ENTRIES = "共{n}项：{counts}"
REMOVED = "已删除上次运行留下、本次不再适用的{n}个文件：{files}"
SCHEMA_HEADER = ("字段键", "表", "行", "列", "单元格", "类型")
FORMULA = "（公式）"
CODES_HEADER = ("代码", "级别", "说明")
CODES_TITLE = "校验规则与代码"

# ---------------------------------------------------------------- the command line's help pages (clihelp.py)
HELP_USAGE = "用法：{usage}"
HELP_ARGUMENTS, HELP_OPTIONS, HELP_COMMANDS = "参数：", "选项：", "命令："
HELP_OPTION = "显示本帮助并退出"  # what --help does
HELP_MORE = "用 {path} 命令 --help 查看某个命令的用法。"
HELP_DEFAULT, HELP_REQUIRED = "默认：{value}", "必填"
USAGE_OPTIONS, USAGE_COMMAND = "[选项]", "命令 [参数]…"  # in a usage line, where options and a command go
PARAM_ARGUMENT, PARAM_OPTION = "参数 {name}", "选项 {names}"  # a parameter, named in a usage error
# what a value is, by its type's name, where a parameter does not say it with its metavar
KINDS = {"Path": "路径", "int": "整数", "float": "数", "str": "文字"}
KIND_OTHER = "值"

# ---------------------------------------------------------------- demo: what each file it writes is
DEMO_BLANK, DEMO_RETURNED, DEMO_LAST_YEAR, DEMO_REPORT = "空白填报表", "样例填报表", "上年填报表", "Word报告"
DEMO_WROTE = "{what}：{path}"
DEMO_CHECKED = "校验：{call}（demo 加了 --previous：核对上一年度的结转）"
DEMO_DONE = "完成。打开 {path} 查看生成的文件。"
