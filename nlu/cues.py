"""Cue words per intent: the rules part of the intent classifier.

Each intent has a few dozen words and phrases that say it clearly ("到哪了" asks where an order is,
"报修" asks for a repair). They are features of the classifier (``nlu.classifier``), not hard
rules: the model learns how much each group counts and how groups combine ("取消" + an order is
cancel_order, "取消" alone is cancel). Written against normalized text (lower case, half-width),
with the masks of ``nlu.offline`` (``\\ue000`` product, ``\\ue001`` quantity, ``\\ue002`` order
number, ``\\ue003`` date).
"""

from __future__ import annotations

import re

from nlu.schema import Intent

P, Q, ORD, D = "\ue000", "\ue001", "\ue002", "\ue003"

CUES: dict[Intent, tuple[str, ...]] = {
    Intent.PLACE_ORDER: (
        "下单", "下个单", "下一单", "订货", "要货", "进货", "备货", "补货", "加单", "订购", "采购", "订点", "订一批",
        "再来", "再要", "再加", "还要", "来" + "\\s*" + Q, Q + "\\s*" + P, P + "\\s*" + Q, P + "\\s*来", "帮我订",
        "给我发", "给我备", "发二十", "试试水", "\\border\\b", "\\bbuy\\b", "purchase", "place an order", "i'd like",
        "send us", "\\badd\\b", "reorder", "same as last", "上次一样", "照上次", "一样的", "老样子", "\\bget\\b",
        "need to order", "want to buy",
    ),
    Intent.QUERY_STOCK: (
        "库存", "有货", "有没有货", "现货", "没货", "缺货", "断货", "到货了吗", "剩多少", "还剩", "还有多少", "还有吗",
        "够不够", "有没有" + P, "补货", "stock", "available", "availability", "inventory", "left in", "in the warehouse",
        "back in stock",
    ),
    Intent.ORDER_STATUS: (
        "到哪", "发货", "发了没", "发出", "物流", "快递", "单号", "审核", "审批", "审了", "进度", "催", "还没到",
        "订单状态", "我的订单", "最近的订单", "订单都", "到了吗", "状态", "驳回", "到哪一步", "能到", "shipped",
        "shipping", "status", "track", "arrive", "my orders", "recent orders", "approved", "where is", "delivery到",
        ORD + ".{0,4}(?:到|发|状态|进度|单号|物流)",
    ),
    Intent.CANCEL_ORDER: (
        "取消订单", "取消.{0,6}单", "单.{0,6}取消", "撤单", "撤回", "撤销", "撤掉", "作废", "退单", "下错", "不要了.{0,4}取消",
        "订单取消", "取消我的", "取消掉", "cancel.{0,12}order", "order.{0,12}cancel", "withdraw", "\\bvoid\\b",
        "cancel" + ".{0,4}" + ORD, ORD + ".{0,8}(?:取消|作废|不要)", "单子.{0,4}作废", "cancel掉", "那单cancel",
    ),
    Intent.PRICE_QUERY: (
        "什么价", "啥价", "多少钱", "几多钱", "几钱", "价格", "价钱", "价位", "报价", "单价", "拿货价", "进货价", "出厂价",
        "批发价", "经销价", "结算价", "价格表", "价目", "价格单", "咋卖", "怎么卖", "贵不贵", "便宜点", "涨价", "降价",
        "how much", "\\bprice", "\\bcost", "pricing", "price list", "what do .{0,12} cost", "rate for",
    ),
    Intent.TICKET_STATUS: (
        "我的工单", "我的反馈", "我的报修", "工单.{0,6}(?:怎么样|进度|处理|结果|状态|到哪)", "处理得怎么样", "处理好了",
        "处理了吗", "处理了没", "有结果", "有回复", "修好没", "修好了吗", "师傅来了", "师傅什么时候", "跟进", "进展",
        "反馈的.{0,12}(?:怎么样|处理|结果|进度|回复)", "报修的.{0,12}(?:怎么样|处理|来|结果)", "上次报的", "上次反馈",
        "\\bas-", "\\bqf-", "my tickets", "my cases", "ticket status", "any update", "follow up", "status of my (?:ticket|report|complaint|case)",
    ),
    Intent.AFTER_SALES: (
        "坏了", "坏的", "维修", "报修", "售后", "故障", "不出水", "漏水", "不工作", "没反应", "不亮", "噪音", "异响",
        "不转", "失灵", "开不了机", "开机", "不制冷", "不停", "师傅", "上门", "异味", "出水", "一直响", "怪味", "不启动",
        "传感器", "显示屏", "遥控器", "水箱", "指示灯", "error", "repair", "broken", "not working", "leak", "noise",
        "won't turn on", "not draining", "draining", "stopped working", "service", "after-sales", "after sales",
        "提.{0,2}个?售后", "开.{0,6}(?:工单|售后单|维修单)", "提.{0,4}工单", "申请售后", "约.{0,4}(?:维修|上门|师傅)",
        "open a (?:ticket|case|repair)", "file a (?:ticket|claim|repair)", "new (?:ticket|repair)",
        "客户家", "客户反映", "客户说", "客户投诉", "compressor", "不出雾", "嗡嗡", "连不上", "漏气", "跳闸", "烧了",
        "冒烟", "卡住", "报错", "死机", "没声音", "抖", "鼓包", "起鼓", "掉色", "开裂", "生锈", "不灵", "不好使", "坏掉",
        "用不了", "没法用", "响声", "有声音", "闪", "不通电", "打不着", "失效", "换一个", "换个新", "上门修", "检修",
        "won't", "doesn't work", "does not work", "stopped", "leaking", "noisy", "smell", "faulty", "dead", "no power",
        "fix", "replace the unit", "customer's",
    ),
    Intent.QUALITY_FEEDBACK: (
        "质量", "批次", "次品", "不良", "瑕疵", "划痕", "破损", "破了", "外观", "包装", "批号", "出厂", "变形", "裂纹",
        "返修率", "这批", "这一批", "一批次", "批量", "不合格", "受潮", "开箱", "到的这批", "新到的", "quality", "batch",
        "defect", "defective", "damaged", "arrived", "don't fit", "packaging", "dead pixel", "好几个客户", "几个客户",
        "多个客户", "都反映", "都说", "都有", "第.{1,3}[台个条箱件]了", "又一[台个条箱件]", "又坏", "整批", "一批", "这一箱",
        "整箱", "外箱", "到货就", "到货时", "收货", "一到就", "刚到", "好几[台个条箱件]", "多[台个条]", "都是这样", "同样的问题",
        "report a quality", "quality (?:problem|issue|complaint)", "反馈.{0,4}质量", "质量问题.{0,4}反馈",
        "several customers", "multiple", "whole batch", "shipment", "lot", "another one", "all of them", "many units",
    ),
    Intent.REPORT_SALES: (
        "卖了", "卖出", "卖掉", "销量上报", "上报", "报销量", "报数", "动销", "零售", "成交", "出货", "装了", "填报",
        "销售明细", "报一下", "\\bsold\\b", "sell-out", "sell out", "report sales", "sales report for today",
        "log sales", "submit my", "销量",
    ),
    Intent.SALES_QUERY: (
        "业绩", "完成率", "达成", "目标", "任务", "销售额", "销售数据", "销售排名", "排第几", "排名", "进货总额",
        "进货金额", "同期", "统计", "报表", "卖了多少", "一共卖了", "还差", "kpi", "performance", "target",
        "sales figures", "how are my sales", "purchase volume", "how many .{0,12}sell", "完成了多少", "完成进度",
        "销售怎么样", "销售如何", "卖得怎么样", "卖得如何", "销量怎么样", "sales this month", "how are sales",
    ),
    Intent.CONTRACT_QUERY: (
        "合同", "返利", "返点", "余额", "对账", "额度", "预付款", "欠款", "赊", "授权", "续签", "执照", "账户", "账上",
        "到期", "条款", "contract", "rebate", "balance", "statement", "credit", "account", "expire", "dispute",
        "付款方式", "保证金", "预存", "等级", "级别", "几级", "星级", "哪个区", "区域", "上级", "总代", "我的资料", "还剩多少钱",
        "tier", "level", "deposit", "prepay", "my region", "parent dealer", "profile",
    ),
    Intent.CAMPAIGN_QUERY: (
        "活动", "促销", "优惠", "折扣", "买赠", "送一", "物料", "海报", "展架", "宣传", "报名", "推广", "冲量", "营销",
        "政策", "单页", "执行报告", "执行照片", "promotion", "campaign", "discount", "poster", "display stand",
        "marketing", "双十二", "双十一活动",
    ),
    Intent.FAQ: (
        "怎么下单", "如何", "怎么注册", "注册", "开票", "发票", "专票", "保修", "退货", "退换", "换货", "运费", "起订量",
        "付款方式", "转账", "货到付款", "认证", "地址", "电话", "联系人", "工作时间", "多久", "几天", "几年", "怎么办",
        "怎么处理", "可以.{0,6}吗", "能不能", "谁承担", "谁出", "收费", "政策是", "手续", "成为.{0,4}经销商", "policy",
        "warranty", "invoice", "\\bvat\\b", "how do i", "how long", "who pays", "minimum order", "phone number",
        "become a dealer", "return policy", "\\bpay\\b", "请问", "是什么", "是怎样", "怎么绑定", "周末",
        "偏远", "发布", "多久换",
    ),
    Intent.GREETING: (
        "^你好", "^您好", "^侬好", "在吗", "在不在", "早上好", "下午好", "晚上好", "哈喽", "^嗨", "有人吗", "^老板好", "助手你好",
        "^早$", "^hello", "^hi\\b", "good morning", "^hey", "anyone there", "morning",
    ),
    Intent.HELP: (
        "帮助", "怎么用", "功能", "菜单", "能做什么", "能干啥", "会些什么", "会什么", "使用说明", "指南", "操作",
        "教我", "都能查", "不会用", "\\bhelp\\b", "\\bmenu\\b", "what can you do", "instructions", "commands",
        "how does this bot", "回到菜单",
    ),
    Intent.CANCEL: (
        "^取消$", "^算了", "^拉倒", "^退出", "不弄了", "^不用了", "停止", "放弃", "^返回", "重新来", "不填了", "别弄了", "不下了",
        "不订了", "^不要了", "取消操作", "^stop", "^quit", "never mind", "forget it", "^cancel$", "cancel吧", "quit$",
    ),
    Intent.CHITCHAT_OTHER: (
        "谢谢", "^好的", "收到", "哈哈", "天气", "笑话", "机器人", "吃了", "名字", "是谁", "辛苦", "知道了", "没事",
        "^嗯", "^哦", "明天见", "股市", "心情", "吃饭", "修路", "随便问", "忽略", "指令", "chatgpt", "thanks", "thank you",
        "\\bthx\\b", "joke", "\\blol\\b", "weather", "who are you", "good night", "got it", "^ok", "prompt",
        "ignore", "instructions and",
    ),
}

_COMPILED: list[tuple[Intent, re.Pattern[str]]] = [
    (intent, re.compile("|".join(f"(?:{c})" for c in cues))) for intent, cues in CUES.items()
]
INTENT_ORDER: tuple[Intent, ...] = tuple(CUES)


def cue_hits(masked_text: str) -> list[int]:
    """How many cue words of each intent (in ``INTENT_ORDER``) the text contains, capped at 3."""
    return [min(3, len(p.findall(masked_text))) for _, p in _COMPILED]
