# one-off hand edits: rewrote some zh lines in English / mixed to reach the language mix (run once before assemble)
import glob
E = {
"qs | z | plain | 稀释剂还剩多少 |": "qs | e | english_short | how much thinner left |",
"qs | z | plain | 木韵半哑有货吗 |": "qs | e | english_short | muyun half matte in stock? |",
"os | z | plain | 我的订单状态 |": "os | e | plain | order status? |",
"co | z | plain | 刚下的单取消一下 下错了 |": "co | e | plain | pls cancel the order i just placed, wrong items |",
"pq | z | price | 稀释剂单价多少 |": "pq | e | price | thinner unit price? |",
"pq | z | price | 成品腻子膏价格 |": "pq | e | price | price for ready mixed putty |",
"as | z | sym | 4寸毛刷掉毛 客户要退 |": "as | e | sym | customer returning a 4in brush, bristles falling out |",
"qf | z | bq | 收货少了2桶墙固 |": "qf | e | bq | delivery short 2 tubs of interface agent |",
"sq | z | plain | 我在区域排第几 |": "sq | e | plain | what's my ranking in the region |",
"cq | z | acc | 预付款还够不够 |": "cq | e | acc | is my prepayment enough |",
"cp | z | plain | 元旦有啥促销 |": "cp | e | plain | any new year promo |",
"faq | z | plain | 下单后多久发货 |": "faq | e | plain | how long after ordering does it ship |",
"ts | z | tf | 我提的那几个工单都什么状态 |": "ts | e | tf | status of all my tickets? |",
"rs | z | plain | 聚氨酯卖了6桶 |": "rs | e | plain | 6 PU20 sold |",
"po | z | plain | 聚氨酯防水来5桶 |": "po | e | english_short | 5 x PU waterproof pls |",
"co | z | plain | 那单别发了客户不要了 |": "co | e | plain | dont ship that order, customer backed out |",
"qs | z | plain | 聚氨酯还有货吗 |": "qs | m | plain | 聚氨酯还有货吗 pls check |",
"os | z | plain | 帮我查下订单so-20261203-0002 |": "os | m | plain | 帮我check下订单so-20261203-0002 |",
"pq | z | price | 聚氨酯多少钱 |": "pq | m | price | 聚氨酯 how much |",
"as | z | sym | 客户家的木韵亮光1L 刷完起皱 |": "as | m | sym | 客户家的木韵亮光1L 刷完 wrinkled 了 |",
"qf | z | bq | 这批聚氨酯好几桶都结皮了 |": "qf | m | bq | 这批聚氨酯 好几桶都结皮了 quality有问题 |",
"cq | z | acc | 信用额度还剩多少 |": "cq | m | acc | credit额度还剩多少 |",
"cp | z | plain | 展架怎么申请 |": "cp | m | plain | 展架 display stand 怎么申请 |",
"faq | z | plain | 发票怎么开 |": "faq | m | plain | 发票 invoice 怎么开 |",
"sq | z | plain | 今年任务完成多少了 |": "sq | m | plain | 今年KPI完成多少了 |",
"po | z | fam | 补货 净味宝 白5L 12 米黄5L 8 |": "po | m | fam | restock 净味宝 白5L 12 米黄5L 8 |",
"po | z | fam | 拿 易批内墙25公斤 外墙25公斤 各40包 |": "po | m | fam | 易批内墙25公斤 外墙25公斤 各40包 pls |",
"rs | z | plain | 报销量 成品腻子 22桶 |": "rs | m | plain | sales: 成品腻子 22桶 |",
"ts | z | tf | 售后单有人跟吗 都一个礼拜了 |": "ts | m | tf | 售后单有人follow吗 都一个礼拜了 |",
"co | z | plain | 订单取消 so-20261128-0077 |": "co | m | plain | 订单 so-20261128-0077 帮我cancel掉 |",
"cc | z | plain | 辛苦了 |": "cc | m | plain | 辛苦了 thx |",
}
hit = set()
for fn in glob.glob('b*.txt'):
    lines = open(fn, encoding='utf-8').read().split('\n'); new = []
    for l in lines:
        for k, v in E.items():
            if l.startswith(k) or l == k.rstrip(' |') + ' |' or l.rstrip() == k.rstrip():
                l = v + l[len(k):] if l.startswith(k) else v; hit.add(k); break
        new.append(l)
    open(fn, 'w', encoding='utf-8').write('\n'.join(new))
print('edited', len(hit), 'missing', [k for k in E if k not in hit])
