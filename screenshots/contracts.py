"""Screenshots of the Contracts area (called by dialogs.py): the Contracts page, the
receivables, a contract's window on its terms, payments, review and after-sales, and the
contract's PDF preview."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def take_contracts(app: QApplication, window: QWidget, services: object, me: object,
                   lang: str, out: Path,
                   when_open: Callable[[QApplication, Callable[[QWidget], None]], None],
                   shoot: Callable[[QApplication, QWidget, Path], None]) -> None:
    from funneldesk.enums import ContractState
    from funneldesk.ui.contracts.contract_window import open_contract
    from funneldesk.ui.contracts.page import ContractsPage

    window.show_page("contracts")  # type: ignore[attr-defined]
    page = window.pages["contracts"]  # type: ignore[attr-defined]
    assert isinstance(page, ContractsPage)
    while page.status_text() == "":
        app.processEvents()
    shoot(app, window, out / f"contracts-{lang}.png")
    page.tabs.setCurrentIndex(1)
    shoot(app, window, out / f"receivables-{lang}.png")
    page.tabs.setCurrentIndex(0)
    workspace = page.workspace
    rows = page.model.rows
    # one in review (or, in a smaller sample, the one nearest to it)
    reviewing = min((r for r in rows if r.signed_on is None), key=lambda r: (
        r.state is not ContractState.IN_REVIEW, r.state is ContractState.CANCELLED))
    # a signed contract with the most to show: paid in part, visited
    served = max((r for r in rows if r.signed_on is not None and r.state in (
        ContractState.RETURNED, ContractState.ARCHIVED)), key=lambda r: r.signed_on or 0)

    def review(dialog: QWidget) -> None:
        shoot(app, dialog, out / f"contract-terms-{lang}.png")
        dialog.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"contract-review-{lang}.png")
        dialog.done(0)  # type: ignore[attr-defined]

    when_open(app, review)
    open_contract(workspace, reviewing.id, window)

    def money(dialog: QWidget) -> None:
        dialog.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"contract-payments-{lang}.png")
        dialog.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"contract-signing-{lang}.png")
        dialog.tabs.setCurrentIndex(4)  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"contract-after-sales-{lang}.png")
        dialog.done(0)  # type: ignore[attr-defined]

    when_open(app, money)
    open_contract(workspace, served.id, window)

    def preview(dialog: QWidget) -> None:
        while dialog.data is None:  # type: ignore[attr-defined]
            app.processEvents()
        for _ in range(5):
            app.processEvents()
        shoot(app, dialog, out / f"contract-preview-{lang}.png")
        dialog.done(0)  # type: ignore[attr-defined]

    page.table.selectRow(next(i for i, r in enumerate(page.model.rows) if r.id == served.id))
    when_open(app, preview)
    page.preview()
