# one-off trimming/editing of hand-written batch lines (kept for the record; already applied)
import glob
remove = """三层 10号11号12号 各200
热敏纸 100*100 10卷 100*150 5卷 100*180 5卷
牛皮纸 3卷 先发
双层气泡膜来5卷
打包扣拿10盒
要1910塑钢带 3卷
帮我下个单 邮政箱12号 五百个
和上周一样的再来一单
来点胶带
拉伸膜手柄 10个
小标签60*40 补50卷
120克牛皮纸 来两卷 急用
下单：警示胶带 6箱
要个 加厚12号袋 15包
麻烦安排 双层1米5气泡 五卷 周二前到
订单SO-20261130-0052 加 三层10号 200个
三层3号 五层3号 各30
标签 76x130的 10卷 面单纸 20卷
1606两卷 1608也两卷 1910一卷 打包扣两盒
缠绕膜 30公分小卷 20卷 45公分10卷
牛皮纸120g 2卷 80g 1.2m 2卷
自封袋12丝 8号30包 10号 20 12号 十包
蓝带 黄带 各8捆
整二十卷那个黑膜 贼好使
12丝的5号袋 20包
米黄色打包带 5捆
补货 黑色缠绕膜 8卷
单层 1米2 的气泡 20卷 不对 15卷
透明胶 45 48各五箱
缠绕膜20卷 发物流
kraft paper 120gsm 2 rolls
kraft 90cm 2 rolls
1910 strap x2 and seals x2 boxes
2 boxes PET seals
pls add 5 ctns printed tape
clear tape 45mm 100m x 4 ctns
single bubble 1m x12
3ply size 12 1000pcs
machine film 23mic 3 rolls
double layer 1.2m bubble x5
5 ply box size 1 10pcs size 2 10pcs
10 tape guns pls
报销量 黑膜12卷
卖了1606 10卷
销量补报 昨天 五层1号 12个
自封袋8丝的 5号卖完了 卖了90包
今天卖了印字胶带六箱""".split('\n')
edit = {  # old text -> new text (lang becomes mixed)
'黑膜还有吗': 'black film 还有吗',
'1910塑钢带啥时候到货': '1910塑钢带 ETA 啥时候',
'发货了没有啊 等着用呢': '发货了没有啊 urgent 等着用呢',
'查下上周的订单状态': '查下上周的order status',
'我要取消订单': '我要cancel订单',
'价格表发一份': 'price list 发一份',
'小卷膜价格': 'mini film 30cm 什么价',
'售后申请 小卷膜一卷 发黄': 'after sales 申请 小卷膜一卷 发黄',
'客户反映一卷面单打印出来是白的 不显色': '客户反映一卷waybill label打出来是白的 不显色',
'收货少了一卷1910': '收货 short 了一卷1910',
'打包扣 整盒都生锈': 'PET seals 整盒都生锈',
'我的工单': '我的tickets 看一下',
'查一下我所有的售后工单': '查一下我所有的after-sales ticket',
'查下我的销售数据': '查下我的sales data',
'本季度达成率': '本季度target达成率',
'发一下11月的对账单': '发一下11月的statement',
'信用额度还剩多少': 'credit limit 还剩多少',
'海报能寄几张过来吗': 'poster能寄几张过来吗',
'发票怎么开': 'invoice怎么开',
'嗨 在线吗': 'hi 在线吗',
'好的收到': 'ok 收到',
'有什么功能': 'help 一下 有什么功能',
}
rm = set(remove); done = set(); ed = set()
for fn in sorted(glob.glob('b*.txt')):
    out = []
    for line in open(fn, encoding='utf-8'):
        t = line.split('||')[0].rstrip(' ')
        if t in rm and not line.startswith('//'):
            out.append('//' + line); done.add(t); continue
        if t in edit:
            parts = line.split('||')
            code = parts[1].split()
            assert code[1] == 'zh', line
            code[1] = 'mixed'
            parts[0] = edit[t] + ' '; parts[1] = ' ' + ' '.join(code) + (' ' if len(parts) == 3 else '\n')
            line = '||'.join(parts); ed.add(t)
        out.append(line)
    open(fn, 'w', encoding='utf-8').write(''.join(out))
print('removed', len(done), 'of', len(rm), set(rm) - done)
print('edited', len(ed), 'of', len(edit), set(edit) - ed)
