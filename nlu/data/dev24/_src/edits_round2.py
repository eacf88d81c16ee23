# one-off hand edits applied to the batches (round 2): drop some zh orders, rewrite some lines as mixed
import io
DEL = """竹本菜板小号20块
奶锅18cm的 十个
蒸锅30 3个 锅盖30 3个
同上周一样来一批
搞几个福满8L的
gg32 15个
lr3 20套
fm-12 两个
QY45B 3箱
筷子 10盒
电饭煲 3台
16cm奶锅 8个
安心4升两台5升两台
福满4L 6L 8L 各2
彩釉碗米白 墨绿 各48个
奶锅16的6个18的6个
蒸锅28 30各两个
饭伴3格、4格 各十五
竹本特大号 3块
奶锅20cm 6个
数量翻倍吧
雾蓝碗 20个
暖途350 白 蓝 粉 各12
利刃5件套 补8套
ms24f 10 ms26f 10""".split('\n')
REP = [
("PO|z|model_in_name|ax6 4台|AX6:4", "PO|m|model_in_name|ax6 4台 pls|AX6:4"),
("PO|z|family|军绿保温杯来六个|NT750-GN:6", "PO|m|family|军绿 bottle 来六个|NT750-GN:6"),
("PO|z|unknown_product|空气炸锅来两台|-|unk=空气炸锅", "PO|m|unknown_product|airfryer 来两台|-|unk=airfryer"),
("PO|z|family|老铁的锅来5口|-", "PO|m|family|老铁 wok 来5口|-"),
("PO|z|family|30炒锅 来6口|-", "PO|m|family|30cm wok 来6口|-"),
("PO|z|numerals|利刃9件套来1百套 搞活动用|LR9:100", "PO|m|numerals|利刃9件套来1百套 for promotion|LR9:100"),
("PO|z|numerals|竹本大号*16|ZB-L:16", "PO|m|numerals|bamboo board 大号*16|ZB-L:16"),
("PO|z|list_verbs|补货 晶盒3格 15个|JH3:15", "PO|m|list_verbs|restock 晶盒3格 15个|JH3:15"),
("PO|z|family|青韵盘子8寸 10寸各两箱|QY8P:2,QY10P:2", "PO|m|family|青韵 plate 8寸 10寸各两箱|QY8P:2,QY10P:2"),
("PO|z|numerals|钛晶32 两打|TJ32:24", "PO|m|numerals|钛晶32 two dozen|TJ32:24"),
("PO|z|model_in_name|MS28W x6 MS30W x4|MS28W:6,MS30W:4", "PO|e|model_in_name|MS28W x6 MS30W x4|MS28W:6,MS30W:4"),
("PO|z|family|暖途500 黑24个 白12 蓝12个|NT500-BK:24,NT500-WH:12,NT500-BL:12", "PO|m|family|暖途500 black 24个 white 12 blue 12个|NT500-BK:24,NT500-WH:12,NT500-BL:12"),
("PO|z|family|老铁30 8口 老铁32 6口 再来锅盖30 8个 32 6个|LT30:8,LT32:6,GG30:8,GG32:6", "PO|m|family|老铁30 8口 老铁32 6口 再来 glass lid 30 8个 32 6个|LT30:8,LT32:6,GG30:8,GG32:6"),
("PO|z|family|麦石煎锅 28的 6个 26的 6个 24的 4个|MS28F:6,MS26F:6,MS24F:4", "PO|m|family|麦石 frying pan 28的 6个 26的 6个 24的 4个|MS28F:6,MS26F:6,MS24F:4"),
("QS|z|plain|青韵10寸盘库存多少|p=QY10P", "QS|m|plain|青韵10寸 plate 库存多少|p=QY10P"),
("AS|z|plain|申请售后 麦石煎锅24|p=MS24F", "AS|m|plain|申请 after sales 麦石煎锅24|p=MS24F"),
]
import glob
done_del, done_rep = set(), set()
for fn in sorted(glob.glob('b*.txt')):
    out = []
    for line in open(fn, encoding='utf-8').read().split('\n'):
        f = line.split('|')
        if line.startswith('PO|z|') and len(f) > 3 and f[3] in DEL: done_del.add(f[3]); continue
        for a, b in REP:
            if line == a: line = b; done_rep.add(a)
        out.append(line)
    open(fn, 'w', encoding='utf-8').write('\n'.join(out))
print(set(DEL) - done_del, [a for a, b in REP if a not in done_rep])
