"""A payment said after the words that name the job ("记一笔回款 D0007 3万", "登记回款：合肥新锐 30000", "记回款 合肥新锐
3万元 工行转账"; was: "您是想报修/售后吗？"), and a dealer's money asked as what is "on its account" ("合肥新锐账上还有
多少钱", "D0007账户里还有多少"; was: the month's order report).

``nlu.payment_words`` reads both with its own shapes (``payment_said``, ``ledger_who``); the handlers route on them.
"""

from __future__ import annotations

# "记一笔回款 D0007 3万": the job's words, the dealer, the amount, a note after it (the same groups as ``QUICK``)
PAY_LED = (r"^(?:帮我|请)?\s*(?:记一笔|记|登记|录入?|新增|添加|入账)\s*(?:一笔)?\s*(?:回款|收款|到账|货款|进账)\s*[:：,，]?\s*"
           r"(?P<who>[A-Za-z]\d{3,6}|[^\d\s，,。:：]{2,30}?)\s*[:：,，]?\s*(?:打了|转了|回款|付了|的)?\s*"
           r"(?P<amount>\d[\d,.]*\s*(?:万|千|k|w)?|[零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟廿]+)\s*(?:元|块钱?)?"
           r"(?:\s*[，,;；、]?\s*(?P<note>[^。;；]{1,80}?))?[。.!！]?$")

# "合肥新锐账上还有多少钱", "D0007账户里有多少", "嘉禾账面上还剩多少": the dealer's ledger with its balances
ON_ACCOUNT = (r"^(?:看看|看一下|查一下|查查)?\s*(?!我|还|有|剩)(?P<who>[^\d\s，,。]{2,30}?|[A-Za-z]\d{3,6})\s*的?\s*"
              r"(?:账上|账户上|账户里|账里|账面上?|户头上?)\s*(?:还|现在|目前)?\s*(?:有|剩|剩下)?\s*(?:多少钱?|几个钱|多少余额)"
              r"\s*(?:啊|呢|呀)?[?？。吗]?$")

# "成都金鼎还有多少额度": the words of the question read as the dealer's ("成都金鼎还有多少"), cut off its end
HOW_MUCH_LEFT = r"(?:还|现在|目前)?(?:有|剩|剩下)?(?:多少钱?|几个钱)$|(?:还|现在|目前)(?:有|剩|剩下)?$"
