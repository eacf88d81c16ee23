"""A step-by-step chat form declared as data: ``Form(prefix, steps=[Step(name, ask, parse, skippable)], summary,
submit)``. The one step machine of the guided forms (after-sales, quality, apply, campaign reports, material
requests; sell-out uses its confirm): which step comes next, skip / keep / done / typed answers, the summary and
the exactly-once submission.

State and payloads, for a form with prefix ``as``::

    as.<step>          the step being asked; typed answers (text, photos, a shared contact) go to ``Form.answer``
    as.confirm         the summary is shown; its submit button is ``as.ok|<nonce>``
    as.skip            skip the step being asked (skippable steps only; typed skip words too)
    as.keep            take the proposed answer of a step (``Step.keep``, e.g. the opening words as the description)
    as.done            end a photo step (typed done words too)
    as.<action>        a step's own buttons (``Step.buttons``: as.sku, as.pcat, as.prio ...), valid at that step only

The dialog data holds the form's ``nonce``, the names of the answered steps (``done``) and the answers; the
first step not in ``done`` is asked next, so steps the opening words already answer are passed over. After the
submit use case succeeds the chat goes idle but remembers ``nonce -> reference`` (``handlers.flows.forms``): a
second tap on the same submit button answers with the same reference instead of submitting again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.masking import mask_text
from handlers.catalogue import parse_message
from handlers.context import Ctx
from handlers.flows import forms
from handlers.flows.leaving import another_request, leave, receipt_typed
from handlers.messages import Button, InboundKind, Reply
from handlers.router import Router, payload
from nlu.replies import is_confirmation, is_keep, is_question
from nlu.schema import Intent

# What a step makes of an answer: the values to store (the step is then done), or the replies to show (it is not).
Answer = dict[str, Any] | list[Reply]
Ask = Callable[["Form", Ctx], Awaitable[list[Reply]]]
Parse = Callable[["Form", Ctx, str], Awaitable[Answer]]
# a step's own button, given the button's first argument: an Answer, or None for a stale / forged button
Press = Callable[["Form", Ctx, str], Awaitable[Answer | None]]
Summary = Callable[[Ctx], Awaitable[str]]
# the submit use case: (reference to remember, replies); a None reference remembers nothing (the form failed)
Submit = Callable[[Ctx], Awaitable[tuple[str | None, list[Reply]]]]
Resubmitted = Callable[[Ctx, str], Awaitable[list[Reply]]]
Guard = Callable[[Ctx], "list[Reply] | None"]
Shown = Callable[[Ctx], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Step:
    """One question of a form.

    ``ask`` builds the question (default: the text ``<prefix>.ask.<name>`` over the step's skip/cancel buttons);
    ``parse`` reads a typed answer (default: the text itself, stored under the step's name, at most ``limit``
    characters); ``skippable`` offers Skip; ``photos`` makes it a photo step ended with Done (``photos_needed``:
    the text shown when Done comes before any photo); ``contact``: a shared contact's phone is parsed as the
    answer; ``keep``: the data key of a proposed answer offered with a "use this" button; ``buttons``: the step's
    own button actions (without the prefix).
    """

    name: str
    ask: Ask | None = None
    parse: Parse | None = None
    skippable: bool = False
    limit: int | None = None
    photos: bool = False
    photos_needed: str = ""
    contact: bool = False
    keep: str = ""
    buttons: Mapping[str, Press] = field(default_factory=dict)
    leaves: bool = False        # another request typed here leaves the form (a phone, a choice: no free text)


@dataclass(frozen=True)
class Form:
    """A guided form: ``prefix`` names its states and buttons, ``cancel`` the prefix of its cancel button.

    ``title``: a text key shown above the first question; ``use_buttons``: the text key for a typed message at the
    summary (followed by the summary again when ``repeat_summary``); ``reask_blank``: a message with no text is
    answered with the question again (else with a hint and the cancel button); ``guard``: who may submit;
    ``shown``: a form of one free-form answer and a summary of its own (the sell-out report) shown again when taken
    up (``resume``: ▶ 继续填写 after /menu).
    """

    prefix: str
    steps: Sequence[Step]
    summary: Summary | None
    submit: Submit
    resubmitted: Resubmitted
    cancel: str = ""
    title: str = ""
    use_buttons: str = ""
    repeat_summary: bool = True
    reask_blank: bool = True
    guard: Guard = forms.require_dealer
    shown: Shown | None = None
    own: frozenset[Intent] = frozenset()     # the form's own requests: their words at a step are this form's

    # --- wiring -------------------------------------------------------------------------------------

    def register(self, router: Router) -> None:
        """Route the form's buttons: submit, and skip / keep / done / the steps' own where a step has them."""
        FORMS[self.prefix] = self
        router.button(f"{self.prefix}.ok")(self.confirm)
        if any(s.skippable for s in self.steps):
            router.button(f"{self.prefix}.skip")(self.skip)
        if any(s.keep for s in self.steps):
            router.button(f"{self.prefix}.keep")(self.keep)
        if any(s.photos for s in self.steps):
            router.button(f"{self.prefix}.done")(self.photos_done)
        for s in self.steps:
            for action, press in s.buttons.items():
                router.button(f"{self.prefix}.{action}")(self._pressed(s, press))

    def _pressed(self, step: Step, press: Press) -> Callable[[Ctx], Awaitable[list[Reply]]]:
        async def handler(ctx: Ctx) -> list[Reply]:
            result = await press(self, ctx, forms.arg(ctx, 0)) if self.at(ctx, step.name) else None
            if result is None:
                return stale(ctx)
            return await self._take(ctx, step, result)
        return handler

    # --- where the form is --------------------------------------------------------------------------

    def begin(self, ctx: Ctx, **data: Any) -> None:
        """Start the form at its first step with a fresh nonce (``data``: what is known already)."""
        ctx.go(f"{self.prefix}.{self.steps[0].name}", nonce=forms.new_nonce(), done=[], photos=[], **data)

    def at(self, ctx: Ctx, *steps: str) -> bool:
        return ctx.dialog.state in {f"{self.prefix}.{s}" for s in steps}

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def current(self, ctx: Ctx) -> str:
        state = ctx.dialog.state
        return state.removeprefix(f"{self.prefix}.") if state.startswith(f"{self.prefix}.") else ""

    def mark_done(self, ctx: Ctx, step: str, **values: Any) -> None:
        """Store ``values`` and mark ``step`` answered."""
        ctx.dialog.data.update(values)
        done = list(ctx.dialog.data.get("done") or [])
        if step not in done:
            done.append(step)
        ctx.dialog.data["done"] = done

    async def next(self, ctx: Ctx, *, intro: bool = False) -> list[Reply]:
        """Ask the first unanswered step (under the title when ``intro``), or show the summary."""
        done = ctx.dialog.data.get("done") or []
        for s in self.steps:
            if s.name not in done:
                replies = await self.ask(ctx, s.name)
                if intro and self.title:
                    replies[0].text = f"{ctx.t(self.title)}\n{replies[0].text}"
                return replies
        return await self.show_summary(ctx)

    # --- questions ----------------------------------------------------------------------------------

    def controls(self, ctx: Ctx, step: str) -> list[list[Button]]:
        """Skip (for optional steps) and cancel buttons under a question."""
        s = self.step(step)
        row = [Button(ctx.t("form.skip"), payload(f"{self.prefix}.skip"))] if s is not None and s.skippable else []
        return [row + forms.cancel_row(ctx, self.cancel or self.prefix)]

    def reject(self, ctx: Ctx, step: str, text: str) -> list[Reply]:
        """An answer not taken: what is wrong, over the step's buttons."""
        return [Reply(text=text, buttons=self.controls(ctx, step))]

    def done_button(self, ctx: Ctx) -> list[Button]:
        return [Button(ctx.t("form.done"), payload(f"{self.prefix}.done"))]

    async def ask(self, ctx: Ctx, name: str) -> list[Reply]:
        ctx.dialog.state = f"{self.prefix}.{name}"
        s = self.step(name)
        assert s is not None, name
        if s.ask is not None:
            return await s.ask(self, ctx)
        hint = ctx.dialog.data.get(s.keep) if s.keep else None
        if hint:
            return [Reply(text=ctx.t(f"{self.prefix}.ask.{name}_hint", **{name: mask_text(str(hint))}),
                          buttons=[[Button(ctx.t(f"{self.prefix}.keep_{name}"), payload(f"{self.prefix}.keep"))],
                                   *self.controls(ctx, name)])]
        if s.photos:
            return [Reply(text=ctx.t(f"{self.prefix}.ask.{name}", max=forms.MAX_PHOTOS),
                          buttons=[self.done_button(ctx), *self.controls(ctx, name)])]
        return [Reply(text=ctx.t(f"{self.prefix}.ask.{name}"), buttons=self.controls(ctx, name))]

    async def show_summary(self, ctx: Ctx) -> list[Reply]:
        ctx.dialog.state = f"{self.prefix}.confirm"
        assert self.summary is not None
        text = await self.summary(ctx)
        return [Reply(text=text, buttons=[[Button(ctx.t("form.submit"), payload(f"{self.prefix}.ok",
                                                                                   ctx.dialog.data["nonce"]))],
                                          forms.cancel_row(ctx, self.cancel or self.prefix)])]

    # --- answers ------------------------------------------------------------------------------------

    async def _take(self, ctx: Ctx, step: Step, result: Answer) -> list[Reply]:
        if isinstance(result, list):
            return result
        self.mark_done(ctx, step.name, **result)
        return await self.next(ctx)

    async def skip(self, ctx: Ctx) -> list[Reply]:
        s = self.step(self.current(ctx))
        if s is None or not s.skippable:
            return stale(ctx)
        self.mark_done(ctx, s.name)
        return await self.next(ctx)

    async def keep(self, ctx: Ctx) -> list[Reply]:
        s = self.step(self.current(ctx))
        hint = ctx.dialog.data.get(s.keep) if s is not None and s.keep else None
        if s is None or not hint:
            return stale(ctx)
        self.mark_done(ctx, s.name, **{s.name: hint})
        return await self.next(ctx)

    async def photos_done(self, ctx: Ctx) -> list[Reply]:
        s = self.step(self.current(ctx))
        if s is None or not s.photos:
            return stale(ctx)
        if s.photos_needed and not ctx.dialog.data.get("photos"):
            return [Reply(text=ctx.t(s.photos_needed))] + await self.ask(ctx, s.name)
        self.mark_done(ctx, s.name)
        return await self.next(ctx)

    async def answer(self, ctx: Ctx) -> list[Reply]:
        """A typed message, photo or shared contact while the form is at one of its steps or its summary."""
        name = self.current(ctx)
        if name == "confirm":
            if is_confirmation(forms.text_of(ctx)):        # "确认", "好的 提交": ✅ pressed on the summary shown
                ctx.args = [str(ctx.dialog.data.get("nonce", ""))]
                return await self.confirm(ctx)
            hint = [Reply(text=ctx.t(self.use_buttons))]
            return hint + await self.show_summary(ctx) if self.repeat_summary else hint
        s = self.step(name)
        if s is None:
            return stale(ctx)
        if s.photos:
            if forms.is_photo(ctx):
                return [forms.add_photos(ctx, f"{self.prefix}.done")]
            if forms.is_done(forms.text_of(ctx)):
                return await self.photos_done(ctx)
            if receipt_typed(ctx):                      # "SO-… 货到了 少了1台": that order's claim
                raise leave(ctx, self._title(ctx))
            if forms.text_of(ctx) and (aside := await self.aside(ctx, name)) is not None:
                return aside
            if await another_request(ctx, own=self.own, new_of_own=True):
                raise leave(ctx, self._title(ctx))      # a new report typed where photos are wanted: that report
            return [Reply(text=ctx.t("form.photo_wanted"), buttons=[self.done_button(ctx)])]
        if s.contact and s.parse is not None and ctx.inbound.kind == InboundKind.CONTACT and ctx.inbound.phone:
            return await self._take(ctx, s, await s.parse(self, ctx, ctx.inbound.phone))
        text = forms.text_of(ctx)
        if not text:
            if self.reask_blank:
                return [Reply(text=ctx.t("form.text_wanted"))] + await self.ask(ctx, name)
            return [Reply(text=ctx.t("form.text_wanted"), buttons=[forms.cancel_row(ctx, self.cancel or self.prefix)])]
        if s.keep and ctx.dialog.data.get(s.keep) and is_keep(text):     # "就用这个": what was said before, kept
            return await self.keep(ctx)
        if forms.is_skip(text):
            if s.skippable:
                self.mark_done(ctx, name)
                return await self.next(ctx)
            # "跳过" at the problem's description was stored as the problem: a step the form needs says so
            return [Reply(text=ctx.t("form.required"))] + await self.ask(ctx, name)
        if s.parse is not None and receipt_typed(ctx):
            raise leave(ctx, self._title(ctx))                    # "SO-… 全部收到": that order's receipt
        if name != "product" and (order := await _an_order(ctx, text)) is not None:
            return order                                          # "AP300 来二十台" is no customer's name
        if name != "product" and is_question(text) and (aside := await self.aside(ctx, name)) is not None:
            return aside                                          # "我那单审了没" is no batch, "预存款呢" no count
        if s.leaves and await another_request(ctx, own=self.own):
            # "报名", "申请物料 海报 3套" at the phone step: not a phone, that request (was: "电话号码无效")
            raise leave(ctx, self._title(ctx))
        if s.parse is not None:
            return await self._take(ctx, s, await s.parse(self, ctx, text))
        if s.limit is not None and len(text) > s.limit:
            return self.reject(ctx, name, ctx.t("form.text_too_long", limit=s.limit))
        return await self._take(ctx, s, {name: text})

    def _title(self, ctx: Ctx) -> str:
        return ctx.t(self.title) if self.title else ""

    async def aside(self, ctx: Ctx, name: str) -> list[Reply] | None:
        """A question typed where the step wants a product or photos ("工单怎么样了", "上次那单到哪了", often into a
        form left there): answered, then the step asked again; None when the words are no such question."""
        parsed = await parse_message(ctx)
        if parsed.intent in (Intent.AFTER_SALES, Intent.QUALITY_FEEDBACK, Intent.PLACE_ORDER):
            return None
        answer = await forms.answered_aside(ctx, parsed)
        if answer is None:
            return None
        kept = Reply(text=ctx.t("form.kept", title=ctx.t(self.title)) if self.title else ctx.t("form.kept_plain"))
        return [*answer, kept, *await self.ask(ctx, name)]

    # --- submit -------------------------------------------------------------------------------------

    async def confirm(self, ctx: Ctx) -> list[Reply]:
        """The submit button ``<prefix>.ok|<nonce>``: once per form, however often it is tapped."""
        nonce = forms.arg(ctx, 0)
        already = forms.submitted_ref(ctx, nonce)
        if already is not None:
            return await self.resubmitted(ctx, already)
        if not forms.form_is(ctx, f"{self.prefix}.confirm", nonce):
            return stale(ctx)
        refused = self.guard(ctx)
        if refused is not None:
            return refused
        ref, replies = await self.submit(ctx)
        if ref is not None:
            forms.remember_submitted(ctx, nonce, ref)
        return replies


#: every registered form by its prefix: which form a dialog state belongs to (``handlers.flows.drafts``)
FORMS: dict[str, Form] = {}


def form_of(ctx: Ctx) -> Form | None:
    """The form the chat is filling in (at one of its steps or its summary, with its nonce), else None."""
    prefix, _, step = ctx.dialog.state.partition(".")
    form = FORMS.get(prefix)
    if form is None or not ctx.dialog.data.get("nonce") or (step != "confirm" and form.step(step) is None):
        return None
    return form


async def resume(form: Form, ctx: Ctx) -> list[Reply]:
    """The question the form waits at asked again (the summary when it waits for the submit)."""
    if form.shown is not None:
        return await form.shown(ctx)
    name = form.current(ctx)
    return await form.show_summary(ctx) if name == "confirm" else await form.ask(ctx, name)


def stale(ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("error.button_stale"))]


