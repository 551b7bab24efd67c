"""Saves a PNG of each dialog a move or an edit can open, in the states a user meets:
the new-deal form with its company list, a refused move with its boxes to tick, the Won
dialog refusing an amount, the Lost dialog, the pipeline editor's questions. zh_CN and en.

    python screenshots/dialogs.py [OUT_DIR]      (default: screenshots/out)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from funneldesk.i18n import _  # noqa: E402
from funneldesk.ui.board.board_page import board_page  # noqa: E402


def when_open(app: QApplication, act: Callable[[QWidget], None]) -> None:
    """Runs ``act`` on the next modal dialog once it shows."""
    before = app.activeModalWidget()

    def attempt() -> None:
        dialog = app.activeModalWidget()
        if dialog is None or dialog is before:
            QTimer.singleShot(20, attempt)
            return
        app.processEvents()
        act(dialog)

    QTimer.singleShot(50, attempt)


def shoot(app: QApplication, widget: QWidget, path: Path) -> None:
    app.processEvents()
    widget.grab().save(str(path))


def take(lang: str, out: Path) -> None:
    from take import demo_window  # the board's screenshot script, beside this one

    app, db, services, me, window = demo_window(lang, 300)
    page = board_page(window)
    services.customers.create_company(name="北京星辰科技有限公司", by=me)
    services.customers.create_company(name="星辰物流", by=me)
    columns = list(page.board.columns.values())
    target = columns[2].stage.id
    card = next(c for c in columns[0].model.visible_cards()
                if len(services.moves.can_move(deal_id=c.id, to_stage_id=target).exit) > 1)

    def new_deal(form: QWidget) -> None:
        picker = form.company  # type: ignore[attr-defined]
        event = QInputMethodEvent()
        event.setCommitString("星辰")
        QApplication.sendEvent(picker, event)
        shoot(app, form, out / f"new-deal-{lang}.png")
        shoot(app, picker.popup_list.popup(), out / f"company-list-{lang}.png")
        picker.popup_list.popup().hide()
        form.title.setText("ERP")  # type: ignore[attr-defined]
        picker.set_company(None)
        form.expected_close.edit.setText("2027/13/45")  # type: ignore[attr-defined]
        form.accept()  # type: ignore[attr-defined]  # refused at the date, nothing saved
        shoot(app, form, out / f"new-deal-bad-date-{lang}.png")
        form.done(0)  # type: ignore[attr-defined]  # dropped unasked, as the contact form below

    when_open(app, new_deal)
    window.new_deal()  # in the board's first column

    def missing(dialog: QWidget) -> None:
        dialog.boxes[0][0].setChecked(True)  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"missing-criteria-{lang}.png")
        dialog.close()

    when_open(app, missing)
    page.controller.move(card.id, card.version, target, None)

    from funneldesk.ui.board.outcome import LostDialog, WonDialog

    won = WonDialog(card.title, card.value, card.currency, window)

    def refuse(dialog: QWidget) -> None:
        dialog.value.setText("1e20")  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"won-refused-{lang}.png")
        dialog.close()

    when_open(app, refuse)
    won.exec()
    lost = LostDialog(card.title, services.moves.lost_reasons(), window)

    def reason(dialog: QWidget) -> None:
        dialog.accept()  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"lost-asks-{lang}.png")
        dialog.reason.setCurrentIndex(2)  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"lost-answered-{lang}.png")
        dialog.close()

    when_open(app, reason)
    lost.exec()

    from funneldesk.errors import CriteriaNotMet, NotAllowed
    from funneldesk.ui.deals.dialogs import BulkReportDialog

    titles = [c.title for c in columns[0].model.visible_cards()[:4]]
    report = BulkReportDialog(
        _("Move to stage"), titles[:2],
        [(titles[2], CriteriaNotMet(columns[1].stage.name, ["Budget confirmed",
                                                           "Decision maker named"])),
         (titles[3], NotAllowed(_("It is already won or lost. A closed deal is reopened on "
                                  "the board, one at a time.")))], window, skipped=2)
    report.show()
    shoot(app, report, out / f"bulk-report-{lang}.png")
    report.close()

    def editor(dialog: QWidget) -> None:
        edited = dialog.name.text()  # type: ignore[attr-defined]
        dialog.name.setText(edited + "!")  # type: ignore[attr-defined]

        def question(box: QWidget) -> None:
            shoot(app, box, out / f"pipeline-unsaved-{lang}.png")
            box.close()  # Cancel: the editor stays on the edited stage

        when_open(app, question)
        view = dialog.stage_view  # type: ignore[attr-defined]
        view.setCurrentIndex(view.model().index(2, 0))
        dialog.name.setText(edited)  # type: ignore[attr-defined]

        def delete(box: QWidget) -> None:
            shoot(app, box, out / f"pipeline-delete-{lang}.png")
            box.close()

        when_open(app, delete)
        view.setCurrentIndex(view.model().index(empty_row, 0))
        dialog._delete_stage()  # type: ignore[attr-defined]
        dialog.close()

    # only an empty stage can be deleted; one that holds deals is refused without a question
    pipeline_id = services.board.pipelines()[0][0]
    services.pipelines.add_stage(pipeline_id=pipeline_id,
                                 name="回访" if lang == "zh_CN" else "Follow-up", by=me)
    empty_row = sum(1 for s in services.pipelines.pipeline(pipeline_id).stages if s.is_open) - 1
    when_open(app, editor)
    window.manage_pipelines()
    take_customer_dialogs(app, window, services, me, lang, out)
    from plans import take_plans  # beside this script

    take_plans(app, window, services, me, lang, out, when_open, shoot)
    from teams import take_teams  # beside this script

    take_teams(app, window, services, me, lang, out, when_open, shoot)
    from quotes import take_quotes  # beside this script

    take_quotes(app, window, services, me, lang, out, when_open, shoot)
    from contracts import take_contracts  # beside this script

    take_contracts(app, window, services, me, lang, out, when_open, shoot)
    window.close()
    db.close()
    QWidget()  # keep a widget alive between languages (QApplication is reused)


def take_customer_dialogs(app: QApplication, window: QWidget, services: object, me: object,
                          lang: str, out: Path) -> None:
    """The company form, the contact form refusing an email at its field, the merge of
    two companies that are one, and Find duplicates listing them."""
    from funneldesk.services import Services
    from funneldesk.services.customers.records import CompanyFields
    from funneldesk.services.dto import Actor
    from funneldesk.ui.customers import opening

    assert isinstance(services, Services)
    assert isinstance(me, Actor)
    zh = lang == "zh_CN"
    first = services.customers.add_company(CompanyFields(
        name="北京星辰科技有限公司" if zh else "Starline Technology Ltd",
        city="北京" if zh else "Beijing", phones=("13800138000",),
        industry="制造业" if zh else "Manufacturing"), by=me)
    second = services.customers.add_company(CompanyFields(
        name="星辰科技" if zh else "Starline Tech", city="北京" if zh else "Beijing",
        phones=("13800138000",), emails=("info@xingchen.cn",)), by=me)

    def company(form: QWidget) -> None:
        shoot(app, form, out / f"company-form-{lang}.png")
        form.close()

    when_open(app, company)
    opening.open_company(window, services, me, first.id)

    def contact(form: QWidget) -> None:
        form.name.insert("张伟" if zh else "Wei Zhang")  # type: ignore[attr-defined]
        email = form.emails.entries[0].edit  # type: ignore[attr-defined]
        email.setFocus()
        email.setText("zhang.wei@@example")
        form.left_field("emails")  # type: ignore[attr-defined]
        form._go_to_first_problem()  # type: ignore[attr-defined]  # its tab, as Save shows it
        shoot(app, form, out / f"contact-form-error-{lang}.png")
        form.done(0)  # dropped unasked: close() would ask whether to save the edits

    when_open(app, contact)
    opening.open_contact(window, services, me, None)

    def merge(dialog: QWidget) -> None:
        shoot(app, dialog, out / f"merge-dialog-{lang}.png")
        dialog.close()

    when_open(app, merge)
    opening.merge_records(window, services, me, "company", first.id, second.id)

    def duplicates(dialog: QWidget) -> None:
        model = dialog.model  # type: ignore[attr-defined]
        while dialog.busy.isVisible() or model.rowCount() == 0:  # type: ignore[attr-defined]
            app.processEvents()
        dialog.tree.setCurrentIndex(model.index(0, 0))  # type: ignore[attr-defined]
        dialog.tree.expandAll()  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"find-duplicates-{lang}.png")
        dialog.close()

    when_open(app, duplicates)
    opening.find_duplicates(window, services, me, "company")

    def lead_sources(dialog: QWidget) -> None:
        dialog.new_name.setText("小红书" if zh else "Xiaohongshu")  # type: ignore[attr-defined]
        dialog.add()  # type: ignore[attr-defined]
        shoot(app, dialog, out / f"lead-sources-{lang}.png")
        dialog.close()

    when_open(app, lead_sources)
    window.edit_lead_sources()  # type: ignore[attr-defined]
    take_import_stages(app, services, me, lang, out)


def take_import_stages(app: QApplication, services: object, me: object, lang: str,
                       out: Path) -> None:
    """The import wizard's stages step with a HubSpot export: a value it matched by
    itself, two it could not (named in red), and a "date entered" column."""
    import tempfile

    from funneldesk.services import Services
    from funneldesk.ui.customers.import_wizard import ImportWizard

    assert isinstance(services, Services)
    stages = services.board.load(services.board.pipelines()[0][0]).pipeline.stages
    path = Path(tempfile.mkdtemp()) / "hubspot-deals.csv"
    path.write_text(
        "Deal Name,Deal Stage,Amount,Create Date,Close Date,"
        f'Date entered "{stages[1].name} (Sales Pipeline)"\n'
        "ERP rollout,Closed Won,\"¥12,500\",2026-03-01,2026-05-20,2026-03-10\n"
        "CRM seats,Talking,800,2026-02-01,,2026-02-10\n"
        "Kiosks,Talking,300,2026-02-03,,\n"
        "Cameras,报价中,300,2026-02-03,,\n", encoding="utf-8")
    wizard = ImportWizard(services, me, "deals")  # type: ignore[arg-type]
    wizard.resize(900, 640)
    wizard.show()
    wizard.file_page.load(path)
    while not wizard.file_page.isComplete():
        app.processEvents()
    wizard.next()
    wizard.next()
    shoot(app, wizard, out / f"import-stages-{lang}.png")
    wizard.close()


if __name__ == "__main__":
    from take import main  # the board's screenshot script, beside this one

    main(take)
