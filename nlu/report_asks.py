"""Report requests said in a few words: an export of the figures ("导出excel", "export excel") and a demand
forecast ("下个月AP300要备多少货", "明年Q1要生产多少"), and a language asked for by its name ("中文", "English").

Read by ``nlu.offline`` (the sales_query topics "export" and "forecast") and by the chat's language switch.
"""

from __future__ import annotations

import re

# the whole message asks for a file of the figures: "export excel", "导出", "导出excel", "导出报表", "发个表格"
_EXPORT = re.compile(
    r"(?:请|帮我|给我|麻烦)?(?:导出|导个|下载|export|download)(?:一下|一份|个)?\s*(?:to\s+|成|为|到)?\s*"
    r"(?:excel|xlsx|表格|报表|文件|数据|(?:the\s+)?(?:report|figures|data|spreadsheet))?(?:吧|来|出来)?"
    r"|(?:excel|xlsx)(?:\s*(?:export|导出|下载|版|文件|表格))?"
    r"|(?:发|给)(?:我)?(?:个|一份)(?:excel|xlsx|表格)",
    re.IGNORECASE)
# stock to lay in for a time to come, or a forecast: "要备多少货", "备多少", "要生产多少", "需求预测", "forecast",
# "下个月大概能卖多少", "how many will we sell next month"
_FORECAST = re.compile(
    r"(?:要|该|需要|得|应该)(?:准)?备(?:多少|几)(?:货|台|件|个)?|备货(?:量|计划)|(?:要|该|需要)(?:生产|排产|做)多少"
    r"|需求预测|预测(?:一下)?(?:需求|销量|销售|多少)|(?:demand|sales)\s+forecast|\bforecast\b"
    r"|^(?:看看?|给我|查一?下)?(?:下个?月|下季度?|下一?季度|明年|未来(?:[一二三两几\d]+个?月)?)?的?(?:预测|预估)(?:一下|下)?[吧呢吗]?[\\s?？!！。.]*$"
    r"|(?:大概|大约|大致|预计|估计|预估)(?:能|可以|会)?卖(?:掉|出去?)?(?:多少|几)|能卖(?:掉|出去?)?(?:多少|几)"
    r"|\b(?:will|would|could|can) (?:we |i )?sell\b"
    r"|how (?:much|many)\b.*\b(?:stock up|to make|to produce|should we (?:stock|make|produce))",
    re.IGNORECASE)
# dealers under their target: "哪些经销商没完成目标", "哪几家没达标", "完成率不到100%的", "which dealers missed their target"
_TARGET_MISSED = re.compile(
    r"(?:没有?|未|还没有?)(?:完成|达成|达到|做到|做完|完)(?:目标|任务|指标)|(?:没有?|未|不)达标|没达到?目标"
    r"|(?:完成率|达成率?)(?:不到|低于|没到|未到|不足|小于)\s*(?:100|一百)"
    r"|\b(?:missed|miss|missing|below|under|short of|not (?:met|meeting|hit|hitting|reached))\s+(?:their |the |its )?targets?\b"
    r"|\b(?:haven't|have not|hasn't|has not|didn't|did not)\s+(?:met|meet|hit|reached|reach)\s+(?:their |the |its )?targets?\b",
    re.IGNORECASE)
_WHICH_DEALERS = re.compile(r"哪|谁|几家|多少家|经销商|名单|\b(?:which|who|dealers)\b", re.IGNORECASE)
_TRIM = re.compile(r"^[\s,，.。!！?？~]+|[\s,，.。!！?？~吗呢啊呀哈嘛]+$")
# a language named alone: "中文", "说中文", "切换成中文", "English", "switch to English", "英文"
_ZH = re.compile(r"(?:请|麻烦)?(?:说|用|讲|切换|切回|换|改|转)?(?:成|回|到|为)?(?:中文|汉语|简体中文|简体|普通话)"
                 r"(?:模式|界面|版)?(?:吧|好了)?|chinese(?: please)?|(?:switch|change) (?:back )?to chinese",
                 re.IGNORECASE)
_EN = re.compile(r"(?:请|麻烦)?(?:说|用|讲|切换|切回|换|改|转)?(?:成|回|到|为)?(?:英文|英语)(?:模式|界面|版)?(?:吧|好了)?"
                 r"|english(?: please)?|in english|(?:switch|change) (?:back )?to english", re.IGNORECASE)


def export_asked(text: str) -> bool:
    """Is the whole message a request for the figures as a file ("导出excel", "export excel")?"""
    return _EXPORT.fullmatch(_TRIM.sub("", text)) is not None


def forecast_asked(text: str) -> bool:
    """Does the message ask how much to stock or make for a time to come ("下个月AP300要备多少货")?"""
    return _FORECAST.search(text) is not None


def target_missed_asked(text: str) -> bool:
    """Does the message ask for the dealers under their target ("哪些经销商没完成目标", "which dealers missed")?
    (A dealer's own "我没完成目标吗" names no dealers: not this.)"""
    return _TARGET_MISSED.search(text) is not None and _WHICH_DEALERS.search(text) is not None


def language_asked(text: str) -> str | None:
    """"zh-CN" or "en" when the whole message names a language to use ("中文", "English"), else None."""
    said = _TRIM.sub("", text)
    if _ZH.fullmatch(said):
        return "zh-CN"
    if _EN.fullmatch(said):
        return "en"
    return None
