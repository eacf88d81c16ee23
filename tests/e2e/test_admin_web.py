"""The SQLAdmin staff web over HTTP: login, sessions, rate limit, CSRF guard, role-based screens,
writes through units of work with audit entries, the read-only audit log."""

from __future__ import annotations

import re
from decimal import Decimal

import httpx
import pytest

from admin.auth import hash_password
from core.services import users as user_cases
from core.uscc import make_uscc
from core.users import Role
from tests.e2e.conftest import (
    ADMIN_PASSWORD,
    BASE_URL,
    SYSTEM,
    Web,
    add_dealer,
    add_order,
    add_product,
    add_staff,
)

SAME_ORIGIN = {"Origin": BASE_URL}


async def login(web: Web, username: str, password: str = ADMIN_PASSWORD) -> httpx.Response:
    return await web.client.post("/admin/login", data={"username": username, "password": password},
                                 headers=SAME_ORIGIN)


async def test_login_page_renders(web: Web) -> None:
    response = await web.client.get("/admin/login")
    assert response.status_code == 200
    assert 'name="username"' in response.text and 'name="password"' in response.text
    assert "DMS 经销商管理" in response.text


async def test_every_admin_page_requires_login(web: Web) -> None:
    for path in ("/admin/", "/admin/dealer/list", "/admin/audit-entry/list", "/admin/user/edit/1"):
        response = await web.client.get(path)
        assert response.status_code == 302, path
        assert response.headers["location"].endswith("/admin/login")


async def test_wrong_password_is_refused(web_any: Web) -> None:
    await add_staff(web_any, "zhang.admin", Role.ADMIN)
    response = await login(web_any, "zhang.admin", "not the password")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.text and "Invalid username or password" in response.text
    assert (await web_any.client.get("/admin/dealer/list")).status_code == 302

    unknown = await login(web_any, "nobody", "whatever-password")
    assert unknown.status_code == 400 and "用户名或密码错误" in unknown.text


async def test_login_then_list_pages_render(web_any: Web) -> None:
    await add_staff(web_any, "zhang.admin", Role.ADMIN)
    dealer = await add_dealer(web_any, "D0001", "杭州华信电器有限公司")
    await add_product(web_any, "AP300", "空气净化器 AP300", "1999.00")
    await add_order(web_any, "SO-20261126-0001", dealer, [("AP300", 2, "1999.00")])

    response = await login(web_any, "zhang.admin")
    assert response.status_code == 302 and response.headers["location"].endswith("/admin/")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie

    dealers = await web_any.client.get("/admin/dealer/list")
    assert dealers.status_code == 200 and "杭州华信电器有限公司" in dealers.text
    orders = await web_any.client.get("/admin/order/list")
    assert orders.status_code == 200 and "SO-20261126-0001" in orders.text
    details = await web_any.client.get(f"/admin/dealer/details/{dealer}")
    assert details.status_code == 200 and "D0001" in details.text
    for identity in ("product", "tier-price", "dealer-price", "promotion", "warehouse", "stock-level", "ticket",
                     "user", "audit-entry"):
        assert (await web_any.client.get(f"/admin/{identity}/list")).status_code == 200, identity

    await web_any.client.get("/admin/logout")
    assert (await web_any.client.get("/admin/dealer/list")).status_code == 302


async def test_dealer_user_can_never_log_in(web_any: Web) -> None:
    dealer = await add_dealer(web_any, "D0001", "杭州华信电器有限公司")
    user = await user_cases.create_dealer_user(web_any.uow(), SYSTEM, user_cases.CreateDealerUser(
        dealer_id=dealer, username="li.owner", display_name="李老板", role=Role.DEALER_OWNER), web_any.clock)
    async with web_any.uow() as uow:        # even with a password hash planted on the row
        stored = await uow.users.get(user.id or 0)
        assert stored is not None
        stored.password_hash = hash_password(ADMIN_PASSWORD)
        await uow.commit()

    response = await login(web_any, "li.owner")
    assert response.status_code == 400 and "用户名或密码错误" in response.text
    assert (await web_any.client.get("/admin/dealer/list")).status_code == 302


