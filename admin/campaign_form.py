"""The campaign create / edit form of the back office (``/backoffice/campaigns/new``,
``/backoffice/campaigns/{id}/edit``): name, period, target regions / tiers / dealer codes, SKUs, support and
budget, saved through ``core.services.campaigns.create_campaign`` / ``update_campaign`` (which check
CAMPAIGN_WRITE, validate and audit). Lists are typed comma-separated (``华东, 华南``); dealers by their codes.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin.pages import BackofficePages
from core.authz import require
from core.campaigns import Campaign
from core.errors import ValidationFailed
from core.services import campaigns
from core.users import Actor, Permission

_SEPARATORS = re.compile(r"[,，、;；\s]+")


def _list(value: object) -> list[str]:
    return list(dict.fromkeys(v for v in _SEPARATORS.split(str(value or "")) if v))


def _date(form: FormData, name: str, label: str) -> date:
    text = str(form.get(name) or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(zh=f"请填写{label}（YYYY-MM-DD）", en=f"Please give the {name} as YYYY-MM-DD",
                               reason=name) from None


def _budget(form: FormData) -> Decimal:
    text = str(form.get("budget") or "0").strip().replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(zh=f"预算金额无效：{text}", en=f"Invalid budget: {text}", reason="budget") from None
    if not value.is_finite():
        raise ValidationFailed(zh=f"预算金额无效：{text}", en=f"Invalid budget: {text}", reason="budget")
    return value


class CampaignForm(BackofficePages):
    async def _dealer_ids(self, codes: list[str]) -> list[int]:
        if not codes:
            return []
        async with self.uow_factory() as uow:
            found = {d.code: d.id for d in await uow.dealers.list(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationFailed(zh=f"经销商编码不存在：{', '.join(missing)}",
                                   en=f"No dealer with code {', '.join(missing)}", reason="dealer_codes")
        return [i for i in (found[c] for c in codes) if i is not None]

    async def _dealer_codes(self, ids: list[int]) -> list[str]:
        if not ids:
            return []
        async with self.uow_factory() as uow:
            return sorted(d.code for d in await uow.dealers.list(id__in=ids))

    def _form(self, action: str, c: Campaign | None, codes: list[str], prefill: dict[str, str] | None = None) -> str:
        e = self._e
        given = prefill or {}

        def field(name: str, label: str, value: object, kind: str = "text", extra: str = "") -> str:
            return (f"<p><label>{e(label)} <input name='{name}' type='{kind}' value='{e(value)}' {extra}>"
                    "</label></p>")

        code = ("<p>编号 Code: " + e(c.code) + "</p>") if c is not None else \
            field("code", "活动编号 Code", "", extra="required")
        return (f"<form method='post' action='{e(action)}'>{code}"
                + field("name", "名称 Name", c.name if c else given.get("name", ""), extra="required")
                + field("starts_on", "开始 Starts", c.starts_on if c else "", "date", "required")
                + field("ends_on", "结束 Ends", c.ends_on if c else "", "date", "required")
                + field("regions", "目标大区 Regions（逗号分隔）", ", ".join(c.target_regions) if c else "")
                + field("tiers", "目标等级 Tiers（A, B）", ", ".join(c.target_tiers) if c else "")
                + field("dealer_codes", "指定经销商编码 Dealer codes", ", ".join(codes))
                + field("skus", "活动产品 SKUs（空=全部 empty: all）", ", ".join(c.skus) if c else "")
                + field("support", "支持政策 Support", c.support if c else "")
                + field("budget", "预算 Budget (CNY)", c.budget if c else "0.00", extra="inputmode='decimal'")
                + f"<p><label>说明 Description <textarea name='description'>"
                  f"{e(c.description if c else given.get('description', ''))}"
                  "</textarea></label></p><button>保存 Save</button></form>")

    async def new(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CAMPAIGN_WRITE)
        # a link may carry the name and description to fill in (?name=…&description=…); chat has its own form now
        prefill = {k: str(request.query_params.get(k, ""))[:500] for k in ("name", "description")}
        return self._page("新建活动 New campaign", self._form("/backoffice/campaigns/new", None, [], prefill))

    async def create(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CAMPAIGN_WRITE)
        form = await request.form()
        campaign = await campaigns.create_campaign(self.uow_factory(), actor, campaigns.CreateCampaign(
            code=str(form.get("code") or ""), name=str(form.get("name") or ""),
            starts_on=_date(form, "starts_on", "开始日期"), ends_on=_date(form, "ends_on", "结束日期"),
            description=str(form.get("description") or ""), support=str(form.get("support") or ""),
            budget=_budget(form), target_regions=_list(form.get("regions")), target_tiers=_list(form.get("tiers")),
            target_dealer_ids=await self._dealer_ids(_list(form.get("dealer_codes"))),
            skus=_list(form.get("skus"))), self.clock)
        return RedirectResponse(f"/backoffice/campaigns/{campaign.id}", status_code=303)

    async def edit(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CAMPAIGN_WRITE)
        cid: int = request.path_params["id"]
        campaign = await campaigns.get_campaign(self.uow_factory(), actor, cid)
        codes = await self._dealer_codes(campaign.target_dealer_ids)
        return self._page(f"编辑活动 Edit {campaign.code}", self._form(f"/backoffice/campaigns/{cid}/edit", campaign,
                                                                     codes))

    async def update(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CAMPAIGN_WRITE)
        cid: int = request.path_params["id"]
        form = await request.form()
        await campaigns.update_campaign(self.uow_factory(), actor, cid, campaigns.UpdateCampaign(
            name=str(form.get("name") or ""), starts_on=_date(form, "starts_on", "开始日期"),
            ends_on=_date(form, "ends_on", "结束日期"), description=str(form.get("description") or ""),
            support=str(form.get("support") or ""), budget=_budget(form),
            target_regions=_list(form.get("regions")), target_tiers=[t.upper() for t in _list(form.get("tiers"))],
            target_dealer_ids=sorted(set(await self._dealer_ids(_list(form.get("dealer_codes"))))),
            skus=_list(form.get("skus"))), self.clock)
        return RedirectResponse(f"/backoffice/campaigns/{cid}", status_code=303)
