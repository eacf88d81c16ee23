# tiny slot helpers: texts are all hand-typed in the batch files
def I(*p):
    return [{"sku": "SG-" + s, "qty": q} for s, q in p]
def S(s):
    return None if s is None else "SG-" + s
def po(t, items, kind, lang="zh", removed=None, unknown=None, order_no=None):
    sl = {"items": items}
    if removed: sl["removed"] = [S(x) for x in removed]
    if unknown: sl["unknown"] = unknown
    if order_no: sl["order_no"] = order_no
    return (t, "place_order", sl, lang, kind)
def rs(t, items, kind, lang="zh", unknown=None, order_no=None):
    sl = {"items": items}
    if unknown: sl["unknown"] = unknown
    if order_no: sl["order_no"] = order_no
    return (t, "report_sales", sl, lang, kind)
def pr(intent, t, p, kind, lang="zh", order_no=None):
    sl = {"product": S(p)}
    if order_no: sl["order_no"] = order_no
    return (t, intent, sl, lang, kind)
def on(intent, t, o, kind, lang="zh"):
    return (t, intent, {"order_no": o}, lang, kind)
def tk(t, p, o, kind, lang="zh"):
    return (t, "ticket_status", {"product": S(p), "order_no": o}, lang, kind)
def ns(intent, t, kind, lang="zh", order_no=None):
    return (t, intent, ({"order_no": order_no} if order_no else {}), lang, kind)
