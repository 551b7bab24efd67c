"""Small input widgets shared by forms."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPaintEvent, QPalette, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from funneldesk.errors import InvalidInput
from funneldesk.i18n import _


def long_year_format() -> str:
    """The locale's short date with a four-digit year ("M/d/yy" would read 27 as 1927)."""
    shown = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return shown if "yyyy" in shown else shown.replace("yy", "yyyy")


# what a typed date may look like besides the locale's own short date
_ALSO = ("yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日")


def parse_day(text: str) -> dt.date | None:
    """The day ``text`` names in the locale's order or as year-month-day; None if none."""
    text = text.strip()
    for pattern in (long_year_format(), QLocale().dateFormat(QLocale.FormatType.ShortFormat),
                    *_ALSO):
        date = QDate.fromString(text, pattern)
        if date.isValid():
            if "yyyy" not in pattern and date.year() < 2000:  # "27" is 2027, not 1927
                date = date.addYears(100)
            return dt.date(date.year(), date.month(), date.day())
    return None


class OptionalDateEdit(QWidget):
    """A date field that may stay empty: the date typed as text (in the locale's order, or
    year-month-day) or picked from a calendar beside it. Tab goes on to the next field like
    any text field, and an empty field's calendar opens on this month. ``field`` names the
    date in the refusal that ``value`` raises for text that is not a date."""

    changed = Signal()  # the text changed
    edited = Signal()  # typing is over (Enter, leaving the field) or a day was picked

    def __init__(self, field: str = "date", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.edit = QLineEdit()
        self._example = QDate.currentDate().toString(long_year_format())
        self.edit.setPlaceholderText(_("e.g. {date}").format(date=self._example))
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.edit.editingFinished.connect(self.edited.emit)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self._menu = QMenu(self)
        holder = QWidgetAction(self._menu)
        holder.setDefaultWidget(self.calendar)
        self._menu.addAction(holder)
        self._menu.aboutToShow.connect(self._open_calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)  # as a combo box's, drawn once
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.button.setToolTip(_("Pick the date from a calendar (Alt+Down)"))
        self.button.setAccessibleName(_("Calendar"))
        self.button.setMenu(self._menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # Tab goes from the text to the next field; the keyboard opens the calendar with
        # Alt+Down, as a combo box's list
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        opener = QAction(self.edit)
        opener.setShortcut(QKeySequence("Alt+Down"))
        opener.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        opener.triggered.connect(self.button.showMenu)
        self.edit.addAction(opener)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def setFocus(self) -> None:  # type: ignore[override]  # Qt overloads it with a reason
        # not a focus proxy: with one, Tab from the text came back to it instead of going on
        self.edit.setFocus()

    def value(self) -> dt.date | None:
        """The date typed, None when empty; InvalidInput for text that is not a date."""
        text = self.edit.text().strip()
        if not text:
            return None
        day = parse_day(text)
        if day is None:
            raise InvalidInput(self.field, _(
                "“{text}” is not a date. Type it like {example}, or pick it from the "
                "calendar.").format(text=text, example=self._example))
        return day

    def set_value(self, value: dt.date | None) -> None:
        self.edit.setText("" if value is None else QDate(value.year, value.month, value.day)
                          .toString(long_year_format()))

    def _open_calendar(self) -> None:
        day = parse_day(self.edit.text()) or dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.setCurrentPage(day.year, day.month)

    def _picked(self, date: QDate) -> None:
        self.edit.setText(date.toString(long_year_format()))
        self._menu.close()
        self.edit.setFocus()
        self.edited.emit()


class DateField(OptionalDateEdit):
    """A date that must be given: typed as every date field takes it, or picked from a
    calendar that offers only the days between ``earliest`` and ``latest``. A day typed
    outside them is refused by the service, said under the field; nothing typed is
    changed behind the user's back (as QDateEdit would)."""

    def __init__(self, field: str, day: dt.date, *, earliest: dt.date | None = None,
                 latest: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.set_value(day)
        self.calendar.currentPageChanged.connect(self._grey_days_outside)
        self.limit(earliest, latest)

    def limit(self, earliest: dt.date | None, latest: dt.date | None) -> None:
        """The calendar offers only the days from ``earliest`` to ``latest``, and shows
        the others greyed (Qt draws them as any other day, though they cannot be
        picked)."""
        if earliest is not None:
            self.calendar.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
        if latest is not None:
            self.calendar.setMaximumDate(QDate(latest.year, latest.month, latest.day))
        self._grey_days_outside(self.calendar.yearShown(), self.calendar.monthShown())

    def _grey_days_outside(self, year: int, month: int) -> None:
        calendar = self.calendar
        grey = QTextCharFormat()
        grey.setForeground(self.palette().color(QPalette.ColorGroup.Disabled,
                                                QPalette.ColorRole.Text))
        first = QDate(year, month, 1)
        for offset in range(-7, 43):  # the page shows a week either side of the month
            day = first.addDays(offset)
            outside = day < calendar.minimumDate() or day > calendar.maximumDate()
            calendar.setDateTextFormat(day, grey if outside else QTextCharFormat())

    def day(self) -> dt.date:
        """The date given; InvalidInput when the field is empty or holds no date."""
        day = self.value()
        if day is None:
            raise InvalidInput(self.field, _("Enter the date."))
        return day


class ElidingCombo(QComboBox):
    """A combo box that, narrower than its choice, ends the text with "…" rather than
    cutting a word off mid-letter ("Owned and i")."""

    def paintEvent(self, event: QPaintEvent) -> None:
        # QComboBox::paintEvent, with the label's text elided to the room it has
        painter = QStylePainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        option = self._option()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        if self.currentIndex() < 0 and self.placeholderText():
            option.palette.setBrush(QPalette.ColorRole.ButtonText,
                                    option.palette.placeholderText())
        option.currentText = self.shown_text(option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def sizeHint(self) -> QSize:
        """Sized to its contents, wide enough that the style's edit field holds the
        longest choice uncut (Qt's own hint leaves it a few pixels short in Fusion)."""
        hint = super().sizeHint()
        if self.sizeAdjustPolicy() != QComboBox.SizeAdjustPolicy.AdjustToContents:
            return hint
        option = self._option()
        option.rect = QRect(0, 0, hint.width(), hint.height())
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField,
                                           self).width() - 2
        longest = max((self.fontMetrics().horizontalAdvance(self.itemText(i))
                       for i in range(self.count())), default=0)
        return QSize(hint.width() + max(0, longest - room), hint.height())

    def _option(self) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return option

    def shown_text(self, option: QStyleOptionComboBox | None = None) -> str:
        """The text the box shows: its choice (or placeholder), elided to the room left
        beside the arrow and the icon."""
        option = option or self._option()
        text = (self.placeholderText() if self.currentIndex() < 0 and self.placeholderText()
                else option.currentText)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField,
                                           self).width() - 2  # the style's margins
        if not option.currentIcon.isNull():
            room -= option.iconSize.width() + 4  # the style puts the icon before the text
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room)


def shrinking_combo(name: str, letters: int = 7) -> QComboBox:
    """A filter's combo box named ``name`` for screen readers: as narrow as ``letters``
    letters where the window is (a long choice is cut short here; the list shows it
    whole), wider where there is room. A box as wide as its longest choice held a bar of
    them wider than the window."""
    combo = ElidingCombo()
    combo.setAccessibleName(name)
    combo.currentTextChanged.connect(combo.setToolTip)  # the whole choice, when cut short
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(letters)
    return combo


WIDEST_CHOICE = 260  # pixels: a longer choice is cut short in the box (the list shows it)


def whole_choices(combo: QComboBox) -> None:
    """Sizes a filter's box to its longest choice (up to WIDEST_CHOICE), for a bar that
    wraps (FlowLayout) rather than cut every choice short."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMaximumWidth(WIDEST_CHOICE)


def day_of(date: QDate) -> dt.date:
    """A QDate as the date the services take."""
    return dt.date(date.year(), date.month(), date.day())
