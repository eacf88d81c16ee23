"""What waits, in the back office (``/backoffice/queues``): the same queues as the chat's /today, from the same
use case (``core.services.queues``).

- ``/backoffice/queues``: each queue of the reader's jobs with how many wait and how many are late, the first
  few named, a link to the list;
- ``/backoffice/queues/{queue}?dealer=D0007&status=late&offset=20``: one queue, 20 a page, filtered by dealer
  (code or part of the name; several matches are listed to choose from) and status, with links to where each
  item is worked on. A queue outside the reader's job answers 403, as the chat refuses it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from admin.pages import BackofficePages
from core.errors import NotFound
from core.services.dealers import list_dealers
from core.services.queues import (
    QUEUE_LABELS,
    STATUS_FILTER_LABELS,
    STATUS_FILTERS,
    Queue,
    QueueFilter,
    QueueItem,
    queue_page,
    waiting_counts,
)
from core.users import Actor

Handler = Callable[[Request, Actor], Awaitable[Response]]
PAGE = 20

# where an item is worked on in the back office (queues without a page of their own are worked in chat)
WORKED_AT: dict[Queue, str] = {
    Queue.TICKETS: "/backoffice/tickets", Queue.QUALITY: "/backoffice/quality",
    Queue.DOCUMENTS: "/backoffice/qualifications", Queue.MATERIALS: "/backoffice/materials",
    Queue.DISPUTES: "/backoffice/statements", Queue.REFUNDS: "/backoffice/payments", Queue.CREDIT: "/backoffice/credit",
    Queue.REPORTS: "/backoffice/campaigns",
}


def _label(queue: Queue) -> str:
    zh, en = QUEUE_LABELS[queue]
    return f"{zh} {en}"


class QueuePages(BackofficePages):
    def routes(self, r: Callable[[Handler], Any]) -> list[Route]:
        return [Route("/queues", r(self.index)), Route("/queues/{queue:str}", r(self.queue))]

    def _line(self, item: QueueItem) -> str:
        e = self._e
        late = "⏰ " if item.late else ""
        return f"{late}{e(item.ref)} {e(item.dealer)} {e(item.summary)}"

    async def index(self, request: Request, actor: Actor) -> Response:
        e = self._e
        counts = await waiting_counts(self.uow_factory(), actor, self.clock, top=3)
        rows = []
        for c in counts:
            top = "<br>".join(self._line(i) for i in c.top)
            rows.append(f"<tr><td><a href='/backoffice/queues/{c.queue.value}'>{e(_label(c.queue))}</a></td>"
                        f"<td>{c.total}</td><td>{c.late}</td><td>{top}</td></tr>")
        body = ("<table border='1'><thead><tr><th>待办 Queue</th><th>数量 Waiting</th><th>超时 Late</th>"
                f"<th>最早 First</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
        return self._page("今日待办 What is waiting", body)

    async def queue(self, request: Request, actor: Actor) -> Response:
        e = self._e
        try:
            queue = Queue(request.path_params["queue"])
        except ValueError:
            raise NotFound(zh="没有这个待办列表", en="No such queue") from None
        params = request.query_params
        words = (params.get("dealer") or "").strip()
        status = (params.get("status") or "").strip() or None
        offset = int(params["offset"]) if (params.get("offset") or "").isdigit() else 0
        dealer_id = None
        note = ""
        if words:
            found = await list_dealers(self.uow_factory(), actor, search=words, limit=11)
            exact = [d for d in found if d.code.upper() == words.upper()]
            found = exact or found
            if len(found) == 1:
                dealer_id = found[0].id
            elif found:
                links = "、".join(f"<a href='?{urlencode({'dealer': d.code, 'status': status or ''})}'>"
                                 f"{e(d.code)} {e(d.name)}</a>" for d in found[:10])
                note = f"<p>“{e(words)}”对应多家经销商 fits several dealers: {links}</p>"
            else:
                note = f"<p>没有找到经销商 No dealer matches “{e(words)}”</p>"
        page = await queue_page(self.uow_factory(), actor, queue, self.clock,
                                filter=QueueFilter(dealer_id, status), offset=offset, limit=PAGE)
        options = "".join(f"<option value='{e(s)}'{' selected' if s == status else ''}>"
                          f"{e(' '.join(STATUS_FILTER_LABELS[s]))}</option>" for s in STATUS_FILTERS.get(queue, ()))
        form = (f"<form method='get'><input name='dealer' value='{e(words)}' placeholder='经销商 dealer code/name'>"
                + (f"<select name='status'><option value=''>全部 any</option>{options}</select>" if options else "")
                + "<button>筛选 Filter</button></form>")
        worked = WORKED_AT.get(queue)
        rows = "".join(
            f"<tr><td>{'⏰ ' if i.late else ''}{e(i.ref)}</td><td>{e(i.dealer)}</td>"
            f"<td>{e(i.status_label[0])} {e(i.status_label[1])}</td><td>{e(i.summary)}</td>"
            f"<td>{e(i.at.astimezone(self.clock.tz).strftime('%Y-%m-%d %H:%M') if i.at else '')}</td>"
            f"<td>{f'<a href={chr(39)}{worked}{chr(39)}>处理 Work on it</a>' if worked else '在聊天中处理 in chat'}</td></tr>"
            for i in page.items)
        table = ("<table border='1'><thead><tr><th>编号 Ref</th><th>经销商 Dealer</th><th>状态 Status</th>"
                 f"<th>内容 What</th><th>时间 When</th><th></th></tr></thead><tbody>{rows}</tbody></table>")
        keep = {"dealer": words, "status": status or ""}
        pager = []
        if page.has_prev:
            pager.append(f"<a href='?{urlencode({**keep, 'offset': max(0, page.offset - PAGE)})}'>◀ 上一页 Previous</a>")
        if page.has_next:
            pager.append(f"<a href='?{urlencode({**keep, 'offset': page.offset + PAGE})}'>下一页 Next ▶</a>")
        where = (f"<p>第 {page.offset + 1}–{page.offset + len(page.items)} 条，共 {page.total} 条"
                 f"（未筛选 {page.unfiltered}）{page.offset + 1}–{page.offset + len(page.items)} of {page.total}</p>"
                 if page.items else "<p>目前没有待处理的事项 Nothing waits</p>")
        return self._page(_label(queue), "<p><a href='/backoffice/queues'>← 今日待办 All queues</a></p>" + form + note
                          + where + table + " ".join(pager))
