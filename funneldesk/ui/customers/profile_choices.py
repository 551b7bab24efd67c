"""The consumer profile's words offered as a list (gender, age band, education, loyalty,
income band): the usual ones in the reader's language (services/customers/profile_words.py
keeps each one way), and those the team's contacts already hold. The field stays free
text: a team's own word is kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCompleter, QLineEdit, QStyle

from funneldesk.collation import sort_key
from funneldesk.i18n import _
from funneldesk.services.customers import profile_words

FIELDS = tuple(profile_words.USUAL)


class ProfileChoices:
    """Gives each of the form's profile fields a list that opens from an arrow in the
    field (or Alt+Down), and narrows as one types."""

    def __init__(self, edits: dict[str, QLineEdit]) -> None:
        self.models: dict[str, QStringListModel] = {}
        for field, edit in edits.items():
            model = QStringListModel(profile_words.offered(field), edit)
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
            shown = {profile_words.shown(field, v) for v in held.get(field, ())}
            extra = sorted((v for v in shown if v.casefold() not in seen), key=sort_key)
            model.setStringList(words + extra)


def _opener(completer: QCompleter) -> Callable[[], None]:
    def open_list() -> None:
        completer.setCompletionPrefix("")  # the whole list, whatever is typed
        completer.complete()

    return open_list
