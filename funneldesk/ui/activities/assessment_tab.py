"""A deal's assessment, as a tab of the deal form: the rep rates purchase intent, budget
fit, the decision maker, the timeline and our position against the competitors named;
the value score follows each rating at once, and the win probability says what raises
and lowers it and what history it rests on. It saves with the form."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from funneldesk import formatting
from funneldesk.errors import InvalidInput
from funneldesk.i18n import _, ngettext
from funneldesk.services.activities.assessment_records import (
    COMPETITORS_LIMIT,
    FACTORS,
    Assessment,
    Effect,
    ScoreFields,
    WinChance,
    factor_name,
    rating_words,
    value_score,
)
from funneldesk.ui.common.error_label import ErrorLabel, add_rows, show_at_field


def effect_text(effect: Effect) -> str:
    """"↑ Budget fit: Budget fits (won 10 of 12 closed with it)"."""
    arrow = "↑" if effect.ratio > 1 else "↓" if effect.ratio < 1 else "·"
    return ngettext("{arrow} {factor}: {value} (won {won} of {closed} closed with it)",
                    "{arrow} {factor}: {value} (won {won} of {closed} closed with it)",
                    effect.closed).format(arrow=arrow, factor=effect.factor,
                                          value=effect.value, won=effect.won,
                                          closed=effect.closed)


def chance_text(chance: WinChance) -> str:
    """The probability, its basis and its strongest reasons, one a line."""
    lines = [_("Win probability: {percent}%").format(percent=chance.percent), chance.basis]
    lines += [effect_text(e) for e in chance.effects[:5] if e.ratio != 1]
    return "\n".join(lines)


class AssessmentTab(QWidget):
    def __init__(self, assessment: Assessment, weights: dict[str, int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessment, self.weights = assessment, weights
        self.boxes: dict[str, QComboBox] = {}
        for factor in FACTORS:
            box = QComboBox()
            for rating, word in enumerate(rating_words(factor)):
                box.addItem(word, rating)
            box.setCurrentIndex(assessment.fields.rating(factor))
            box.currentIndexChanged.connect(lambda _i: self._rescore())
            self.boxes[factor] = box
        self.competitors = QLineEdit(assessment.fields.competitors)
        self.competitors.setMaxLength(COMPETITORS_LIMIT)
        self.competitors.setPlaceholderText(_("e.g. Kingdee, Yonyou"))
        self.score = QLabel()
        self.score.setObjectName("value-score")
        self.chance = QLabel()
        self.chance.setObjectName("win-chance")
        self.chance.setWordWrap(True)
        self.errors = {name: ErrorLabel() for name in (*FACTORS, "competitors")}
        ratings = QGroupBox(_("Scorecard"))
        form = QFormLayout(ratings)
        rows: list[tuple[str, QWidget, ErrorLabel | None]] = [
            (_("{factor}:").format(factor=factor_name(f)), self.boxes[f], self.errors[f])
            for f in FACTORS]
        rows.append((_("Competitors:"), self.competitors, self.errors["competitors"]))
        add_rows(form, rows)
        form.addRow(self.score)
        chance = QGroupBox(_("Win probability"))
        QVBoxLayout(chance).addWidget(self.chance)
        layout = QVBoxLayout(self)
        layout.addWidget(ratings)
        layout.addWidget(chance)
        layout.addStretch(1)
        self._rescore()
        self._initial = self.fields()

    def _rescore(self) -> None:
        chance = chance_text(self.assessment.chance)
        if self.fields() != self.assessment.fields:  # learned from the ratings saved
            chance += "\n\n" + _("Save to see the win probability with these ratings.")
        self.chance.setText(chance)
        score = value_score(self.fields(), self.weights)
        self.score.setText(_("Value score: not rated yet") if score is None
                           else _("Value score: {score} of 100").format(
                               score=formatting.number(score)))

    def fields(self) -> ScoreFields:
        return ScoreFields.of([int(self.boxes[f].currentData()) for f in FACTORS],
                              self.competitors.text())

    def edited(self) -> bool:
        return self.fields() != self._initial

    def show_problem(self, error: InvalidInput) -> bool:
        """Says the refusal under its field; False if it is none of this tab's."""
        return show_at_field(error, self.errors, {**self.boxes, "competitors": self.competitors})
