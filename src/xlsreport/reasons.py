"""The reasons a fatal code's message gives, in words a clerk reads: what fills its {reason} (or {what},
{advice}, {signal}), each table beside the code it serves, keyed by what went wrong, never Python's own text.

README's “原因” table is generated from `REASONS` (tools/make_docs.py). guard.py keeps the reasons of the
files it refuses (a foreign or unsafe input) as its own table, generated into the README likewise.
"""

from __future__ import annotations

import errno

# By code: the reasons that fill its {reason} (or {what}), keyed by what went wrong
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
        # what the command line's parser finds wrong (clihelp.py), then said as "told" with a guess or not
        "told": "{reason}。{guess}用 {path} --help 查看用法",
        "guess": "是不是要用 {names}？",
        "no_option": "没有选项 {name}",
        "flag_value": "选项 {name} 不带值",
        "no_value": "选项 {name} 后面缺少值",
        "bad_value": "{param} 的值不正确：{why}",
        "missing": "缺少{param}",
        "extra": "多余的参数：{words}",
        "no_command": "没有命令“{name}”",
        "no_command_known": "没有命令“{name}”（可用的命令：{commands}）",
        "not_between": "应为{low}至{high}之间的整数，实为“{text}”",
        "not_one_of": "应为 {values} 之一，实为“{text}”",
        "empty_path": "路径不能为空",
        "org_or_roster": "请给出 --org（一个机关）或 --roster（名单）之一",
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


# DATA_INVALID's not_json {what}: what Python's JSON parser says, by the part of its message before the
# position
JSON_ERRORS = {
    "Expecting value": "处缺少值",
    "Expecting property name enclosed in double quotes": "处应为双引号括起的字段名",
    "Expecting ':' delimiter": "处缺少冒号",
    "Expecting ',' delimiter": "处缺少逗号",
    "Unterminated string starting at": "起的字符串没有结束",
    "Invalid control character at": "处有不允许的控制字符",
    "Invalid \\escape": "处有无效的转义（\\）",
    "Extra data": "起有多余的内容",
}
JSON_OTHER = "处有误"


def json_error(message: str) -> str:
    """What a JSON parser's `message` says, in Chinese: DATA_INVALID's not_json {what}."""
    return next((zh for en, zh in JSON_ERRORS.items() if message.startswith(en)), JSON_OTHER)


# INTERRUPTED's {signal}, by the signal's name: Ctrl-C, a request to end, the terminal closed
SIGNAL_NAMES = {"SIGINT": "Ctrl-C", "SIGTERM": "SIGTERM", "SIGHUP": "终端关闭"}
SIGNAL_OTHER = "信号{number}"


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
OS_OTHER = "系统错误（{name}：{text}）"


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
    return OS_REASONS.get(name) or OS_OTHER.format(name=name or exc.errno, text=exc.strerror or "")
