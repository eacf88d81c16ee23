"""English words dealers use for products whose catalogue is written in Chinese.

A dealer writing English ("2 cases of brake fluid", "black pens x 20") names the product by its common
noun, and the catalogue (the maker's master data) has Chinese names only. Each English word or phrase
here lists the Chinese words it may stand for; ``nlu.products.ProductIndex`` gives the English word the
products of every Chinese word of the list that the catalogue has (a word naming several products stays
generic, as in Chinese: the dealer is asked). The list is the trade's general vocabulary across the lines
dealers sell (it was written from general knowledge, not from any labelled message); a maker's own English
names belong in the product aliases.
"""

from __future__ import annotations

from nlu.english_variants import COLOURS, VARIANT_WORDS

GLOSSARY: dict[str, tuple[str, ...]] = {
    # vehicles and car care
    "tyre": ("轮胎", "胎"), "tire": ("轮胎", "胎"), "tyres": ("轮胎", "胎"), "inner tube": ("内胎",),
    "battery": ("电瓶", "电池", "蓄电池"), "batteries": ("电瓶", "电池"),
    "engine oil": ("机油",), "motor oil": ("机油",), "oil": ("机油", "油"), "diesel oil": ("柴机油",),
    "brake fluid": ("刹车油", "制动液"), "brake pads": ("刹车片",), "brake pad": ("刹车片",),
    "pads": ("刹车片",), "coolant": ("防冻液", "冷却液"),
    "antifreeze": ("防冻液",), "washer fluid": ("玻璃水",), "windshield washer": ("玻璃水",),
    "wiper": ("雨刮", "雨刷"), "wipers": ("雨刮", "雨刷"), "wiper blade": ("雨刮", "雨刷"),
    "wiper blades": ("雨刮", "雨刷"), "frameless": ("无骨",), "fuel additive": ("燃油宝", "燃油添加剂"),
    "car wax": ("车蜡",), "wax": ("蜡",), "tyre shine": ("轮胎光亮剂", "轮胎蜡"), "tire shine": ("轮胎光亮剂",),
    "air pump": ("打气泵", "充气泵"), "tyre inflator": ("打气泵", "充气泵"), "inflator": ("打气泵", "充气泵"),
    "compressor": ("打气泵", "充气泵", "压缩机"), "valve stem": ("气门嘴",), "valve stems": ("气门嘴",),
    "tpms": ("胎压监测", "胎压"), "wheel weights": ("平衡块",), "puncture repair": ("补胎",),
    "repair strips": ("补胎条",), "tyre sealant": ("补胎液",), "ceramic coating": ("镀晶", "陶瓷"),
    "charger": ("充电器",), "controller": ("控制器",), "motor": ("电机",), "helmet": ("头盔",),
    "lithium": ("锂电",), "lead acid": ("铅酸",), "filter": ("滤芯", "滤网", "滤清器"),
    "oil filter": ("机油滤芯", "机滤"), "air filter": ("空气滤芯", "空滤"), "spark plug": ("火花塞",),
    # building, plumbing, electrical, paint
    "pipe": ("管",), "pipes": ("管",), "cold pipe": ("冷水管",), "cold water pipe": ("冷水管",),
    "hot pipe": ("热水管",), "hot water pipe": ("热水管",), "drain pipe": ("排水管",), "union valve": ("活接",),
    "union valves": ("活接",), "brass valve": ("铜球阀", "铜阀"), "brass ball valve": ("铜球阀",),
    "basin tap": ("面盆龙头", "台盆龙头"), "basin mixer": ("面盆龙头", "台盆龙头"), "kitchen tap": ("厨房龙头",),
    "kitchen mixer": ("厨房龙头",), "tap": ("龙头", "水龙头"), "taps": ("龙头", "水龙头"), "reducer": ("异径", "大小头"),
    "end cap": ("管帽", "堵头"), "braided hose": ("编织管", "编织软管"), "shower hose": ("花洒软管", "淋浴管"),
    "ptfe tape": ("生料带",), "thread tape": ("生料带",),
    "roller": ("滚筒",), "rollers": ("滚筒",), "brush": ("刷",), "brushes": ("刷",), "thinner": ("稀释剂", "天那水"),
    "masking tape": ("美纹纸",), "insole": ("鞋垫",), "insoles": ("鞋垫",), "laces": ("鞋带",),
    "shoelaces": ("鞋带",), "shoe polish": ("鞋油",), "slippers": ("拖鞋", "棉拖", "凉拖"), "slides": ("凉拖",), "elbow": ("弯头",), "elbows": ("弯头",), "tee": ("三通",),
    "tees": ("三通",), "coupling": ("直接",), "couplings": ("直接",), "valve": ("阀", "阀门"),
    "ball valve": ("球阀",), "faucet": ("龙头", "水龙头"), "shower": ("花洒",),
    "shower head": ("花洒",), "basin": ("面盆", "台盆"), "toilet": ("马桶", "坐便器"), "bathtub": ("浴缸",),
    "drain": ("地漏",), "floor drain": ("地漏",), "tile": ("瓷砖", "砖"), "tiles": ("瓷砖", "砖"),
    "grout": ("美缝",), "wire": ("线", "电线"), "cable": ("线", "电缆"), "flex": ("软线",),
    "earth wire": ("地线",), "ground wire": ("地线",), "socket": ("插座",), "sockets": ("插座",),
    "switch": ("开关",), "switches": ("开关",), "back box": ("暗盒", "底盒"), "back boxes": ("暗盒", "底盒"),
    "blank plate": ("白板", "空白面板"), "blank plates": ("白板", "空白面板"), "breaker": ("断路器", "空开"),
    "lamp": ("灯",), "bulb": ("灯泡", "球泡"), "bulbs": ("灯泡", "球泡"), "downlight": ("筒灯",),
    "downlights": ("筒灯",), "spotlight": ("射灯",), "ceiling light": ("吸顶灯",), "ceiling lights": ("吸顶灯",),
    "led strip": ("灯带",), "light strip": ("灯带",), "strip": ("灯带", "灯条"), "panel light": ("面板灯",),
    "conduit": ("穿线管", "线管"), "mcb": ("断路器", "空开"), "rcd": ("漏保", "漏电保护"), "rcbo": ("漏保",),
    "distribution box": ("配电箱",), "consumer unit": ("配电箱",), "power strip": ("排插", "插排"),
    "extension lead": ("排插", "插排"), "network cable": ("网线",), "lan cable": ("网线",), "led": ("led",), "paint": ("漆", "涂料"),
    "primer": ("底漆",), "latex paint": ("乳胶漆",), "waterproofing": ("防水",), "putty": ("腻子",),
    "gypsum board": ("石膏板",), "fire-rated": ("防火",),
    # boards, flooring and what goes with them
    "plywood": ("多层板", "胶合板"), "particle board": ("颗粒板", "刨花板"), "particleboard": ("颗粒板", "刨花板"),
    "chipboard": ("颗粒板", "刨花板"), "mdf": ("密度板",), "fibreboard": ("密度板",), "fiberboard": ("密度板",),
    "eco board": ("生态板",), "melamine board": ("生态板", "三聚氰胺板"), "laminate": ("强化地板", "复合地板"),
    "laminate flooring": ("强化地板", "复合地板"), "flooring": ("地板",), "skirting": ("踢脚线", "踢脚板"),
    "skirting board": ("踢脚线", "踢脚板"), "baseboard": ("踢脚线", "踢脚板"), "underlay": ("防潮膜", "地垫"),
    "edge band": ("封边条", "封边"), "edge banding": ("封边条", "封边"), "edging": ("封边条", "封边"),
    "t-mould": ("t型扣条", "扣条"), "t-molding": ("t型扣条", "扣条"), "t moulding": ("t型扣条", "扣条"),
    "hot melt": ("热熔胶",), "hot melt glue": ("热熔胶",), "contact glue": ("万能胶",), "contact adhesive": ("万能胶",),
    "white glue": ("白乳胶",), "wood glue": ("白乳胶",), "pva glue": ("白乳胶",),
    "furring channel": ("副龙骨",), "glue": ("胶",),
    "sealant": ("密封胶", "玻璃胶"), "silicone": ("玻璃胶",), "tape": ("胶带", "胶布"), "electrical tape": ("电工胶布", "胶布"), "insulating tape": ("绝缘胶布", "胶布"),
    # tools and fasteners
    "drill": ("电钻", "钻"), "impact drill": ("冲击钻",), "hammer drill": ("电锤",), "rotary hammer": ("电锤",),
    "angle grinder": ("角磨机",), "grinder": ("角磨机", "磨光机"), "circular saw": ("电圆锯",),
    "saw blade": ("锯片",), "saw blades": ("锯片",), "drill bit": ("钻头",),
    "drill bits": ("钻头",), "cutting disc": ("切割片",),
    "cutting discs": ("切割片",), "grinding disc": ("磨片",), "screwdriver": ("螺丝刀", "起子"),
    "wrench": ("扳手",), "spanner": ("扳手",), "pliers": ("钳",), "hammer": ("锤",), "tape measure": ("卷尺",),
    "measuring tape": ("卷尺",), "gloves": ("手套",), "glove": ("手套",),
    "screw": ("螺丝", "螺钉"), "screws": ("螺丝", "螺钉"), "self-tapping": ("自攻",), "bolt": ("螺栓",),
    "bolts": ("螺栓",),     "anchors": ("膨胀螺丝", "膨胀"), "expansion bolt": ("膨胀螺丝",), "nail": ("钉",), "nails": ("钉",),
    "ladder": ("梯",), "toolbox": ("工具箱",), "tool kit": ("工具套装", "套装"),     # office
    "paper": ("纸",), "copy paper": ("复印纸",), "a4 paper": ("a4",), "a3 paper": ("a3",),
    "thermal paper": ("热敏纸", "收银纸"), "receipt paper": ("收银纸", "热敏纸"), "pen": ("笔",),
    "pens": ("笔",), "gel pen": ("中性笔",), "gel pens": ("中性笔",), "refill": ("笔芯",), "refills": ("笔芯",),
    "marker": ("记号笔", "白板笔"), "markers": ("记号笔", "白板笔"), "whiteboard marker": ("白板笔",),
    "highlighter": ("荧光笔",), "pencil": ("铅笔",), "toner": ("硒鼓", "粉盒", "墨粉"),
    "toner cartridge": ("硒鼓",), "cartridge": ("墨盒", "硒鼓"), "ink cartridge": ("墨盒",), "ink": ("墨水", "墨"),
    "drum unit": ("鼓架", "感光鼓"), "stapler": ("订书机",),
    "staples": ("订书钉",), "binder clip": ("长尾夹",), "binder clips": ("长尾夹",), "folder": ("文件夹",),
    "folders": ("文件夹",), "file box": ("档案盒",), "notebook": ("笔记本", "本"), "notebooks": ("笔记本", "本"),
    "shredder": ("碎纸机",), "laminator": ("过塑机", "塑封机"), "binding machine": ("装订机",),
    "calculator": ("计算器",), "envelope": ("信封",), "envelopes": ("信封",), "sticky notes": ("便利贴",),
    # food, drink, household
    "milk": ("奶", "牛奶"), "plain milk": ("纯奶", "纯牛奶"), "whole milk": ("纯奶", "全脂"), "skim": ("脱脂",),
    "yogurt": ("酸奶",), "yoghurt": ("酸奶",), "beer": ("啤酒",), "dark beer": ("黑啤",), "black beer": ("黑啤",),
    "wheat beer": ("白啤", "小麦"), "white beer": ("白啤",),     "wine": ("葡萄酒", "红酒"), "liquor": ("白酒",), "baijiu": ("白酒",),     "tea": ("茶",), "ice tea": ("冰红茶", "冰茶"), "iced tea": ("冰红茶", "冰茶"), "juice": ("果汁",),
    "cola": ("可乐",), "coffee": ("咖啡",), "noodles": ("面",), "instant noodles": ("方便面", "面"),
    "snack": ("零食",), "rice": ("大米", "米"), "flour": ("面粉",), "cooking oil": ("食用油",),
    "soy sauce": ("酱油",), "vinegar": ("醋",), "salt": ("盐",), "sugar": ("糖",),
    "toothpaste": ("牙膏",), "toothbrush": ("牙刷",), "shampoo": ("洗发水", "香波"), "body wash": ("沐浴露",),
    "soap": ("香皂", "肥皂"), "dish soap": ("洗洁精",), "detergent": ("洗衣液", "洗衣粉"),
    "laundry detergent": ("洗衣液",), "washing powder": ("洗衣粉",), "tissue": ("纸巾", "抽纸", "卷纸"),
    "tissues": ("纸巾", "抽纸"), "toilet paper": ("卷纸",), "tissue rolls": ("卷纸",), "toilet rolls": ("卷纸",),
    "toilet roll": ("卷纸",), "wipes": ("湿巾",), "buns": ("包子", "包"), "bun": ("包子", "包"),
    "dumplings": ("水饺", "饺子"), "dumpling": ("水饺", "饺子"), "cream": ("奶油",), "lactic drink": ("乳酸菌",),
    "cheese stick": ("奶酪棒",), "cheese sticks": ("奶酪棒",), "ice lolly": ("冰棒", "冰棍"), "popsicle": ("冰棒", "冰棍"),
    "strap": ("打包带",), "straps": ("打包带",), "strapping": ("打包带",), "zip bag": ("自封袋",), "zip bags": ("自封袋",),
    "stretch film": ("缠绕膜",), "hand film": ("手用膜", "缠绕膜"),
    "diapers": ("纸尿裤", "尿不湿"), "diaper": ("纸尿裤", "尿不湿"), "nappies": ("纸尿裤",), "pull-ups": ("拉拉裤",),
    "pull ups": ("拉拉裤",), "training pants": ("拉拉裤",), "breast pump": ("吸奶器",), "breast pumps": ("吸奶器",),
    "baby formula": ("奶粉",), "formula": ("奶粉",), "milk powder": ("奶粉",), "baby bottle": ("奶瓶",),
    "baby bottles": ("奶瓶",), "pacifier": ("安抚奶嘴", "奶嘴"), "teats": ("奶嘴",), "baby food": ("辅食",),
    "rice cereal": ("米粉",), "lavender": ("薰衣草",), "lemon": ("柠檬",), "mint": ("薄荷",),
    "strawberry": ("草莓",), "peach": ("桃",), "whitening": ("美白",),
    # farm
    "fertilizer": ("肥", "化肥"), "urea": ("尿素",), "compound fertilizer": ("复合肥",), "seed": ("种子",),
    "seeds": ("种子",), "herbicide": ("除草剂",), "pesticide": ("杀虫剂", "农药"), "insecticide": ("杀虫剂",),
    "fungicide": ("杀菌剂",), "glyphosate": ("草甘膦",), "glufosinate": ("草铵膦",),
    # appliances and electronics
    "air purifier": ("净化器", "空气净化器"), "purifier": ("净化器",), "dehumidifier": ("除湿机",),
    "water purifier": ("净水器",), "humidifier": ("加湿器",), "fan": ("风扇",), "heater": ("取暖器",),
    "water heater": ("热水器",), "range hood": ("油烟机",), "hob": ("燃气灶", "灶"), "stove": ("灶",),
    "rice cooker": ("电饭煲",), "kettle": ("电水壶",), "microwave": ("微波炉",), "fridge": ("冰箱",),
    "refrigerator": ("冰箱",), "air conditioner": ("空调",), "washing machine": ("洗衣机",), "tv": ("电视",),
    "phone case": ("手机壳",), "screen protector": ("钢化膜", "贴膜"), "power bank": ("充电宝",),
    # bedding and home textiles
    "towel": ("毛巾",), "towels": ("毛巾",), "bath towel": ("浴巾",), "bath towels": ("浴巾",),
    "hotel towel": ("酒店白毛巾", "酒店毛巾"), "hotel towels": ("酒店白毛巾", "酒店毛巾"), "pillow": ("枕",),
    "pillows": ("枕",), "pillowcase": ("枕套",), "pillowcases": ("枕套",), "duvet": ("被",), "duvets": ("被",),
    "quilt": ("被",), "quilts": ("被",), "comforter": ("被",), "mattress": ("床垫",), "mattresses": ("床垫",),
    "fitted sheet": ("床笠",), "fitted sheets": ("床笠",), "bed sheet": ("床单",), "bed sheets": ("床单",),
    "bedding set": ("四件套",), "bedding sets": ("四件套",), "summer mat": ("凉席",), "sleeping mat": ("凉席",),
    "bamboo mat": ("竹席",), "bamboo mats": ("竹席",), "rattan mat": ("藤席",), "rattan mats": ("藤席",),
    "gan": ("氮化镓",), "fast charger": ("快充",), "wireless": ("无线",), "earphones": ("耳机",), "headphones": ("耳机",), "cable charger": ("数据线",), "data cable": ("数据线",),
}

