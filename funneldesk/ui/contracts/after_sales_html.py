"""A deal's or a customer's contracts as their views show them, in rich text: the money
contracted, received, outstanding and overdue, the service promised, and the return
visits with what the customer said."""

from __future__ import annotations

from funneldesk import formatting
from funneldesk.i18n import _, ngettext
from funneldesk.services.contracts.records import AfterSales
from funneldesk.ui.common.rich_text import escaped, heading, para


def after_sales_html(after: AfterSales) -> str:
    if not (after.money or after.commitments or after.visits):
        return ""
    parts = [heading(_("Contracts and after-sales"))]
    for m in after.money:
        line = _("Contracted {contracted} · received {received} · outstanding "
                 "{outstanding}").format(contracted=formatting.money(m.contracted, m.currency),
                                         received=formatting.money(m.received, m.currency),
                                         outstanding=formatting.money(m.outstanding,
                                                                      m.currency))
        parts.append(para(line))
        if m.overdue:
            late = _("Overdue: {amount}").format(amount=formatting.money(m.overdue,
                                                                         m.currency))
            parts.append(f"<p style='color:#c62828'>{escaped(late)}</p>")
    for number, c in after.commitments:
        promised = [text for text in (
            c.support_scope,
            ngettext("response within {n} hour", "response within {n} hours",
                     c.response_hours).format(n=c.response_hours) if c.response_hours else "",
            ngettext("{n} month of warranty", "{n} months of warranty",
                     c.warranty_months).format(n=c.warranty_months)
            if c.warranty_months else "",
            _("contact: {name}").format(name=c.service_contact) if c.service_contact else "")
            if text]
        if promised:
            parts.append(para(f"{number}: " + "; ".join(promised)))
    done = [(n, v) for n, v in after.visits if v.satisfaction is not None or v.problems]
    planned = [(n, v) for n, v in after.visits if v.satisfaction is None and not v.done]
    if done:
        follow_up = _("Follow-up needed")
        items = "".join(
            "<li>" + escaped(_("{number}, {days}: {score}").format(
                number=n, days=ngettext("{n} day", "{n} days", v.after_days).format(
                    n=v.after_days),
                score=f"{v.satisfaction}/5" if v.satisfaction is not None else "—"))
            + (f" · {escaped(v.problems)}" if v.problems else "")
            + (f" · <b>{escaped(follow_up)}</b>" if v.follow_up_needed else "")
            + "</li>" for n, v in done)
        parts.append(para(_("Return visits:")) + f"<ul>{items}</ul>")
    if planned:
        first = min((v.due_on for _n, v in planned if v.due_on), default=None)
        parts.append(para(ngettext("{n} return visit planned", "{n} return visits planned",
                                   len(planned)).format(n=len(planned))
                          + (_(", the next on {date}").format(date=formatting.date(first))
                             if first else "")))
    return "".join(parts)
