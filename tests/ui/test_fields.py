"""The optional date field: typed in the locale's order or as year-month-day, picked from
a calendar, left empty, or refused at the field with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from funneldesk.errors import InvalidInput
from funneldesk.ui.common.fields import OptionalDateEdit


def _in_locale(locale: QLocale) -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(locale)
    yield None
    QLocale.setDefault(before)


@pytest.fixture
def english() -> Iterator[None]:
    yield from _in_locale(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


@pytest.fixture
def chinese() -> Iterator[None]:
    yield from _in_locale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


_kept: list[QWidget] = []  # the window a test's field sits in, alive until the next test


def field(qtbot: QtBot) -> tuple[OptionalDateEdit, QLineEdit]:
    holder = QWidget()
    _kept[:] = [holder]
    layout = QVBoxLayout(holder)
    edit, after = OptionalDateEdit("expected_close"), QLineEdit()
    layout.addWidget(edit)
    layout.addWidget(after)
    qtbot.addWidget(holder)
    holder.show()
    return edit, after


@pytest.mark.usefixtures("chinese")
def test_a_date_typed_in_chinese_order_and_tab_goes_on(qtbot: QtBot) -> None:
    edit, after = field(qtbot)
    with qtbot.waitActive(edit.window()):
        edit.window().activateWindow()
    edit.setFocus()
    assert edit.value() is None
    QTest.keyClicks(edit.edit, "2027/2/15")
    assert edit.value() == dt.date(2027, 2, 15)
    QTest.keyClick(edit.edit, Qt.Key.Key_Tab)
    assert after.hasFocus()
    edit.set_value(dt.date(2026, 3, 4))
    assert edit.edit.text() == "2026/3/4"


@pytest.mark.usefixtures("english")
def test_english_order_short_years_and_year_first_are_all_read(qtbot: QtBot) -> None:
    edit, _after = field(qtbot)
    for typed, day in (("2/15/2027", dt.date(2027, 2, 15)), ("2/15/27", dt.date(2027, 2, 15)),
                       ("2027-02-15", dt.date(2027, 2, 15)), ("", None), ("  ", None)):
        edit.edit.setText(typed)
        assert edit.value() == day, typed


def test_text_that_is_no_date_is_refused_at_the_field(qtbot: QtBot) -> None:
    edit, _after = field(qtbot)
    edit.edit.setText("2027/13/45")
    with pytest.raises(InvalidInput) as refused:
        edit.value()
    assert refused.value.field == "expected_close"
    assert "2027/13/45" in refused.value.message()


def test_the_calendar_of_an_empty_field_opens_on_this_month_and_picks_a_day(
        qtbot: QtBot) -> None:
    edit, _after = field(qtbot)
    edit._open_calendar()  # what opening the calendar button's menu does first
    today = QDate.currentDate()
    assert (edit.calendar.yearShown(), edit.calendar.monthShown()) == (today.year(),
                                                                        today.month())
    edit.calendar.clicked.emit(QDate(2027, 5, 6))
    assert edit.value() == dt.date(2027, 5, 6)


def test_a_narrow_filter_box_ends_its_choice_with_an_ellipsis_beside_its_icon(
        qtbot: QtBot) -> None:
    from PySide6.QtGui import QIcon, QPixmap

    from funneldesk.ui.common.fields import ElidingCombo, shrinking_combo

    combo = shrinking_combo("Public pool")
    assert isinstance(combo, ElidingCombo)
    qtbot.addWidget(combo)
    combo.addItem("Owned and in the pool")
    combo.setFixedWidth(110)
    combo.show()
    plain = combo.shown_text()
    assert plain.endswith("…")
    assert "Owned and in the pool".startswith(plain[:-1])
    assert combo.toolTip() == "Owned and in the pool"  # the whole choice
    pixmap = QPixmap(16, 16)
    pixmap.fill()
    combo.setItemIcon(0, QIcon(pixmap))
    beside_icon = combo.shown_text()
    assert beside_icon.endswith("…")
    assert len(beside_icon) < len(plain)  # the icon takes room from the text
    combo.grab()  # paints with the elided text without error