#: words that only narrow a product word next to them ("black pens", "rear pads", "small bottles"): never a
#: product on their own ("can you", "the right one")
MODIFIERS: dict[str, tuple[str, ...]] = {
    "black": ("黑色", "黑"), "white": ("白色", "白"), "red": ("红色", "红"), "blue": ("蓝色", "蓝"),
    "green": ("绿色", "绿"), "yellow": ("黄色", "黄"), "grey": ("灰色", "灰"), "gray": ("灰色", "灰"),
    "silver": ("银色",), "gold": ("金色",), "pink": ("粉色",), "purple": ("紫色",), "orange": ("橙色",),
    "brown": ("棕色",), "colour": ("彩色",), "color": ("彩色",),
    "front": ("前轮", "前片", "前"), "rear": ("后轮", "后片", "后"), "left": ("左",),
    "right": ("右",), "inner": ("内",), "internal": ("内置",), "outer": ("外",), "external": ("外置",),
    "large": ("大号", "大"), "big": ("大号", "大"), "small": ("小瓶", "小号", "小"), "medium": ("中号",), "med": ("中号",),
    "mini": ("迷你", "mini"), "kids": ("儿童",), "children": ("儿童",), "adult": ("成人",),
    "summer": ("夏季",), "winter": ("冬季", "雪地"), "snow": ("雪地",),
    "warm": ("暖光", "暖白", "暖"), "cool": ("冷光", "白光", "冷白"), "daylight": ("白光", "日光"),
    "gang": ("开",), "hole": ("孔",), "way": ("回路", "位"), "inch": ("寸",),
    "single": ("单开", "单层", "单"), "double": ("双开", "双层", "双"), "triple": ("三开", "三层"),
    "round": ("圆",), "square": ("方",), "bamboo": ("竹",), "plastic": ("塑料",), "steel": ("不锈钢", "钢"),
    "glass": ("玻璃",), "nonstick": ("不粘",), "earth": ("双色", "地线"),
    # materials, finishes and workings, as dealers write them in English for a catalogue in Chinese
    "stainless": ("不锈钢",), "iron": ("铸铁", "铁"), "copper": ("铜",), "brass": ("黄铜", "铜"),
    "aluminium": ("铝",), "aluminum": ("铝",), "wood": ("木",), "wooden": ("木",), "ceramic": ("陶瓷",),
    "enamel": ("珐琅",), "silicone": ("硅胶",), "rubber": ("橡胶",), "leather": ("皮",), "cotton": ("棉",),
    "brushed": ("拉丝",), "matte": ("哑光",), "gloss": ("亮光",), "glossy": ("亮光",), "chrome": ("镀铬", "铬"),
    "quiet": ("静音",), "silent": ("静音",), "heating": ("加热",), "visual": ("可视",), "electric": ("电动",),
    "manual": ("手动",), "cordless": ("无线",), "wireless": ("无线",), "long": ("长",), "short": ("短",),
    "latex": ("乳胶",), "buckwheat": ("荞麦",), "memory foam": ("记忆棉",), "silk": ("蚕丝", "丝"),
    "soybean": ("大豆",), "coir": ("椰棕",), "folding": ("折叠",), "washed cotton": ("水洗棉",),
    "thick": ("厚",), "thin": ("薄",), "high": ("高",), "low": ("低",), "layer": ("层",),
    # flavours and contents
    "original": ("原味",), "plain": ("原味", "原"), "classic": ("经典", "原味"), "strawberry": ("草莓",),
    "tomato": ("番茄",), "cucumber": ("黄瓜",), "bbq": ("烧烤",), "barbecue": ("烧烤",), "lemon": ("柠檬",),
    "lime": ("青柠",), "apple": ("苹果",), "peach": ("桃",), "mango": ("芒果",), "grape": ("葡萄",),
    "chocolate": ("巧克力",), "choc": ("巧克力",), "vanilla": ("香草",), "milk": ("牛奶", "奶"), "spicy": ("香辣", "辣"),
    "cumin": ("孜然",), "beef": ("牛肉",), "chicken": ("鸡肉",), "fish": ("鱼",), "pork": ("猪肉",),
    "sugarfree": ("无糖",), "diet": ("无糖",), "salted": ("盐",), "jasmine": ("茉莉",), "oolong": ("乌龙",),
    "latte": ("拿铁",), "americano": ("美式",), "custard": ("奶黄",), "red bean": ("红豆",), "cabbage": ("白菜",),
    "greek": ("希腊",), "taro": ("芋头", "香芋"), "matcha": ("抹茶",), "coconut": ("椰子", "椰"), "blueberry": ("蓝莓",),
    # packs of drinks
    "can": ("听", "罐"), "cans": ("听", "罐"), "canned": ("听装", "罐装"), "bottle": ("瓶装", "瓶"), "bottles": ("瓶装", "瓶"),
    "bottled": ("瓶装",),
}
# and every variant word of the bilingual vocabulary dealers use for the words that end Chinese names ("blk", "slv",
# "gunmetal", "full overlay"): its Chinese word, a colour also with 色
MODIFIERS.update({said: (chinese + "色", chinese) if chinese in COLOURS else (chinese,)
                  for chinese, spellings in VARIANT_WORDS.items() for said in spellings if said not in MODIFIERS})
