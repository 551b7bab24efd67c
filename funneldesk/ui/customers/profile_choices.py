"""The consumer profile's words offered as a list (gender, age band, education, loyalty,
income band): the usual ones, and those the team's contacts already hold, so that one
team writes 女 (or Female) the same way every time and its filters find them all. The
field stays free text: a team's own word is kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCompleter, QLineEdit, QStyle

from funneldesk.collation import sort_key
from funneldesk.i18n import N_, _

# the usual words per field (marked, translated when offered); age bands need none
_USUAL: dict[str, tuple[str, ...]] = {
    "gender": (N_("Female"), N_("Male")),
    "age_band": ("<20", "20–29", "30–39", "40–49", "50–59", "60+"),
    "education": (N_("High school or less"), N_("Associate degree"), N_("Bachelor's degree"),
                  N_("Master's degree"), N_("Doctorate")),
    "loyalty": (N_("New"), N_("Returning"), N_("Loyal"), N_("At risk")),
    "income_band": (),
}
FIELDS = tuple(_USUAL)


def usual(field: str) -> list[str]:
    return [_(word) for word in _USUAL[field]]


class ProfileChoices:
    """Gives each of the form's profile fields a list that opens from an arrow in the
    field (or Alt+Down), and narrows as one types."""

    def __init__(self, edits: dict[str, QLineEdit]) -> None:
        self.models: dict[str, QStringListModel] = {}
        for field, edit in edits.items():
            model = QStringListModel(usual(field), edit)
            completer = QCompleter(model, edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
            # QLineEdit takes a pick only while it has the focus, which the arrow may not
            # give it: a pick from the list the arrow opened fills the field all the same
            completer.activated[str].connect(edit.setText)  # type: ignore[index]
            opener = QAction(edit.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown),
                             _("Choose from the list (Alt+Down)"), edit)
            opener.setShortcut("Alt+Down")
            opener.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            opener.triggered.connect(_opener(completer))
            edit.addAction(opener, QLineEdit.ActionPosition.TrailingPosition)
            self.models[field] = model

    def add_held(self, held: dict[str, Sequence[str]]) -> None:
        """Adds the values the team's contacts hold (``field_values``) after the usual
        ones, in word order."""
        for field, model in self.models.items():
            words = model.stringList()
            seen = {w.casefold() for w in words}
            extra = sorted((v for v in held.get(field, ()) if v.casefold() not in seen),
                           key=sort_key)
            model.setStringList(words + extra)


def _opener(completer: QCompleter) -> Callable[[], None]:
    def open_list() -> None:
        completer.setCompletionPrefix("")  # the whole list, whatever is typed
        completer.complete()

    return open_list