async def test_inactive_or_passwordless_staff_cannot_log_in(web: Web) -> None:
    await add_staff(web, "chat.only", Role.ORDER_DESK, password=None)
    assert (await login(web, "chat.only")).status_code == 400
    staff_id = await add_staff(web, "wang.left", Role.ADMIN)
    assert (await login(web, "wang.left")).status_code == 302
    assert (await web.client.get("/admin/dealer/list")).status_code == 200
    await user_cases.deactivate_user(web.uow(), SYSTEM, staff_id, web.clock)
    # the open session dies with the account
    assert (await web.client.get("/admin/dealer/list")).status_code == 302
    assert (await login(web, "wang.left")).status_code == 400


async def test_login_attempts_are_rate_limited(web: Web) -> None:
    await add_staff(web, "zhang.admin", Role.ADMIN)
    for _ in range(5):
        assert (await login(web, "zhang.admin", "guess-guess")).status_code == 400
    limited = await login(web, "zhang.admin")          # even the right password now waits
    assert limited.status_code == 429
    assert "登录尝试过于频繁" in limited.text
    other = await add_staff(web, "li.admin", Role.ADMIN)
    assert other and (await login(web, "li.admin")).status_code == 302   # per username


async def test_unsafe_admin_requests_need_same_origin(web: Web) -> None:
    await add_staff(web, "zhang.admin", Role.ADMIN)
    data = {"username": "zhang.admin", "password": ADMIN_PASSWORD}
    no_origin = await web.client.post("/admin/login", data=data)
    assert no_origin.status_code == 403
    foreign = await web.client.post("/admin/login", data=data, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    by_referer = await web.client.post("/admin/login", data=data,
                                       headers={"Referer": f"{BASE_URL}/admin/login"})
    assert by_referer.status_code == 302

    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    forged = await web.client.post("/admin/product/edit/1", headers={"Origin": "https://evil.example"}, data={
        "sku": "AP300", "name": "hacked", "category": "x", "unit": "台", "list_price": "1.00", "aliases": "[]",
        "pack_size": "1", "moq": "1", "save": "Save"})
    assert forged.status_code == 403
    async with web.uow() as uow:
        product = await uow.products.get_by(sku="AP300")
    assert product is not None and product.name == "空气净化器 AP300"


async def test_audit_view_is_read_only(web_any: Web) -> None:
    await add_staff(web_any, "zhang.admin", Role.ADMIN)
    await add_dealer(web_any, "D0001", "杭州华信电器有限公司")          # writes "dealer.create"
    await login(web_any, "zhang.admin")

    listed = await web_any.client.get("/admin/audit-entry/list")
    assert listed.status_code == 200 and "dealer.create" in listed.text
    assert "/admin/audit-entry/edit/" not in listed.text
    assert "/admin/audit-entry/create" not in listed.text
    assert "/admin/audit-entry/delete" not in listed.text
    async with web_any.uow() as uow:
        entry = (await uow.audit.list(action="dealer.create"))[0]
    details = await web_any.client.get(f"/admin/audit-entry/details/{entry.id}")
    assert details.status_code == 200
    assert "/admin/audit-entry/edit/" not in details.text

    assert (await web_any.client.get(f"/admin/audit-entry/edit/{entry.id}")).status_code == 403
    edit = await web_any.client.post(f"/admin/audit-entry/edit/{entry.id}", headers=SAME_ORIGIN,
                                     data={"actor": "nobody", "save": "Save"})
    assert edit.status_code == 403
    delete = await web_any.client.delete(f"/admin/audit-entry/delete?pks={entry.id}", headers=SAME_ORIGIN)
    assert delete.status_code == 403
    assert (await web_any.client.get("/admin/audit-entry/create")).status_code == 403
    async with web_any.uow() as uow:
        assert (await uow.audit.get(entry.id or 0)) is not None
        assert (await uow.audit.get(entry.id or 0)).actor == "system"  # type: ignore[union-attr]


async def test_screens_follow_the_role(web: Web) -> None:
    await add_staff(web, "zhao.desk", Role.ORDER_DESK)
    await login(web, "zhao.desk")
    index = await web.client.get("/admin/")
    assert index.status_code == 200
    assert "/admin/order/list" in index.text
    assert "/admin/user/list" not in index.text and "/admin/audit-entry/list" not in index.text
    assert (await web.client.get("/admin/user/list")).status_code == 403
    assert (await web.client.get("/admin/audit-entry/list")).status_code == 403
    # the order desk reads products but may not change the catalogue
    assert (await web.client.get("/admin/product/list")).status_code == 200
    assert (await web.client.get("/admin/product/create")).status_code == 403
    # and sets stock (STOCK_WRITE)
    assert (await web.client.get("/admin/stock-level/create")).status_code == 200


async def test_admin_creates_a_product_with_audit(web_any: Web) -> None:
    await add_staff(web_any, "zhang.admin", Role.ADMIN)
    await login(web_any, "zhang.admin")
    response = await web_any.client.post("/admin/product/create", headers=SAME_ORIGIN, data={
        "sku": "DH20", "name": "除湿机 DH20", "category": "除湿机", "unit": "台", "list_price": "1299.5",
        "aliases": '["DH20", "除湿机20"]', "pack_size": "1", "moq": "2", "active": "y", "save": "Save"})
    assert response.status_code == 302, response.text
    async with web_any.uow() as uow:
        product = await uow.products.get_by(sku="DH20")
        audit = await uow.audit.list(entity="product")
    assert product is not None
    assert (product.list_price, product.aliases, product.moq, product.active) == (
        Decimal("1299.50"), ["DH20", "除湿机20"], 2, True)
    assert [(a.action, a.actor, a.entity_id) for a in audit] == [("product.admin_create", "staff:zhang.admin", "DH20")]
    assert audit[0].after["list_price"] == "1299.50"

    bad = await web_any.client.post("/admin/product/create", headers=SAME_ORIGIN, data={
        "sku": "DH30", "name": "除湿机 DH30", "category": "除湿机", "unit": "台", "list_price": "-1",
        "aliases": "[]", "pack_size": "1", "moq": "1", "save": "Save"})
    assert bad.status_code == 400 and "价格不能为负" in bad.text
    async with web_any.uow() as uow:
        assert await uow.products.get_by(sku="DH30") is None


async def test_admin_sets_checks_and_clears_a_products_line_limit(web: Web) -> None:
    """The product form edits max_line_qty (positive, not below the MOQ, empty = default); the list shows
    the limit in force, the default spelled out."""
    await add_staff(web, "zhang.admin", Role.ADMIN)
    await login(web, "zhang.admin")
    form = {"sku": "FL-1", "name": "滤网", "category": "滤网耗材", "unit": "片", "list_price": "59.00",
            "aliases": "[]", "pack_size": "10", "moq": "2", "active": "y", "save": "Save"}
    created = await web.client.post("/admin/product/create", headers=SAME_ORIGIN,
                                    data={**form, "max_line_qty": "500"})
    assert created.status_code == 302, created.text[-2000:]
    async with web.uow() as uow:
        product = await uow.products.get_by(sku="FL-1")
    assert product is not None and product.max_line_qty == 500 and product.id is not None
    assert "单行上限" in (await web.client.get(f"/admin/product/edit/{product.id}")).text

    for bad in ("0", "1", "100000", "-5"):          # 1 is below the MOQ of 2: nothing could be ordered
        refused = await web.client.post(f"/admin/product/edit/{product.id}", headers=SAME_ORIGIN,
                                        data={**form, "max_line_qty": bad})
        assert refused.status_code == 400 and "FL-1: 单行上限须为 2 到 99999 之间的整数" in refused.text, bad
    cleared = await web.client.post(f"/admin/product/edit/{product.id}", headers=SAME_ORIGIN,
                                    data={**form, "max_line_qty": ""})
    assert cleared.status_code == 302, cleared.text[-2000:]
    async with web.uow() as uow:
        product = await uow.products.get_by(sku="FL-1")
        audit = await uow.audit.list(entity="product", action="product.admin_update")
    assert product is not None and product.max_line_qty is None
    assert [(a.before["max_line_qty"], a.after["max_line_qty"]) for a in audit] == [(500, None)]
    listing = (await web.client.get("/admin/product/list")).text
    assert "10000（默认 default）" in listing


async def test_admin_edits_a_dealer_through_the_use_case(web: Web) -> None:
    await add_staff(web, "qian.channel", Role.CHANNEL_MANAGER)
    dealer = await add_dealer(web, "D0001", "杭州华信电器有限公司", tier="B")
    await login(web, "qian.channel")
    form = await web.client.get(f"/admin/dealer/edit/{dealer}")
    assert form.status_code == 200
    values = {name: value for name, value in re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', form.text)}
    fields = {k: values.get(k, "") for k in ("code", "name", "uscc", "province", "city", "region")}
    # an active dealer's credit limit changes by a credit request (/backoffice/credit), not in this form
    refused = await web.client.post(f"/admin/dealer/edit/{dealer}", headers=SAME_ORIGIN, data={
        **fields, "tier": "A", "business_scope": "家用电器销售", "credit_limit": "50000.00", "save": "Save"})
    assert refused.status_code == 400 and "须提交额度申请" in refused.text
    response = await web.client.post(f"/admin/dealer/edit/{dealer}", headers=SAME_ORIGIN, data={
        **fields, "tier": "A", "business_scope": "家用电器销售", "credit_limit": "0.00", "save": "Save"})
    assert response.status_code == 302, response.text
    async with web.uow() as uow:
        stored = await uow.dealers.get(dealer)
        audit = await uow.audit.list(entity="dealer", action="dealer.update")
    assert stored is not None
    assert (stored.tier, stored.business_scope, stored.credit_limit) == ("A", "家用电器销售", Decimal("0.00"))
    assert len(audit) == 1 and audit[0].actor == "staff:qian.channel"


async def test_user_screen_never_shows_the_password_hash(web: Web) -> None:
    admin_id = await add_staff(web, "zhang.admin", Role.ADMIN)
    desk_id = await add_staff(web, "zhao.desk", Role.ORDER_DESK)
    await login(web, "zhang.admin")
    for path in ("/admin/user/list", f"/admin/user/details/{admin_id}", f"/admin/user/edit/{desk_id}",
                 "/admin/user/export/csv"):
        response = await web.client.get(path)
        assert "$argon2" not in response.text, path
        assert "password_hash" not in response.text, path

    # a new password can be set (hashed), the hash itself is never typed in
    form = await web.client.post(f"/admin/user/edit/{desk_id}", headers=SAME_ORIGIN, data={
        "username": "zhao.desk", "display_name": "赵", "role": "order_desk", "dealer_id": "", "language": "zh-CN",
        "active": "y", "new_password": "a-new-long-password", "save": "Save"})
    assert form.status_code == 302, form.text
    async with web.uow() as uow:
        audit = await uow.audit.list(entity="user", action="user.admin_update")
    assert audit and all("password_hash" not in a.after and "password_hash" not in a.before for a in audit)
    await web.client.get("/admin/logout")
    assert (await login(web, "zhao.desk", "a-new-long-password")).status_code == 302


@pytest.mark.parametrize("identity", ["order", "ticket"])
async def test_state_machine_screens_are_read_only(web: Web, identity: str) -> None:
    await add_staff(web, "zhang.admin", Role.ADMIN)
    await login(web, "zhang.admin")
    assert (await web.client.get(f"/admin/{identity}/create")).status_code == 403
    assert (await web.client.get(f"/admin/{identity}/edit/1")).status_code == 403


async def test_reference_screens_create_edit_and_delete(web: Web) -> None:
    """SQLAdmin creates the imperatively mapped dataclasses through our units of work, with audit lines."""
    await add_staff(web, "zhang.admin", Role.ADMIN)
    dealer = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await login(web, "zhang.admin")

    async def create(identity: str, **data: str) -> None:
        response = await web.client.post(f"/admin/{identity}/create", headers=SAME_ORIGIN, data={**data, "save": "Save"})
        assert response.status_code == 302, f"{identity}: {response.text[-3000:]}"

    await create("warehouse", code="WH-SH", name="华东仓", region="华东", province="上海", city="上海")
    await create("tier-price", tier="A", sku="AP300", price="1699.00")
    await create("dealer-price", dealer_id=str(dealer), sku="AP300", price="1650")
    await create("promotion", code="DOUBLE11", name="双十一", kind="percent_off", starts_on="2026-11-01",
                 ends_on="2026-11-30", skus='["AP300"]', dealer_tiers="[]", percent="5", buy_qty="0",
                 free_qty="0", budget="10000.00", active="y")
    async with web.uow() as uow:
        warehouse = await uow.warehouses.get_by(code="WH-SH")
        assert warehouse is not None
    await create("stock-level", warehouse_id=str(warehouse.id), sku="AP300", on_hand="12")
    await create("dealer", name="宁波瑞丰电器有限公司", uscc=make_uscc("00004242"), province="浙江", city="宁波",
                 region="华东", tier="C", business_scope="", credit_limit="0")
    await create("user", username="sun.quality", display_name="孙", role="quality", dealer_id="",
                 language="zh-CN", active="y", new_password="quality-pass-123")

    async with web.uow() as uow:
        tier = await uow.tier_prices.get_by(tier="A", sku="AP300")
        special = await uow.dealer_prices.get_by(dealer_id=dealer, sku="AP300")
        promotion = await uow.promotions.get_by(code="DOUBLE11")
        stock = await uow.stock.get_by(sku="AP300")
        new_dealer = await uow.dealers.get_by(name="宁波瑞丰电器有限公司")
        user = await uow.users.get_by(username="sun.quality")
        actions = sorted(a.action for a in await uow.audit.list(actor="staff:zhang.admin"))
    assert tier is not None and tier.price == Decimal("1699.00")
    assert special is not None and special.price == Decimal("1650.00")
    assert promotion is not None and promotion.skus == ["AP300"] and promotion.percent == Decimal("5")
    assert stock is not None and (stock.on_hand, stock.reserved) == (12, 0)
    assert new_dealer is not None and new_dealer.code == "D0002" and new_dealer.status.value == "prospect"
    assert user is not None and user.role == Role.QUALITY and user.password_hash
    assert user.password_hash.startswith("$argon2")
    assert actions == ["dealer.create", "dealer_price.admin_create", "promotion.admin_create",
                       "stock.admin_create", "tier_price.admin_create", "user.admin_create",
                       "warehouse.admin_create"]

    edit = await web.client.post(f"/admin/stock-level/edit/{stock.id}", headers=SAME_ORIGIN,
                                 data={"on_hand": "20", "save": "Save"})
    assert edit.status_code == 302, edit.text[-2000:]
    deleted = await web.client.delete(f"/admin/tier-price/delete?pks={tier.id}", headers=SAME_ORIGIN)
    assert deleted.status_code == 200
    async with web.uow() as uow:
        stock_after = await uow.stock.get_by(sku="AP300")
        assert stock_after is not None and stock_after.on_hand == 20
        assert await uow.tier_prices.count() == 0
        trail = [(a.action, a.before.get("on_hand"), a.after.get("on_hand"))
                 for a in await uow.audit.list(entity="stock", order_by="id")]
        assert await uow.audit.count(action="tier_price.admin_delete") == 1
    assert trail == [("stock.admin_create", None, 12), ("stock.admin_update", 12, 20)]

    # editing a promotion keeps what it has spent (not a form field)
    async with web.uow() as uow:
        stored_promotion = await uow.promotions.get_by(code="DOUBLE11")
        assert stored_promotion is not None
        stored_promotion.spent = Decimal("120.00")
        await uow.commit()
    renamed = await web.client.post(f"/admin/promotion/edit/{promotion.id}", headers=SAME_ORIGIN, data={
        "code": "DOUBLE11", "name": "双十一大促", "kind": "percent_off", "starts_on": "2026-11-01",
        "ends_on": "2026-11-30", "skus": '["AP300"]', "dealer_tiers": "[]", "percent": "5", "buy_qty": "0",
        "free_qty": "0", "budget": "10000.00", "active": "y", "save": "Save"})
    assert renamed.status_code == 302, renamed.text[-2000:]
    async with web.uow() as uow:
        after = await uow.promotions.get_by(code="DOUBLE11")
    assert after is not None and (after.name, after.spent) == ("双十一大促", Decimal("120.00"))

    # a bad USCC is refused by the dealer use case and shown above the form
    refused = await web.client.post("/admin/dealer/create", headers=SAME_ORIGIN, data={
        "name": "无效公司", "uscc": "91330000000000000X", "province": "浙江", "city": "宁波", "region": "华东",
        "tier": "C", "business_scope": "", "credit_limit": "0", "save": "Save"})
    assert refused.status_code == 400
    assert "统一社会信用代码" in refused.text or "USCC" in refused.text
