"""The company and contact forms, driven as a user would: problems shown under their
fields before anything is saved, values saved in their one form, verification, the
duplicate warning, stale edits, and a person's data exported and erased."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from funneldesk import i18n
from funneldesk.services import Services
from funneldesk.services.customers.records import CompanyFields, ContactFields
from funneldesk.services.customers.validation import with_check_character
from funneldesk.services.dto import Actor
from funneldesk.ui.customers.company_form import CompanyForm
from funneldesk.ui.customers.contact_form import ContactForm
from funneldesk.ui.customers.detail import overview_html
from funneldesk.ui.customers.record_form import RecordForm
from tests.ui.conftest import answer_next_dialog

# the offscreen platform cannot raise the company picker's popup or grab the keyboard for it
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise",
                                       "does not support grabbing the keyboard")

CODE = with_check_character("91110108MA01C4T2X")


def count(db_path: Path, table: str) -> int:
    with closing(sqlite3.connect(db_path)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def shown(qtbot: QtBot, form: RecordForm) -> RecordForm:
    qtbot.addWidget(form)
    with qtbot.waitActive(form):  # keys typed go to it
        form.show()
    return form


def type_and_leave(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Types ``text`` into a field and leaves it with Tab."""
    widget.setFocus()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def save(qtbot: QtBot, form: RecordForm) -> None:
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_bad_code_phone_and_email_are_shown_at_their_fields_and_nothing_is_saved(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path) -> None:
    form = shown(qtbot, CompanyForm(services, manager, None))
    form.name.insert("北京星辰科技有限公司")
    type_and_leave(qtbot, form.credit_code, "91110108")
    # a problem shows as the user leaves the field, under that field
    assert "18 characters" in form.shown_problems()["credit_code"]
    assert set(form.shown_problems()) == {"credit_code"}
    error = form.field_errors["credit_code"]
    assert error.parentWidget() is form.credit_code.parentWidget()
    assert error.geometry().top() >= form.credit_code.geometry().bottom()
    form.tabs.setCurrentIndex(2)  # Reach
    type_and_leave(qtbot, form.phones.entries[0].edit, "12345")
    type_and_leave(qtbot, form.emails.entries[0].edit, "sales at example")
    problems = form.shown_problems()
    assert "“12345” is not" in problems["phones"]
    assert "“sales at example” is not an email address" in problems["emails"]
    save(qtbot, form)
    assert form.isVisible()
    assert count(db_path, "companies") == 0
    # Save took the user to the first problem
    assert form.tabs.currentIndex() == 0
    # fixing one clears its line, the others stay
    form.credit_code.setText(CODE)
    form.left_field("credit_code")
    assert set(form.shown_problems()) == {"phones", "emails"}
    save(qtbot, form)
    assert count(db_path, "companies") == 0


def test_a_good_company_is_saved_with_its_values_in_their_one_form(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path) -> None:
    form = shown(qtbot, CompanyForm(services, manager, None))
    form.name.insert("北京星辰科技有限公司")
    form.credit_code.setText(" " + CODE.lower()[:9] + " " + CODE.lower()[9:])
    form.phones.entries[0].edit.setText("138 0013 8000")
    form.emails.entries[0].edit.setText("Sales@Example.COM")
    form.key_level.setCurrentIndex(form.key_level.findData("B"))
    form.lead_source.setCurrentIndex(2)
    form.tags.insert("制造业，Key; export")
    form.city.insert("北京")
    save(qtbot, form)
    assert not form.isVisible()
    assert form.saved is not None
    saved = services.customers.company_detail(form.saved.id).fields
    assert (saved.name, saved.credit_code, saved.phones, saved.emails, saved.key_level,
            saved.city, saved.owner_id) == (
        "北京星辰科技有限公司", CODE, ("+8613800138000",), ("Sales@example.com",), "B",
        "北京", manager.id)
    assert set(saved.tags) == {"制造业", "Key", "export"}
    assert saved.lead_source_id == form.lead_source.itemData(2)


