"""The offline parser (the default): no network, a few milliseconds per message.

What the message holds is found by ``nlu.analysis`` (order numbers, the delivery date, product mentions, order
lines with corrections and negations); then the intent: the statistical classifier
(``nlu.classifier``) on the text with those spans masked, combined with rules where a rule is
clearer than statistics (a cancel word alone, an order number with "到哪了", items in a message that
the classifier would call small talk).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from nlu.analysis import Analysis, analyze, masked_analysis
from nlu.classifier import LOW_CONFIDENCE, default_classifier
from nlu.numbers import read_amount, written_zero
from nlu.products import ProductIndex, product_index
from nlu.report_asks import export_asked, forecast_asked, target_missed_asked
from nlu.report_periods import asks_for_figures, said_alone
from nlu.request_parts import changed_copy, request_parts
from nlu.schema import CatalogueEntry, EditOp, Intent, OrderItem, ParseResult, Slots
from nlu.size_steps import size_step
from nlu.staff_commands import dealer_words_in_sales_question

CANCEL_WORDS = frozenset({"取消", "算了", "不要了", "退出", "cancel", "stop", "quit", "停止", "放弃", "never mind",
                          "forget it", "算了不订了", "不用了"})
GREETINGS = frozenset({"你好", "您好", "在吗", "hi", "hello", "hey", "哈喽", "嗨", "早", "早上好", "下午好", "晚上好",
                       "有人吗", "good morning"})
_CLEAR_CART = re.compile(r"(?:(?:那|哎)?算了[,， ]*)?(?:帮我|把)?(?:清空|清除|清掉|删光|全删了?|全部删[掉了除]|都删[掉了]?|全都?不要了|都不要了|"
                         r"不要了|不买了|不订了|不下了|不下单了)(?:购物车|车里的?|这些)?(?:吧|了|啊)?"
                         r"|(?:帮我|把)?(?:放弃|丢掉|扔掉|作废|取消)(?:这个)?(?:购物车|车里的?)(?:吧|了|啊)?"
                         r"|(?:把)?(?:这个)?(?:购物车|车里的?(?:东西|货)?)(?:里的?(?:东西|货)?)?(?:都|全|全部)?"
                         r"(?:不要了|清空了?|清掉|删了|删掉|放弃了?|作废|算了|取消了?)(?:吧|啊)?"
                         r"|(?:please )?(?:clear|empty|discard|drop|scrap) (?:the |my )?cart|remove (?:everything|all)")
# "不取消", "先不取消了", "别取消", "不要撤单", "don't cancel": the order is kept (cancel_order, topic "keep"), never a
# cancel offered ("不用了 取消订单…", "不要了 取消" and "要不取消吧" cancel)
_KEEP_ORDER = re.compile(r"(?<!要)(?:不|别|甭|勿|莫)(?:要|用|必|想|再)?(?:取消|撤单|撤销|撤回|作废|退单)"
                         r"|\b(?:don'?t|do not|no need to|not) cancel\b|\bkeep (?:the|my|this|that) order\b",
                         re.IGNORECASE)
# "好了就这样", "就这些", "that's all": the cart is complete (shown with its confirm button; submitted only on it)
_DONE_SAID = re.compile(r"(?:好了?|好的|行|ok|嗯)?[,， ]*(?:就这样|就这些|就这么多|没了|没有了|够了|差不多了|完成修改|修改完成|修改完了|"
                        r"改好了|改完了|修改好了)(?:了|吧|啦|哈)?"
                        r"|(?:ok[,， ]*)?(?:that'?s all|that'?s it|that is all|nothing else|done)", re.IGNORECASE)
# "一共多少钱", "总共多少": the cart's total asked (the cart flow shows the priced cart; no product is asked about)
_CART_TOTAL = re.compile(r"(?:那|这些|购物车|车里)?(?:一共|总共|总计|合计|加起来|全部|总价)(?:是|要|得)?多少(?:钱|米)?(?:啊|呀|呢|了)?"
                         r"|多少钱一共|一共几个钱|(?:how much|what)(?: is| is it|'s)?(?: it)?(?: in)? (?:the )?total"
                         r"|how much (?:altogether|in all)", re.IGNORECASE)
# after a day: the goods wanted by then ("今天到", "下周三前送", "12号之前发货", "by friday" is a delivery cue too)
_WANTED_BY = re.compile(r"\s*(?:之前|以前|前)?\s*(?:到|送|发|交|要|deliver|arriv)"
                        r"(?!\s*(?:\d|[一二三四五六七八九十]+\s*[号日]))", re.IGNORECASE)   # "1号到3号": a range
# words of goods sold: a sell-out report's, never an order's
_SOLD = re.compile(r"卖|销|售出|出货了|走了|sold|sell", re.IGNORECASE)
_DELIVERY_CUE = re.compile(r"前到|前送|送到|到货|交货|之前到|前发|by\b|deliver")
REORDER_WORDS = ("再来一单", "上次一样", "照上次", "一样的", "老样子", "照旧", "same as last", "reorder", "order again",
                 "same again", "repeat my last", "repeat the last")
# "上次那单再来一遍", "按上回的再下一单", "上一单重复一下": the last order again
_REORDER_SAID = re.compile(r"(?:上次|上回|上一单|上一次|上个月那单|前一单)(?:那单|那个单|的单|的)?.{0,4}"
                           r"(?:再来|再下|再订|再要|重复|照着|一样|复制)|(?:再来|再下|重复)(?:一遍|一次)(?:上次|上回)"
                           # "前天那单再来一遍", "尾号0012那单再下一次", "SO-… 这单照着再订一次": the order named, again
                           r"|(?:那单|这单|那个单|那一单|那张单|的单|的订单)\s*(?:的货)?\s*(?:照着|照这个|按这个|按那个)?"
                           r"\s*(?:再来|再下|再订|再要|再补|重复|复制)"
                           # "照SO-… 再下一单", "按SO-…那单原样再来一份": the order named by its number, again
                           r"|(?:照|按照?)\s*(?i:so)[-\s]?\d{8}[-\s]?\d{4}\s*(?:那单|这单|的单)?\s*(?:原样|照样)?\s*"
                           r"(?:再来|再下|再订|再要|重复)")
# "净水器有啥型号", "有哪些净水器", "滤芯都有哪些": with the product words taken out, only "which models are there"
# is left (query_stock, topic "models": the products the words name are listed, none of them is "not found")
_MODELS_ONLY = re.compile(r"(?:你们|您这|你这|咱们?)?(?:的)?(?:都|一共|总共|现在|目前)?(?:有|卖)?(?:些)?"
                          r"(?:啥|什么|哪些|哪几|几|多少)(?:个|种|款|样)?(?:型号|款式|款|规格|种类|系列|产品|可以选|可选)"
                          r"|(?:都|一共|总共|现在|目前)?(?:有|卖)(?:哪些|哪几款|几款|几种|啥|什么|些啥|些什么|多少款|多少种)"
                          r"(?:型号|款式|款|规格)?")
# "备注：请送到二号仓库 卸货需要叉车", "note: call before delivery": a note for the order (place_order, topic "note",
# the words in description), never lines or a date ("二号仓库" is no 2nd of the month)
_NOTE_SAID = re.compile(r"^\s*(?:订单)?(?:备注|留言|附言|说明一下|note|remark)s?\s*[:：]?\s*(?P<note>\S.*)$",
                        re.IGNORECASE | re.DOTALL)
_STATUS_WORDS = re.compile(r"到哪|发货|物流|状态|进度|到了|审核|审批|单号|status|ship|track|arrive")
_CANCEL_ORDER_WORDS = re.compile(r"取消|撤|作废|不要了|退单|cancel|withdraw|void")
# the monthly statement, whatever amounts, dates and order numbers the dealer quotes from it
# ("账不对，11月28日那笔88108.02应该是80000", "对账单有问题 SO-... 金额不对", "上个月的账")
# the whole message asks what the bot does: help whatever the classifier makes of so few words
_HELP_ONLY = re.compile(r"(?:what (?:can|do) you do|what can i do here|"
                        r"how (?:do i|does this|to) (?:use|work)(?: (?:this|it))?(?: bot| chat)?|"
                        r"help|menu|commands|你能做什么|你会什么|你能干什么|能干啥|有什么功能|怎么用|帮助|菜单|功能)")
_STATEMENT_WORDS = re.compile(r"对账|[账帐]不对|[账帐]对不上|[账帐]单有|上个?月的?[账帐]|statement")
# "我昨天打的3万到账没", "上周转的货款收到了吗", "最近的回款记录", "did you get my payment": the dealer asks about
# its own payments received (contract_query, topic "payments"), not an order, the goods or the contract
_PAYMENT_ASKED = re.compile(
    r"(?:打|转|汇|付|交)(?:了|过去|过来|给你们)?的?[^货单]{0,12}?(?:到账|到帐|到了|收到|入账|入帐|进账)了?"
    r"(?:吗|没|么|嘛|没有|了没|否|不|啊|\?|？)"
    # "我11月20号转了2万 到现在没看到入账", "转了2万还没到账": a payment not seen is one asked about (QA s27 #17)
    r"|(?:打|转|汇|付|交)(?:了|过去|过来|给你们)?的?[^货单]{0,16}?(?:没|没有|还没|还没有|未|不见)(?:看到|见到|查到|收到)?"
    r"(?:到账|到帐|入账|入帐|进账)"
    # "我刚转了3万块到你们对公账户 什么时候能到账" (QA s28 #15)
    r"|(?:打|转|汇|付|交)(?:了|过去|过来|给你们)?的?[^货单]{0,16}?(?:什么时候|啥时候|几时|多久|多长时间)(?:能|可以|才能|会|才)?"
    r"(?:到账|到帐|入账|入帐|进账)"
    r"|(?:钱|款|货款|预存款|保证金)(?:到账|到帐|到了|收到|入账|进账)了?(?:吗|没|么|嘛|没有|了没|\?|？)"
    r"|(?:到账|到帐|入账|进账)(?:了)?(?:吗|没|么|没有|了没|情况|记录|明细)"
    r"|(?:回款|付款|打款|汇款|转账|到账|收款|缴款|来款)(?:记录|明细|流水|情况)"
    r"|\b(?:did you (?:get|receive) (?:my|our|the) (?:payment|transfer|money|wire)|(?:has|did) (?:my|our) "
    r"(?:payment|transfer|wire|money) (?:arrived?|come|came|landed?|got|get)|payments? (?:received|history|records?)|"
    r"my payments)\b", re.IGNORECASE)
# the sum in such a question: "3万", "30000", "两万五", "1.5w" ("3万到账没" asks about that payment)
_MONEY_SAID = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?\s*[万wW千kK]|\d{3,}(?:\.\d{1,2})?(?=\s*(?:元|块|的|到|$|\s))|"
                         r"[一二两三四五六七八九十][零一二两三四五六七八九十百千]*万[零一二两三四五六七八九千百]*)")
# what a stock-to-lay-in question may have been read as before it is a forecast asked for
_FORECAST_READS = frozenset({Intent.SALES_QUERY, Intent.QUERY_STOCK, Intent.CHITCHAT_OTHER, Intent.FAQ,
                             Intent.PLACE_ORDER, Intent.AFTER_SALES})     # "AP300 forecast" (was: after-sales)
# "哪几家还没报动销", "谁还没上报销量", "没报sell-out的经销商", "which dealers haven't reported": the dealers that
# have not reported sell-out (sales_query, topic "not_reported": staff chase them)
_NOT_REPORTED = re.compile(
    r"(?:哪几家|哪些(?:经销商|家|店)?|哪家|有谁|谁|几家|多少家)(?:经销商)?"
    r"(?:这个?月|本月|上个?月|这周|本周|上周|这季度|本季度?|上季度|今年|今天|到现在|目前)?(?:还|到现在|目前)?(?:都)?(?:没有?|未)"
    r"(?:上报|报|交|提交|填)(?:动销|销量|销售|sell-?out|数据)?"
    r"|(?:没有?|未)(?:上报|报|交)(?:动销|销量|sell-?out)的(?:经销商|家|有哪些|名单)?"
    r"|\b(?:which|what) dealers? (?:haven't|have not|didn't|did not|hasn't|has not|not yet) (?:reported|sent|submitted)"
    r"|\bwho (?:hasn't|has not|haven't|have not|didn't|did not) (?:reported|sent (?:in )?(?:their|the) (?:sell-?out|sales))",
    re.IGNORECASE)
_AMOUNT = re.compile(r"(?:¥|￥|rmb|cny)\s*(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s*(?:元|块|rmb|cny|yuan)")
_WAREHOUSE = re.compile(r"([\u4e00-\u9fff]{2,3})仓")
_REGIONS = ("华东", "华南", "华北", "华中", "西南", "西北", "东北")
# a ranking asked for: from the bottom ("卖得最差", "完成率最低", "垫底", "worst") or the top ("最好", "前几名", "top");
# the bottom's words decide when both are said
_RANKING_LOWEST = re.compile(r"最低|最差|最少|倒数|垫底|落后|最慢|\b(?:lowest|worst|bottom|behind|least)\b", re.IGNORECASE)
_RANKING_HIGHEST = re.compile(r"最高|最好|最多|前几|前[三五十]|排名靠前|\b(?:highest|best|top|most)\b", re.IGNORECASE)
# sales ranked: "best selling products", "top sellers", "what sells best", "卖得最好的产品", "最畅销", "滞销的"
_SALES_RANKING = re.compile(r"\b(?:best|top|worst|slowest|fastest)[\s-]?(?:sell(?:ing|er|ers)?|mover?s?)\b|"
                            r"\bsells? (?:the )?(?:best|worst|most|least)\b|\bselling (?:the )?(?:best|worst|most|least)\b|"
                            r"卖得?(?:最好|最差|最多|最少|最快|最慢)|(?:最|不)?畅销|滞销|销量(?:最高|最低|最好|最差|前几|排名)",
                            re.IGNORECASE)
# "我在区域里排第几", "where do I rank in my region": one's own place among the dealers is a sales question, even
# with the profile's words in it ("区域", "my region")
_OWN_RANK = re.compile(r"排第几|排名第?几|第几名|排在第?几|排老几|排多少名|\b(?:where|what) do (?:i|we) rank\b|\bmy (?:rank|ranking)\b|"
                       r"\brank(?:ed)? in (?:my|the|our) (?:region|area|province)\b", re.IGNORECASE)
# "本月哪些经销商卖得好", "哪几家卖得不错", "which dealers sell well": a question about who sells, never a report
_WHO_SELLS = re.compile(r"(?:哪些|哪个|哪家|哪几家|谁)(?:经销商|家|店)?.{0,4}?卖得?(?:好|不错|多|快|差|少|慢|一般)|"
                        r"\bwhich dealers? (?:sells?|sold|is selling|are selling) (?:well|best|most|badly|worst)\b",
                        re.IGNORECASE)
_RANKED = (Intent.SALES_QUERY, Intent.REPORT_SALES, Intent.CONTRACT_QUERY)
_WEAK = (Intent.CHITCHAT_OTHER, Intent.GREETING, Intent.HELP, Intent.CANCEL, Intent.FAQ)
_DESCRIBED = (Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK, Intent.FAQ, Intent.TICKET_STATUS)
_ACCOUNTS = (("rebate", re.compile(r"返利|返点|rebate")), ("prepayment", re.compile(r"预存|预付|预款|prepay|prepaid")),
             ("deposit", re.compile(r"保证金|押金|deposit")),
             ("credit", re.compile(r"信用|额度|赊账|授信|credit")))
# "上个月欠款还有多少没还", "我还欠你们多少钱": the credit used and not paid back (not the contract)
_DEBT_ASKED = re.compile(r"欠款|欠账|欠(?:了|你们|厂家|公司)?(?:多少|几多|好多)|还欠|没还|未还|应还|待还|\bowe\b|outstanding")
_PROFILE = re.compile(r"等级|级别|什么级|几级|星级|哪个区|哪个大区|归哪|区域|上级|上一级|总代|我的资料|我的信息|账户信息|"
                      r"我是谁|\b(?:tier|level|my region|parent dealer|my profile|who am i)\b")
_PRICE_LIST = re.compile(r"价格表|价目表|价格单|报价单|价格清单|价表|price ?list|price sheet")
_TICKET_LIST = re.compile(r"^(?:我的|查看|看看|看下|看一下)?(?:全部|所有|我的)?(?:工单|售后单|反馈|质量反馈|报修单|维修单)(?:列表|记录)?$|"
                          r"\bmy (?:tickets|cases|reports|feedback)\b")


def _amount(text: str) -> Decimal | None:
    m = _AMOUNT.search(text)
    if not m:
        return None
    try:
        return Decimal(m.group(1) or m.group(2)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


# a menu entry typed, or asked for in so many words: "质量反馈" (the main menu's ⚠️ 质量反馈), "我要反馈质量问题",
# "常见问题" (❓ 常见问题); "我的质量反馈" stays the list (_TICKET_LIST)
_NEW_QUALITY = re.compile(r"(?:我要|我想|想|帮我|需要|要)?(?:做|提|填|报|登记)?(?:个|一个|一下)?"
                          r"(?:质量反馈|反馈(?:一下|一个|个)?质量问题|质量问题反馈)(?:一下)?|"
                          r"(?:report |file )?(?:a )?(?:quality (?:issue|problem|complaint|feedback))", re.IGNORECASE)
# "货到了", "收到货了", "the goods arrived": the delivery came, its receipt to confirm (not a fault, not a new order)
# "物流单号多少", "快递单号发我", "发的哪家快递", "tracking number": how the goods travel (the shipped orders' carrier
# and waybill), not the latest order's status
_SHIPPING_ASKED = re.compile(r"物流单号|快递单号|运单号|物流号|快递号|单号多少|单号发|物流信息|物流到哪|快递到哪|哪家快递|哪家物流|"
                             r"什么快递|什么物流|(?:快递|物流).{0,4}(?:哪家|哪个公司|什么公司)|发货了?.{0,4}(?:还)?没(?:到|收到)|在路上|"
                             r"tracking|waybill|which courier|which carrier|on the way|in transit",
                             re.IGNORECASE)
# how many orders: "今天一共发了几单货", "这周下了多少单", "how many orders today" (a count, not a list to pick from)
_ORDER_COUNT_ASKED = re.compile(r"(?:多少|几)(?:个|笔)?(?:单|订单)|单子?(?:有)?(?:多少|几个|几笔)|订单(?:数|量)|"
                                r"how many orders|number of orders|orders? count", re.IGNORECASE)
# what is counted besides orders placed and shipped: the orders decided in the days said ("这周审了多少单"), or the
# orders waiting now at a step ("待发货有几单", "还有几单没审"): ``Slots.counted``
_COUNT_DECIDED = re.compile(r"审了|审过|审核了|审批了|批了|通过了|驳回了|\bapproved\b|\breviewed\b", re.IGNORECASE)
_COUNT_WAITING = (("approval", re.compile(r"待审批|待审核|待批|没审|未审|没批|to approve|awaiting approval", re.IGNORECASE)),
                  ("allocation", re.compile(r"待配货|没配货|未配货|to allocate", re.IGNORECASE)),
                  ("shipment", re.compile(r"待发货|没发货|未发货|还没发|没发出|to ship|not (?:yet )?shipped",
                                          re.IGNORECASE)))
_PLACED_OR_SHIPPED = re.compile(r"下了|下单|发了|发货|发出|订单|进了|orders", re.IGNORECASE)   # not "卖了多少单"
# goods come short or damaged: "货到了 WP400少了2台", "外箱压坏了", "收到的少发了一箱", "arrived damaged"
_RECEIPT_PROBLEM = re.compile(r"少了|少发|漏发|缺了|少给|少\d|差了?\d|短少|没收到|压坏|压扁|压破|破损|摔坏|磕坏|碎了|"
                              r"外箱.{0,3}(?:破|坏|烂)|包装.{0,3}(?:破|坏|烂)|damaged|missing|short", re.IGNORECASE)
# goods to be returned ("AP300退2台可以吗", "想退两台AP300", "退货 AP300 2台"): a return, asked of the return policy, never
# an order line; not a refund ("退款") or leaving ("退出")
_RETURN_GOODS = re.compile(r"退货|退换|退回|(?:要|想|能|可以|申请)退(?![出款钱])|退\s*[\d一二两三四五六七八九十几]+\s*[台箱个件套把支条卷]")
# the receipt confirmed in words beside an order's number ("确认收货 SO-20261203-0004", "0004那单确认收货")
_RECEIPT_CONFIRM = re.compile(r"确认收货|收货确认|确认签收|(?:到了|收到了)[,， ]*(?:帮我)?确认")
_ARRIVAL = re.compile(r"到了|到货|货到|到的货|收到|签收|送到|送来|arrived|received|delivered|came", re.IGNORECASE)
# a ticket's number or name said ("AS单 20261129 0004", "工单"): a number read without its prefix is still a ticket's
_TICKET_NAMED = re.compile(r"\bAS|\bQF|AS单|QF单|工单|售后单|维修单|报修单|反馈单|ticket", re.IGNORECASE)
# the cart asked for: "看下购物车", "我的购物车", "购物车里有啥", "show my cart"
_CART_ASKED = re.compile(r"(?:看看?|看一?下|查看|查一?下|打开|显示|瞧瞧|给我看看?)?\s*(?:我的|我们的)?\s*购物车"
                         r"(?:里面?(?:有什么|有啥|都有什么|有哪些))?|(?:show|view|open|see|check)?\s*(?:my\s+|the\s+)?cart",
                         re.IGNORECASE)
_GOODS_ARRIVED = re.compile(r"(?:我要|帮我|麻烦)?(?:确认收货|收货确认|确认签收|签收一下|点收货)(?:吧|了)?|"
                            r"(?:(?:我们?的?|那批|这批|上次的?|订的|这单|这一单|那单)的?)?(?:货|货物|东西)?(?:已经|都|终于)?"
                            r"(?:到了|到啦|已到|到货了|收到了|已收到)(?:了|啦|哈)?(?:[,， ]*(?:帮我|麻烦)?(?:确认|签收)(?:一下|下)?"
                            r"(?:收货)?(?:吧)?)?|(?:已经|都)?收到货(?:了|啦)?(?:[,， ]*(?:帮我|麻烦)?确认(?:一下|下)?(?:收货)?)?|(?:the |my |our )?(?:goods|order|delivery|shipment) "
                            r"(?:has |have )?(?:arrived|came|come|been delivered)|(?:we |i )?(?:got|received) (?:the |my |our )?"
                            r"(?:goods|order|delivery|shipment)", re.IGNORECASE)
_FAQ_MENU = re.compile(r"(?:看看|查看|看下)?常见问题(?:解答)?|faq|常见问答", re.IGNORECASE)
# asking for a ticket to be opened, not about one already open
_NEW_TICKET = re.compile(r"(?:开|提|报|申请|建|新建|约|登记)(?![的嘅过了])(?:一?个|一下)?.{0,4}(?:工单|售后|维修|报修|质量问题)|"
                         r"\b(?:open|file|raise|log|create|report) (?:a|an|new) .{0,16}(?:ticket|case|claim|problem|issue)")
_TICKET_PROGRESS = re.compile(r"进度|怎么样|咋样|点样|搞成点|到哪|结果|处理得|处理了|回复|有没有人|没人管|没动静|啥情况|"
                              r"status|update|progress|follow")
_QUALITY = re.compile(r"质量|批|quality|batch")
# a message that begins by reporting figures, not asking for them
_REPORTING = re.compile(r"(?:帮我|我来|我要|我想|我)?(?:上报|报一下|报个|报下|报告一下|登记|录入|提交|填报|报(?=销量|销售|动销))(?!.{0,12}(?:多少|怎么|吗|么|\?))")


# a request to order with nothing named yet (no "how": "怎么下单" asks how it works)
_ORDER_REQUEST = re.compile(r"(?:老板|你好)?[,， ]*(?:我|我们)?(?:要|想|想要|需要|准备|帮我|给我)?\s*(?:下(?:个|一)?单|订(?:个|点)?货|要货|进货)"
                            r"(?:了|吧|啊|哈|呢|一下)?")

# a greeting before the request ("在吗 要货", "在不在 想订点货"): the request decides
_GREETING_OPENER = re.compile(r"^(?:你好|您好|在吗|在么|在不在|有人吗|哈喽|嗨|老板好|早上好|下午好|晚上好|hi|hello|hey)"
                              r"[\s,，.。!！?？~]*", re.IGNORECASE)

# "✅ 确认修改" pasted or typed with its button's symbol: the words after it
_LABEL_SYMBOLS = re.compile(r"^[^\w\u4e00-\u9fff]+")
# the cart as it stands, confirmed in words ("确认下单", "就这些 下单吧", "ok 确认", "submit the order"; a change of an
# order: "确认修改", "就这么改吧", "confirm the change", its ✅ 确认修改 typed)
_CONFIRM_ORDER = re.compile(
    r"(?:(?:好的?|ok|okay|嗯|行|可以|没问题|对|没错)[,， ]*)?(?:(?:就这些|就这样|就这么多|没了)[了吧啊]?[,， ]*)?"
    r"(?:(?:确认|确定)(?:下单|提交|订单|一下|修改|改单|更改|修改订单)?|提交(?:订单|修改)?|下单|就这么改|按这个改)(?:吧|了|啊|哈)?"
    r"|(?:ok[,， ]*)?(?:confirm|submit|place)(?: (?:the|my|this) (?:order|change)| it)?(?: please)?", re.IGNORECASE)


# what is wrong with a product, said plainly (no word of ordering in the message)
_SYMPTOM = re.compile(
    r"坏了|坏的|裂了|裂开|开裂|断了|断在|折了|破了|漏水|漏气|漏油|渗水|不亮|不转|不响|不工作|不制冷|不出水|不出雾|开不了机|"
    r"打不开|关不上|锁不上|拧不动|夹不住|松了|松动|晃|异响|响声|噪音|抖得|发抖|卡住|卡死|掉漆|掉色|脱落|起泡|鼓包|变形|生锈|"
    r"发霉|变质|馊|酸了|发臭|臭了|异味|怪味|苦味|黑点|头发|异物|塑料片|虫子|胀袋|胀包|化了|结块|失灵|故障|报错|没反应|没电|"
    r"起不来|充不进|跳闸|冒烟|烧了|烧蚀|发烫|起球|开线|脱线|弯了|发软|失火|"
    r"\bbroken\b|\bcracked?\b|\bleak|\bstuck\b|\bloose\b|won't|doesn't work|not working|\bfaulty\b|\bdefect|"
    r"\bsmells?\b|\bmou?ld|\bexpired\b|\bhair in\b|\bpeeling\b")
_ORDERING = re.compile(r"来|要|订|下单|下个单|拿|补货|备货|进货|再加|加\s*\d|发\s*\d|\border|\bneed\b|\bsend\b|\bwant\b|"
                       r"\bbuy\b|\bget\b|\badd\b|卖了|卖出|\bsold\b|换成|改成")
_COUNT_ASKED = re.compile(r"(?:要|来|订|拿|补|再加)\s*\d")
# a wrong delivery said as what was ordered against what came ("ordered YC gold got silver", "got TS15 instead of
# SM15", "received X but ordered Y", "我要的冷水管25 发来的是热水管25", "M粉发成M蓝了"): two products, neither of them
# *the* product (a count short, "received 18 cases instead of 20", names one)
_WRONG_GOODS = re.compile(r"(?:要的|订的|下的是).{1,20}?(?:来的|发来的|送来的|收到的|到的是|发成|变成)|发成|"
                          r"\bordered\b.{1,40}?\b(?:got|received|came|sent|delivered)\b|"
                          r"\b(?:got|received|sent|delivered|shipped)\b.{1,40}?\binstead of\b(?!\s*\d+(?![\d.a-z]))|"
                          r"\bbut (?:we |i )?ordered\b")
_BATCH = re.compile(r"批|好几|几个客户|多个客户|都|全部|整箱|一箱箱|到货|送来|发来|收到|少了|少发|多发|发错|第.{1,3}[台个条箱件把支]了|"
                    r"又一|\bbatch|\bseveral|\ball\b|\bshipment|\bdelivery|\barrived|\breceived|customers")


# "滤网咋个换嘛，搞不来", "滤芯怎么装": how to do something with a product, a question for the FAQ (no fault said)
_HOW_TO = re.compile(r"(?:怎么|怎样|咋个?|如何|啷个|怎么样)(?:才能|去|来)?(?:更换|换|安装|装|拆|清洗|清理|洗|使用|用|操作|设置|复位|重置)|"
                     r"搞不来|弄不来|不会(?:换|装|拆|用|弄)")
# "滤芯都有哪些", "空气净化器有啥型号": the products of a kind asked for, not a problem to report
_WHICH_ONES = re.compile(r"(?:都|一共|总共)?有(?:哪些|哪几[款种个]|什么|啥|几[款种])(?:型号|款式?|产品|规格|种类)?(?:啊|呀|呢|嘛)?$")


def decide_intent(a: Analysis, ranked: list[tuple[Intent, float]]) -> tuple[Intent, float]:
    """The classifier's ranking, overruled where a rule is clearer."""
    intent, confidence = ranked[0]
    text = a.text.strip(" .!?。！？~")
    if not text:
        return Intent.CHITCHAT_OTHER, 0.9
    if text in CANCEL_WORDS:
        return Intent.CANCEL, 0.95
    if text in GREETINGS:
        return Intent.GREETING, 0.95
    if _KEEP_ORDER.search(text):
        return Intent.CANCEL_ORDER, max(confidence, 0.9)
    if _models_asked(a):
        return Intent.QUERY_STOCK, max(confidence, 0.8)
    if _NOTE_SAID.match(a.text) and not a.items.items:    # "备注：走后门卸货。黑啤6箱": the lines are read
        return Intent.PLACE_ORDER, max(confidence, 0.9)
    if _HELP_ONLY.fullmatch(text):
        return Intent.HELP, max(confidence, 0.9)
    if intent in (Intent.PLACE_ORDER, Intent.FAQ) and _RETURN_GOODS.search(text):
        return Intent.FAQ, max(confidence, 0.8)       # "AP300退2台可以吗": how returns go, not two more
    if _STATEMENT_WORDS.search(text) or _PAYMENT_ASKED.search(text) and not a.items.items:
        return Intent.CONTRACT_QUERY, max(confidence, 0.85)
    if intent == Intent.CONTRACT_QUERY and _OWN_RANK.search(text):
        return Intent.SALES_QUERY, max(confidence, 0.8)
    if _NOT_REPORTED.search(text) and not a.items.items:
        return Intent.SALES_QUERY, max(confidence, 0.85)
    if (intent == Intent.CHITCHAT_OTHER or intent == Intent.FAQ and confidence < 0.5) \
            and dealer_words_in_sales_question(text) is not None:
        return Intent.SALES_QUERY, max(confidence, 0.7)      # "嘉禾这个月情况如何": how that dealer is doing
    if target_missed_asked(text) and not a.items.items and intent in (*_FORECAST_READS, Intent.CONTRACT_QUERY):
        return Intent.SALES_QUERY, max(confidence, 0.85)     # "哪些经销商没完成目标": the dealers under target
    if export_asked(text) or forecast_asked(text) and not a.items.items and intent in _FORECAST_READS:
        return Intent.SALES_QUERY, max(confidence, 0.85)     # "导出excel", "下个月AP300要备多少货": the figures
    if (any(w in text for w in REORDER_WORDS) or _REORDER_SAID.search(a.text)) and not a.items.items \
            and intent in (Intent.PLACE_ORDER, Intent.ORDER_STATUS, Intent.CHITCHAT_OTHER) \
            and not _KEEP_ORDER.search(text):
        # "SO-… 再来一单", "尾号0012那单再下一次": that order again, not its status
        return Intent.PLACE_ORDER, max(confidence, 0.8)
    if not a.items.items and not a.order_no and not _REPORTING.match(text) and asks_for_figures(text, a.report):
        return Intent.SALES_QUERY, max(confidence, 0.8)      # "去年全年订货多少", "上个月呢", "跟去年比呢"
    if a.order_no:
        if a.order_no.startswith(("AS-", "QF-")):        # a ticket or report already filed: its follow-up
            return Intent.TICKET_STATUS, max(confidence, 0.9)
        if a.order_no.startswith("SO-") and intent == Intent.TICKET_STATUS \
                and not _TICKET_NAMED.search(text):                              # "SO-20261205-0001": an order's
            return Intent.ORDER_STATUS, max(confidence, 0.85)                    # number, not a ticket's
        if intent not in (Intent.ORDER_STATUS, Intent.CANCEL_ORDER, Intent.AFTER_SALES):
            if _CANCEL_ORDER_WORDS.search(text):
                return Intent.CANCEL_ORDER, max(confidence, 0.8)
            if _STATUS_WORDS.search(text) or confidence < LOW_CONFIDENCE:
                return Intent.ORDER_STATUS, max(confidence, 0.8)
    if _CART_ASKED.fullmatch(text):
        return Intent.PLACE_ORDER, max(confidence, 0.9)       # "看下购物车": the open cart shown (topic view_cart)
    if not a.items.items and size_step(a.text) is not None:
        return Intent.PLACE_ORDER, max(confidence, 0.85)      # "换成大一号的": a line one size up (topic size_up)
    if _NEW_QUALITY.fullmatch(text):
        return Intent.QUALITY_FEEDBACK, max(confidence, 0.9)
    if _FAQ_MENU.fullmatch(text):
        return Intent.FAQ, max(confidence, 0.9)
    if intent in (Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK) and not a.items.items and not _SYMPTOM.search(text):
        if _HOW_TO.search(text):
            return Intent.FAQ, max(confidence, 0.8)
        if _WHICH_ONES.search(text):
            return Intent.QUERY_STOCK, max(confidence, 0.7)
    if _GOODS_ARRIVED.fullmatch(text) and not a.order_no:
        return Intent.ORDER_STATUS, max(confidence, 0.9)
    if intent in (Intent.PLACE_ORDER, Intent.REPORT_SALES) and confidence < 0.8 and a.items.items \
            and a.delivery_date is not None and a.date_span is not None \
            and (a.past is None or a.past.start >= a.date_span[0]) \
            and _WANTED_BY.match(a.text, a.date_span[1]) and not _SOLD.search(a.text):
        # "AP300 20台 今天到", "滤网5箱 下周三前送": a day the goods are wanted by makes it an order, not sell-out
        return Intent.PLACE_ORDER, max(confidence, 0.8)
    if not a.items.items and (_SALES_RANKING.search(text) and intent != Intent.REPORT_SALES or _WHO_SELLS.search(text)):
        # "best selling products", "哪个产品最畅销": a ranking of sales asked for, not an order of nothing
        return Intent.SALES_QUERY, max(confidence, 0.8)
    if intent == Intent.SALES_QUERY and _REPORTING.match(text):      # "上报sell-out数据", "报一下这周的销量"
        return Intent.REPORT_SALES, max(confidence, 0.7)
    if intent == Intent.TICKET_STATUS and not a.order_no and _NEW_TICKET.search(text) \
            and not _TICKET_PROGRESS.search(text):      # "想开个维修单", "report a quality issue": a new one
        return (Intent.QUALITY_FEEDBACK if _QUALITY.search(text) else Intent.AFTER_SALES), max(confidence, 0.7)
    if a.items.items and intent in (Intent.CHITCHAT_OTHER, Intent.GREETING, Intent.HELP, Intent.CANCEL, Intent.FAQ):
        return Intent.PLACE_ORDER, max(confidence, 0.8)
    # a change of order lines ("改成10台", "数量翻倍", "AP300换成AP500", "need 2 more") is ordering whatever
    # the words around it; sell-out lines are changed the same way, so a sell-out report stays one
    if a.items.edits and intent not in (Intent.PLACE_ORDER, Intent.REPORT_SALES, Intent.CANCEL_ORDER) and (
            intent in _WEAK or confidence < 0.5 and any(e.op != EditOp.ADD for e in a.items.edits)):
        return Intent.PLACE_ORDER, max(confidence, 0.75)
    if intent == Intent.PLACE_ORDER and _SYMPTOM.search(text) and not _ORDERING.search(text):
        # "老板椅扶手断了一个", "H4灯泡一个装上就不亮": a product, a count and what is wrong with it is a fault to
        # report, not an order (one unit at one customer; a batch, several or the delivery: quality feedback)
        return (Intent.QUALITY_FEEDBACK if _BATCH.search(text) else Intent.AFTER_SALES), max(1 - confidence, 0.6)
    if intent == Intent.AFTER_SALES and confidence < 0.5 and a.items.items and _COUNT_ASKED.search(text):
        # "电饼铛 要10个 坏了的那个下次一起退": a count asked for is an order, whatever else the line says
        return Intent.PLACE_ORDER, 0.6
    if _CONFIRM_ORDER.fullmatch(text) and re.search(r"下单|提交|订单|order|submit", text, re.IGNORECASE) \
            and not a.items.items:       # "确认下单": the cart as it stands ("确认" alone: the chat's state decides)
        return Intent.PLACE_ORDER, max(confidence, 0.9)
    if _ORDER_REQUEST.fullmatch(_GREETING_OPENER.sub("", text)) and intent != Intent.PLACE_ORDER:
        # "我要下单", "帮我下个单", "在吗 要货": start one
        return Intent.PLACE_ORDER, max(confidence, 0.8)
    if (any(w in text for w in REORDER_WORDS) or _REORDER_SAID.search(text)) and intent != Intent.PLACE_ORDER \
            and confidence < 0.8:
        return Intent.PLACE_ORDER, 0.8
    return intent, confidence