# --- steps more than one form asks -----------------------------------------------------------------------

def product_step(*, skippable: bool = False) -> Step:
    """Which product: catalogue buttons (``<prefix>.sku|SKU``, by category ``<prefix>.pcat|n`` when the catalogue
    is long) or a typed name, SKU or alias; stored as ``sku``."""

    async def ask(form: Form, ctx: Ctx) -> list[Reply]:
        products = await forms.active_products(ctx)
        said = set(ctx.dialog.data.get("said_products") or [])
        offered = [p for p in products if p.sku in said]
        if offered:            # "滤网有股怪味": the filters first, not the whole catalogue
            return [Reply(text=ctx.t("form.pick_product"),
                          buttons=forms.product_buttons(ctx, offered, form.prefix, extra=form.controls(ctx, "product")))]
        return [Reply(text=ctx.t(forms.product_prompt_key(products)),
                      buttons=forms.product_buttons(ctx, products, form.prefix, extra=form.controls(ctx, "product")))]

    async def unknown(form: Form, ctx: Ctx, text: str) -> list[Reply]:
        products = await forms.active_products(ctx)
        return [Reply(text=ctx.t("form.product_unknown", text=text),
                      buttons=forms.product_buttons(ctx, products, form.prefix, extra=form.controls(ctx, "product")))]

    async def parse(form: Form, ctx: Ctx, text: str) -> Answer:
        sku = forms.match_product(text, await forms.active_products(ctx))
        if sku is not None:
            return {"sku": sku}
        # "工单怎么样了" at the product step (a form left there): answered, the form kept
        if (aside := await form.aside(ctx, "product")) is not None:
            return aside
        return await unknown(form, ctx, forms.clip(text, 30))

    async def pick(form: Form, ctx: Ctx, sku: str) -> Answer | None:
        if not any(p.sku == sku for p in await forms.active_products(ctx)):
            return await unknown(form, ctx, sku)
        return {"sku": sku}

    async def category(form: Form, ctx: Ctx, index: str) -> Answer | None:
        products = await forms.active_products(ctx)
        return [Reply(text=ctx.t("form.pick_product"),
                      buttons=forms.product_buttons(ctx, products, form.prefix,
                                                    category=int(index) if index.isdigit() else None,
                                                    extra=form.controls(ctx, "product")))]

    return Step("product", ask=ask, parse=parse, skippable=skippable, buttons={"sku": pick, "pcat": category})


async def _an_order(ctx: Ctx, text: str) -> list[Reply] | None:
    """A free-text answer that the parser reads as an order of known products ("淨化器AP300 來二十台" typed into
    the after-sales form's customer name): not taken; the dealer is offered the order (one tap: into the cart,
    leaving the form) or types the answer again. A name, a phone or a description never names a product with a
    count, so nothing a form needs is refused."""
    if not ctx.is_dealer or not any(ch.isdigit() or ch in "一二两三四五六七八九十百" for ch in text):
        return None
    parsed = await parse_message(ctx)
    if parsed.intent != Intent.PLACE_ORDER or not parsed.slots.items or parsed.confidence < 0.5:
        return None
    items = parsed.slots.items[:3]
    said = "、".join(f"{i.sku} ×{i.qty}" for i in items)
    rows = [[Button(ctx.t("form.order_these", items=f"{i.sku} ×{i.qty}"), payload("order.add", i.sku, i.qty))]
            for i in items]
    return [Reply(text=ctx.t("form.looks_like_order", items=said), buttons=rows)]