def test_verify_records_who_and_an_edit_keeps_the_verification(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    made = services.customers.add_company(CompanyFields(
        name="星辰科技", phones=("13800138000",), emails=("a@example.com",)), by=manager)
    form = shown(qtbot, CompanyForm(services, manager,
                                    services.customers.company_detail(made.id)))
    phone = form.phones.entries[0]
    assert phone.edit.text() == "138 0013 8000"
    assert phone.status.text() == "Not verified yet"
    qtbot.mouseClick(phone.verify, Qt.MouseButton.LeftButton)
    assert phone.status.text().startswith("Verified by manager, ")
    assert phone.verify.text() == "Unverify"
    channels = services.customers.company_detail(made.id).channels
    assert [(c.kind, c.verified_by) for c in channels] == [("phone", "manager"),
                                                           ("email", None)]
    # a changed number is another number: it cannot be verified before it is saved
    phone.edit.setText("138 0013 8001")
    assert not phone.verify.isEnabled()
    phone.edit.setText("138 0013 8000")
    form.name.setText("星辰科技有限公司")
    save(qtbot, form)
    after = services.customers.company_detail(made.id)
    assert after.fields.name == "星辰科技有限公司"
    assert [c.verified_by for c in after.channels if c.kind == "phone"] == ["manager"]


def test_a_new_company_with_a_known_phone_warns_and_save_anyway_saves(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path) -> None:
    services.customers.add_company(CompanyFields(name="上海明远贸易有限公司", city="上海",
                                                 province="上海", owner_id=manager.id,
                                                 phones=("13800138000",)), by=manager)
    form = shown(qtbot, CompanyForm(services, manager, None))
    form.name.insert("杭州青松软件有限公司")
    form.phones.entries[0].edit.setText("+86 138 0013 8000")
    save(qtbot, form)
    assert form.isVisible()
    assert form.notice.isVisible()
    # where it is and whose it is: what tells it apart from a namesake
    assert form.notice.texts() == [
        f"“上海明远贸易有限公司” (上海 · {manager.display_name}): The same phone number."]
    assert count(db_path, "companies") == 1
    qtbot.mouseClick(form.notice.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert count(db_path, "companies") == 2


def test_open_that_one_leaves_the_new_record_unsaved(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path) -> None:
    company = services.customers.add_company(CompanyFields(name="北京星辰科技有限公司"),
                                             by=manager)
    known = services.customers.add_contact(ContactFields(
        name="张伟", wechat="zhangwei_88", company_id=company.id), by=manager)
    form = shown(qtbot, ContactForm(services, manager, None))
    form.name.insert("张伟")
    form.wechat.setText("zhangwei_88")
    save(qtbot, form)
    assert form.notice.texts() == [
        f"“张伟” (北京星辰科技有限公司 · {manager.display_name}): The same WeChat ID."]
    buttons = [b for b in form.notice.findChildren(type(form.notice.save_button))
               if b.text() == "Open that one"]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert form.open_instead is not None
    assert form.open_instead.id == known.id
    assert not form.isVisible()
    assert count(db_path, "contacts") == 1


def test_a_stale_edit_is_refused_with_who_changed_it(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor) -> None:
    made = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    form = shown(qtbot, CompanyForm(services, manager,
                                    services.customers.company_detail(made.id)))
    services.customers.update_company(made.id, CompanyFields(name="星辰科技", city="北京"),
                                      expected_version=made.version, by=rep)
    form.industry.setText("Software")
    save(qtbot, form)
    assert form.isVisible()
    assert "changed by Rita Rep" in form.error.text()
    assert services.customers.company_detail(made.id).fields.industry == ""


def test_a_contact_form_names_every_problem_and_saves_a_good_contact(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path) -> None:
    company = services.customers.create_company(name="星辰科技", by=manager)
    form = shown(qtbot, ContactForm(services, manager, None))
    form.name.insert("李娜")
    form.company.insert("No such company")
    form.wechat.setText("1")
    save(qtbot, form)
    problems = form.shown_problems()
    assert set(problems) == {"company_id", "wechat"}
    assert "No company is called “No such company”" in problems["company_id"]
    assert count(db_path, "contacts") == 0
    form.company.clear()
    form.company.insert("星辰科技")
    form.wechat.setText("lina_2024")
    form.role.setCurrentIndex(form.role.findData("decision_maker"))
    form.consent.setCurrentIndex(form.consent.findData("given"))
    form.age_band.setText("30–39")
    save(qtbot, form)
    assert not form.isVisible()
    assert form.saved is not None
    detail = services.customers.contact_detail(form.saved.id)
    assert (detail.fields.company_id, detail.fields.role, detail.fields.consent,
            detail.fields.age_band) == (company.id, "decision_maker", "given", "30–39")
    assert detail.consent_at is not None



def test_a_refused_save_puts_the_cursor_in_the_line_refused(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path) -> None:
    form = shown(qtbot, ContactForm(services, manager, None))
    form.name.insert("李娜")
    form.phones.set_values(["13812345678", "12345"])
    form.emails.set_values(["lina@example.cn"])
    save(qtbot, form)
    bad = form.phones.entries[1].edit
    qtbot.waitUntil(bad.hasFocus, timeout=5000)
    assert "12345" in form.shown_problems()["phones"]
    assert count(db_path, "contacts") == 0

def test_personal_data_is_exported_and_erased_by_a_manager_only(
        qtbot: QtBot, services: Services, manager: Actor, rep: Actor, tmp_path: Path,
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = services.customers.add_contact(ContactFields(
        name="王芳", phones=("13900139000",)), by=manager)
    as_rep = shown(qtbot, ContactForm(services, rep, services.customers.contact_detail(made.id)))
    assert not as_rep.erase_action.isEnabled()
    target = tmp_path / "wang.json"
    monkeypatch.setattr("funneldesk.ui.common.file_dialogs.save_file_name",
                        lambda *_a, **_k: (str(target), ""))
    told: list[str] = []

    def ok(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        told.append(box.text())
        box.accept()

    answer_next_dialog(ok)
    as_rep.export_action.trigger()
    assert told == [f"Everything FunnelDesk holds about 王芳 is in {target}."]
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["contact"]["name"] == "王芳"
    as_rep.reject()

    form = shown(qtbot, ContactForm(services, manager,
                                    services.customers.contact_detail(made.id)))
    asked: list[str] = []

    def cancel(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text() + " " + box.informativeText())
        box.reject()

    answer_next_dialog(cancel)
    form.erase_action.trigger()
    assert "王芳" in asked[0]
    assert "cannot be undone" in asked[0]
    assert count(db_path, "contacts") == 1

    def erase(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        [button] = [b for b in box.buttons() if b.text() == "Erase for good"]
        button.click()

    questions: list[RecordForm] = []

    def ask(form: RecordForm) -> QMessageBox.StandardButton:
        questions.append(form)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(RecordForm, "ask_about_changes", ask)
    form.title.setText("Sales")  # an edit, then the erasure: no "Save them?" about it
    answer_next_dialog(erase)
    form.erase_action.trigger()
    assert form.erased
    assert not form.isVisible()
    assert questions == []
    assert count(db_path, "contacts") == 0


def test_the_deal_forms_quick_create_continues_in_the_full_form(
        qtbot: QtBot, services: Services, manager: Actor, db_path: Path) -> None:
    from funneldesk.ui.board.quick_create import QuickCreateDialog

    quick = QuickCreateDialog(services, manager, None, contact=False)
    qtbot.addWidget(quick)
    quick.show()
    quick.name.insert("星辰科技")
    quick.phone.setText("13800138000")

    def fill_in(form: QWidget) -> None:
        assert isinstance(form, CompanyForm)
        assert form.name.text() == "星辰科技"
        assert form.phones.values() == ("13800138000",)
        form.city.insert("北京")
        form.accept()

    answer_next_dialog(fill_in)
    qtbot.mouseClick(quick.more, Qt.MouseButton.LeftButton)
    assert quick.created is not None
    assert not quick.isVisible()
    assert services.customers.company_detail(quick.created.id).fields.city == "北京"
    assert count(db_path, "companies") == 1


def test_open_that_one_from_opening_opens_the_record_already_saved(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    from funneldesk.ui.customers.opening import open_company

    known = services.customers.add_company(CompanyFields(
        name="上海明远贸易有限公司", phones=("13800138000",)), by=manager)
    seen: list[str] = []

    def edit_known(form: QWidget) -> None:
        assert isinstance(form, CompanyForm)
        seen.append(form.name.text())
        form.city.insert("上海")
        form.accept()

    def new_then_open_known(form: QWidget) -> None:
        assert isinstance(form, CompanyForm)
        form.name.insert("明远贸易")
        form.phones.entries[0].edit.setText("13800138000")
        form.accept()
        answer_next_dialog(edit_known)
        form.notice.openRequested.emit(form.notice.matches[0])

    answer_next_dialog(new_then_open_known)
    saved = open_company(None, services, manager, None)
    assert seen == ["上海明远贸易有限公司"]
    assert saved is not None
    assert saved.id == known.id
    assert services.customers.company_detail(known.id).fields.city == "上海"


def test_a_new_form_takes_typing_in_its_name_at_once(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    form = shown(qtbot, CompanyForm(services, manager, None))
    focused = form.focusWidget()
    assert focused is form.name
    qtbot.keyClicks(focused, "Acme")
    assert form.name.text() == "Acme"
    form.reject()


def test_an_edit_that_takes_another_contact_s_phone_warns_and_one_that_does_not_saves(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    add = services.customers.add_contact
    add(ContactFields(name="Emma Baker", phones=("+1 617-555-5555",)), by=manager)
    allen = add(ContactFields(name="Emma Allen", phones=("+1 617-555-1234",)), by=manager)
    # a change that no other record could share: saved with no question
    form = shown(qtbot, ContactForm(services, manager, services.customers.contact_detail(
        allen.id)))
    form.title.setText("Buyer")
    save(qtbot, form)
    assert not form.isVisible()
    assert not form.notice.isVisible()
    # another contact's phone: the same warning as for a new contact
    form = shown(qtbot, ContactForm(services, manager, services.customers.contact_detail(
        allen.id)))
    form.phones.entries[0].edit.setText("+1 617-555-5555")
    save(qtbot, form)
    assert form.isVisible()
    assert form.notice.texts()[0].startswith("“Emma Baker” (")
    assert form.notice.texts()[0].endswith("The same phone number.")
    qtbot.mouseClick(form.notice.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    phones = [c.value for c in services.customers.contact_detail(allen.id).channels]
    assert phones == ["+16175555555"]


ASK = RecordForm.ask_about_changes  # the real question (tests/ui/conftest.py answers it)


@pytest.mark.parametrize(("answer", "stays_open", "saved"), [
    (QMessageBox.StandardButton.Cancel, True, False),
    (QMessageBox.StandardButton.Discard, False, False),
    (QMessageBox.StandardButton.Save, False, True),
])
def test_cancel_with_unsaved_edits_asks_whether_to_save_them(
        qtbot: QtBot, services: Services, manager: Actor, monkeypatch: pytest.MonkeyPatch,
        answer: QMessageBox.StandardButton, stays_open: bool, saved: bool) -> None:
    monkeypatch.setattr(RecordForm, "ask_about_changes", ASK)
    made = services.customers.add_company(CompanyFields(name="星辰科技"), by=manager)
    form = shown(qtbot, CompanyForm(services, manager,
                                    services.customers.company_detail(made.id)))
    asked: list[str] = []

    def reply(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(answer).click()

    form.industry.setText("软件")
    answer_next_dialog(reply)
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    assert asked == ["Your changes to this record are not saved. Save them?"]
    assert form.isVisible() == stays_open
    assert (services.customers.company_detail(made.id).fields.industry == "软件") == saved
    if stays_open:
        form.industry.setText("")  # back as it was: Cancel closes without asking
        qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                         Qt.MouseButton.LeftButton)
        assert not form.isVisible()
        assert len(asked) == 1


def test_the_consumer_profile_offers_the_usual_words_and_the_teams_own(
        qtbot: QtBot, services: Services, manager: Actor) -> None:
    services.customers.add_contact(ContactFields(name="李娜", gender="其他", loyalty="老客户"),
                                   by=manager)
    services.customers.add_contact(ContactFields(name="王芳", gender="女性"), by=manager)
    form = shown(qtbot, ContactForm(services, manager, None))
    offered = form.profile_choices.models
    qtbot.waitUntil(lambda: "其他" in offered["gender"].stringList())
    # 女性 is the usual Female, written another way: not offered twice
    assert offered["gender"].stringList() == ["Female", "Male", "其他"]
    assert offered["loyalty"].stringList()[-1] == "老客户"
    assert offered["age_band"].stringList()[:2] == ["<20", "20–29"]
    # the arrow in the field opens the whole list; a pick fills the field
    form.tabs.setCurrentIndex(form.tabs.count() - 3)  # the consumer profile
    arrow = form.gender.actions()[0]
    arrow.trigger()
    popup = form.gender.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 3
    item = popup.model().index(2, 0)
    assert item.data() == "其他"
    popup.clicked.emit(item)  # as a click on it (offscreen, the popup has no place to click)
    assert form.gender.text() == "其他"
    form.reject()


def test_a_usual_word_picked_in_english_reads_in_chinese_and_is_no_edit(
        qtbot: QtBot, services: Services, manager: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rep working in English picks Female and Bachelor's degree; a colleague working in
    Chinese reads 女 and 本科, is offered them once, and closes the form unasked."""
    asked: list[bool] = []

    def ask(_form: RecordForm) -> QMessageBox.StandardButton:
        asked.append(True)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(RecordForm, "ask_about_changes", ask)
    made = services.customers.add_contact(ContactFields(
        name="Anna Li", gender="Female", education="Bachelor's degree"), by=manager).id
    i18n.set_language("zh_CN")
    form = shown(qtbot, ContactForm(services, manager, services.customers.contact_detail(made)))
    assert (form.gender.text(), form.education.text()) == ("女", "本科")
    qtbot.waitUntil(lambda: form.profile_choices.models["gender"].stringList() == ["女", "男"])
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Cancel),
                     Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert asked == []
    form = shown(qtbot, ContactForm(services, manager, services.customers.contact_detail(made)))
    form.gender.setText("男")
    save(qtbot, form)
    assert services.customers.contact_detail(made).fields.gender == "Male"
    overview = overview_html(services.customer_list.overview("contact", made))
    assert "男" in overview
    assert "本科" in overview
    assert "Male" not in overview