def _only_products(a: Analysis) -> bool:
    """Product words and nothing else (no count, no other word): what a question before them is about."""
    if not a.mentions or a.items.items or a.items.edits or a.order_no:
        return False
    rest = list(a.blanked)
    for m in a.mentions:
        rest[m.start:m.end] = " " * (m.end - m.start)
    return not re.sub(r"[\s,，.。!！?？~]|[吗呢啊呀哈嘛的]", "", "".join(rest))


def _models_asked(a: Analysis) -> bool:
    """"净水器有啥型号": product words and, besides them, only a question of which models there are."""
    if not a.mentions or a.items.items or a.items.edits or a.order_no or any(u.qty for u in a.items.unresolved):
        return False
    rest = list(a.blanked)
    for m in a.mentions:
        rest[m.start:m.end] = " " * (m.end - m.start)
    said = re.sub(r"[\s,，.。!！?？~]|[吗呢啊呀哈嘛的]$", "", "".join(rest))
    return bool(said) and _MODELS_ONLY.fullmatch(said) is not None


def build_result(a: Analysis, intent: Intent, confidence: float) -> ParseResult:
    slots = Slots(
        items=[OrderItem(sku=s, qty=q) for s, q in a.items.items.items() if q >= 1],
        order_no=a.order_no, delivery_date=a.delivery_date, unknown_words=a.unknown,
        removed=list(a.items.removed), rejected_quantities=list(a.items.rejected),
        zero_quantities=[raw for raw in a.items.rejected if written_zero(raw)],
        negative_quantities=list(a.items.negative), edits=list(a.items.edits), unresolved=list(a.items.unresolved),
    )
    # a word of one product's name that no other product shares ("挂墙马桶", "零度可乐") names that product
    named = list(dict.fromkeys(m.sku for m in a.mentions if m.sku and m.sku not in a.items.removed))
    # one product named: that one; several ("AP300和AP500都还有货吗"): none of them is *the* product
    slots.product = named[0] if len(named) == 1 or (named and a.items.items) else None
    if slots.product is None and not a.items.items:
        slots.product = a.asked      # "防冻液-45小桶", "电机 800瓦那个": words naming several, agreeing on one
    elif not a.items.items and a.others:
        slots.product = None         # "校服150和160价格": two variants of one series, neither *the* product
    if intent in (Intent.QUALITY_FEEDBACK, Intent.AFTER_SALES) and _WRONG_GOODS.search(a.text):
        slots.product = None
    if intent in _DESCRIBED:
        slots.description = a.text[:500]
    lone = [q for q in a.quantities if q.group("unit")]
    if not a.mentions and len(lone) == 1:
        from nlu.numbers import parse_quantity

        slots.qty = parse_quantity(lone[0]).value
    slots.amount = _amount(a.text)
    if w := _WAREHOUSE.search(a.text):
        slots.warehouse = w.group(1)
    slots.region = next((r for r in _REGIONS if r in a.text), None)
    slots.period, slots.period_said = a.report.period, a.report.unknown
    slots.compare, slots.split, slots.measure = a.report.compare, a.report.split, a.report.measure
    reorder = intent == Intent.PLACE_ORDER and (not slots.items and (any(w in a.text for w in REORDER_WORDS)
                                                                      or _REORDER_SAID.search(a.text) is not None)
                                                 or changed_copy(a.text, a.items.edits))
    if intent in (Intent.ORDER_STATUS, Intent.CANCEL_ORDER) or reorder:
        # "前天那单", "尾号0012那单" (also "上个月那单再来一遍": the order to copy)
        slots.order_suffix = a.order_suffix
        if a.past is not None and not (slots.delivery_date is not None and _DELIVERY_CUE.search(a.text)):
            # "前天那单": when it was placed, not a delivery date ("12月3号前到" is one)
            slots.placed_from, slots.placed_to = a.past.first, a.past.last
            slots.delivery_date = None
    if intent == Intent.SALES_QUERY and _NOT_REPORTED.search(a.text):
        slots.topic = "not_reported"
    elif intent == Intent.SALES_QUERY and target_missed_asked(a.text):
        slots.topic = "below_target"     # "哪些经销商没完成目标": the dealers under target, not the best ones
    elif intent == Intent.SALES_QUERY and export_asked(a.text):
        slots.topic = "export"           # "导出excel": the report on screen as a file
    elif intent == Intent.SALES_QUERY and forecast_asked(a.text):
        slots.topic = "forecast"         # "下个月AP300要备多少货": the demand forecast, not past figures
    elif intent == Intent.SALES_QUERY and _OWN_RANK.search(a.text):
        slots.topic = "own_rank"         # "我在区域里排第几": the dealer's own place among its region's dealers
    elif intent == Intent.SALES_QUERY and said_alone(a.text.strip()):
        slots.topic = "follow_up"        # "上个月呢", "跟去年比呢": the figures just shown, for what is said now
    if intent in _RANKED:
        slots.ranking = ("lowest" if _RANKING_LOWEST.search(a.text) else
                         "highest" if _RANKING_HIGHEST.search(a.text) else None)
    if intent in (Intent.CONTRACT_QUERY, Intent.SALES_QUERY):
        slots.account = next((name for name, p in _ACCOUNTS if p.search(a.text)), None)
        if _PROFILE.search(a.text) and not _OWN_RANK.search(a.text):
            slots.topic = "profile"
        elif _PAYMENT_ASKED.search(a.text):
            slots.topic = "payments"
            if said_money := _MONEY_SAID.search(a.text):
                slots.amount = read_amount(said_money.group(1))
        elif intent == Intent.CONTRACT_QUERY and _DEBT_ASKED.search(a.text):
            slots.topic = "debt"
    if reorder:
        slots.topic = "reorder"      # "和上次一样": a copy of the last order ("WP400换成WP600 其他不变 再下一次": changed)
    said = a.text.strip(" .!?~,。！？")
    if not slots.items and not slots.topic and _CONFIRM_ORDER.fullmatch(_LABEL_SYMBOLS.sub("", said)):
        slots.topic = "confirm"      # "确认下单", "就这些 下单吧", "确认": an open cart submitted (no cart: start one)
    elif intent == Intent.PLACE_ORDER and not slots.items and not slots.topic \
            and _ORDER_REQUEST.fullmatch(_GREETING_OPENER.sub("", said)):
        slots.topic = "start"        # "我要下单", "在吗 要货": an order to start, nothing named yet
    if _CART_ASKED.fullmatch(said):
        slots.topic = "view_cart"    # "看下购物车", "我的购物车": the open cart as it stands
    if intent == Intent.PLACE_ORDER and not slots.items and (step := size_step(a.text)) is not None:
        slots.topic = f"size_{step}"  # "换成大一号的": which product the line becomes is asked, never guessed
    if not slots.items and _CLEAR_CART.fullmatch(a.text.strip(" .!?~,。！？")):
        slots.topic = "clear_cart"   # "清空购物车", "全部不要了": the whole cart goes
    if intent == Intent.PLACE_ORDER and not a.items.items and (note := _NOTE_SAID.match(a.text)) is not None:
        # "备注：…": the note only (its numbers are no lines, its "二号" no day)
        slots.topic, slots.description = "note", note.group("note").strip()[:200]
        slots.items, slots.edits, slots.unresolved, slots.unknown_words = [], [], [], []
        slots.delivery_date, slots.product, slots.warehouse, slots.qty = None, None, None, None
        return ParseResult(intent=intent, confidence=round(min(max(confidence, 0.0), 1.0), 3), slots=slots)
    if intent == Intent.FAQ and _RETURN_GOODS.search(a.text):
        slots.topic = "return"       # "退货 AP300 2台": the counts are of goods going back, no order lines
        slots.items, slots.edits, slots.unresolved = [], [], []
    if intent == Intent.QUERY_STOCK and _models_asked(a):
        slots.topic = "models"       # "净水器有啥型号": the products of those words listed
    if intent == Intent.CANCEL_ORDER and _KEEP_ORDER.search(a.text):
        slots.topic = "keep"         # "不取消": nothing is cancelled (a cancel asked is answered no)
    if intent == Intent.PRICE_QUERY and _PRICE_LIST.search(a.text):
        slots.topic = "price_list"
    if intent == Intent.ORDER_STATUS and (_GOODS_ARRIVED.fullmatch(said) or (
            (slots.order_no or slots.order_suffix) and _RECEIPT_CONFIRM.search(a.text))):
        slots.topic = "received"     # "货到了", "确认收货 SO-…": the shipped orders, to confirm their receipt
    elif intent == Intent.QUALITY_FEEDBACK and _ARRIVAL.search(a.text) and _RECEIPT_PROBLEM.search(a.text):
        slots.topic = "receipt_issue"   # "货到了 WP400少了2台，AP300外箱压坏了": the receipt of a shipped order
    elif intent == Intent.ORDER_STATUS and _SHIPPING_ASKED.search(a.text):
        slots.topic = "shipping"     # "物流单号多少": the carrier and waybill of the orders shipped
    elif intent in (Intent.ORDER_STATUS, Intent.SALES_QUERY) and not slots.order_no \
            and _ORDER_COUNT_ASKED.search(a.text) \
            and (intent == Intent.ORDER_STATUS or _PLACED_OR_SHIPPED.search(a.text) or _COUNT_DECIDED.search(a.text)):
        slots.topic = "count"        # "今天一共发了几单货": how many placed and shipped in the days said
        slots.counted = next((f"waiting_{step}" for step, words in _COUNT_WAITING if words.search(a.text)),
                             "decided" if _COUNT_DECIDED.search(a.text) else None)
        if slots.placed_from is None and a.past is not None:
            slots.placed_from, slots.placed_to = a.past.first, a.past.last
    if intent == Intent.FAQ and _FAQ_MENU.fullmatch(said):
        slots.topic = "menu"         # "常见问题": the FAQ's list of questions, not a search for those words
    if not slots.items and not slots.topic and _DONE_SAID.fullmatch(_LABEL_SYMBOLS.sub("", said)):
        slots.topic = "done"         # "就这些", "完成修改": the open cart is complete (no cart: the intent answers as it is)
    if not slots.items and _CART_TOTAL.fullmatch(said):
        slots.topic = "cart_total"   # "一共多少钱": the open cart's total (with no cart the intent answers as it is)
    if intent == Intent.TICKET_STATUS:
        if _TICKET_LIST.search(a.text.strip(" .!?~")):
            slots.topic = "list"
        slots.description = a.text[:500]
    return ParseResult(intent=intent, confidence=round(min(max(confidence, 0.0), 1.0), 3), slots=slots)


class OfflineParser:
    """``IntentParser`` with no network: the default of the chat and of ``dms nlu parse``."""

    async def parse(self, text: str, *, catalogue: list[CatalogueEntry], today: date,
                    dealer_aliases: dict[str, str] | None = None) -> ParseResult:
        return self.parse_sync(text, catalogue=catalogue, today=today, dealer_aliases=dealer_aliases)

    def parse_sync(self, text: str, *, catalogue: list[CatalogueEntry], today: date,
                   dealer_aliases: dict[str, str] | None = None) -> ParseResult:
        index = product_index(catalogue, dealer_aliases)
        a = analyze(text, index, today)
        ranked = default_classifier().predict(masked_analysis(a))
        intent, confidence = decide_intent(a, ranked)
        result = build_result(a, intent, confidence)
        return _two_requests(text, result, index, today) or result


def _two_requests(text: str, whole: ParseResult, index: ProductIndex, today: date) -> ParseResult | None:
    """"我要AP300 10台，DH20有没有货？另外上次那单发货了没": the message's requests (``nlu.request_parts``), the first as
    the message's intent and each next one riding along in the one before's ``also``, each with its own words in
    ``said``. None when the message is one request."""
    read: dict[str, tuple[Analysis, Intent, float]] = {}

    def classify(piece: str) -> tuple[Intent, float]:
        if piece not in read:
            a = analyze(piece, index, today)
            read[piece] = (a, *decide_intent(a, default_classifier().predict(masked_analysis(a))))
        return read[piece][1], read[piece][2]

    parts = request_parts(text, classify)
    if parts is None:
        return None
    for said, _, _ in parts[1:]:
        classify(said)
        if _only_products(read[said][0]):
            return None     # "有货吗？简影黑色双开双控": the product asked about, said after the question, no request of its own
    results = []
    for said, intent, confidence in parts:
        classify(said)
        results.append(build_result(read[said][0], intent, confidence).model_copy(update={"said": said}))
    first = results[0]
    if parts[0][1] == whole.intent and first.slots.topic != "note" \
            and not any(p[1] in (Intent.PLACE_ORDER, Intent.REPORT_SALES) for p in parts[1:]):
        # the whole message's slots (items, dates) stay the first request's, unless lines are a later one's
        # ("DH20有货吗？顺便再来5台DH20": the 5 are the order's, not the stock question's too); a note is its own words
        first = whole.model_copy(update={"confidence": max(whole.confidence, first.confidence), "said": first.said})
    for before, after in zip([first, *results[1:]], results[1:], strict=False):
        before.also = after
    return first
