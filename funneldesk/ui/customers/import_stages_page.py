"""The import wizard's step for deals: the pipeline they go into, the file's stage values
mapped onto its stages (what ``--stage`` does on the command line), and the columns that
give the date a deal entered each stage (``--column entered:STAGE=HEADER``), from which
its stage history is built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from funneldesk import formatting
from funneldesk.i18n import _
from funneldesk.ui.common.error_label import ErrorLabel
from funneldesk.ui.customers.import_choices import (
    CHOICE,
    DETAIL,
    KEY,
    ChoiceDelegate,
    ChoiceModel,
)
from funneldesk.ui.customers.import_models import samples

if TYPE_CHECKING:
    from funneldesk.ui.customers.import_wizard import ImportWizard


def _table(model: ChoiceModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setItemDelegateForColumn(CHOICE, ChoiceDelegate(view))
    view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(KEY, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(DETAIL, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class StagesPage(QWizardPage):
    def __init__(self, owner: ImportWizard) -> None:
        super().__init__()
        self.owner = owner
        self._loaded: object = None
        self.setTitle(_("Match the stages"))
        self.setSubTitle(_("Choose the pipeline, the stage each value of the file's stage "
                           "column goes to, and the columns that say when a deal entered a "
                           "stage: its history is built from them."))
        self.pipeline = QComboBox()
        self.pipeline.setAccessibleName(_("Pipeline"))
        self.pipeline.currentIndexChanged.connect(lambda _i: self._fill())
        self.values = ChoiceModel((_("Stage in the file"), _("Rows"), _("Stage in FunnelDesk")),
                                  _("Not matched"), self)
        self.values.choicesChanged.connect(self._update)
        self.values_view = _table(self.values)
        self.dates = ChoiceModel((_("Stage"), _("First values"), _("Date entered, from column")),
                                 _("No column"), self)
        self.dates.choicesChanged.connect(self._fill_samples)
        self.dates_view = _table(self.dates)
        self.note = ErrorLabel()
        form = QFormLayout()
        form.addRow(_("Pipeline:"), self.pipeline)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.values_label = QLabel(_("Stages:"))
        layout.addWidget(self.values_label)
        layout.addWidget(self.values_view, 1)
        layout.addWidget(self.note)
        layout.addWidget(QLabel(_("When each stage was entered:")))
        layout.addWidget(self.dates_view, 1)

    def initializePage(self) -> None:
        table = self.owner.file_page.table
        assert table is not None
        columns = self.owner.mapping_page.model.columns()
        loaded = (table, columns.get("stage"))
        if self._loaded == loaded:
            return  # back and forth: keep what the user chose
        self._loaded = loaded
        self.pipeline.blockSignals(True)
        self.pipeline.clear()
        for ident, name in self.owner.services.board.pipelines():
            self.pipeline.addItem(name, ident)  # by id: two pipelines may share a name
        self.pipeline.blockSignals(False)
        self._fill()

    def _fill(self) -> None:
        """The stage values and the date columns, for the pipeline chosen."""
        table = self.owner.file_page.table
        if table is None or self.pipeline.currentIndex() < 0:
            return
        imports, pipeline = self.owner.services.imports, self.pipeline_id()
        columns = self.owner.mapping_page.model.columns()
        header = columns.get("stage")
        found = imports.stage_values("deals", table, header, pipeline, columns.get("status"))
        stages = [(name, name) for name in found.stages]
        self.values.load([(v, formatting.number(n)) for v, n, _s in found.values], stages,
                         [s for _v, _n, s in found.values])
        shown = header is not None
        self.values_label.setVisible(shown)
        self.values_view.setVisible(shown)
        entered = imports.suggest_entered("deals", table.headers, pipeline, self.stage_map())
        mapped = set(columns.values())
        headers = [(h, h) for h in table.headers if h not in mapped or h in entered.values()]
        # the first values of the columns chosen follow (choicesChanged: _fill_samples)
        self.dates.load([(s, "") for s in found.stages], headers,
                        [entered.get(s) for s in found.stages])

    def _fill_samples(self) -> None:
        table = self.owner.file_page.table
        if table is None:
            return
        for row, chosen in enumerate(self.dates.chosen):
            shown = samples(table, table.headers.index(chosen)) if chosen else ""
            if self.dates.keys[row][1] != shown:
                self.dates.keys[row] = (self.dates.keys[row][0], shown)
                at = self.dates.index(row, 1)
                self.dates.dataChanged.emit(at, at)

    def _update(self) -> None:
        left = self.values.unchosen()
        self.note.show_message(_("No stage for {values}: rows with these values will be "
                                 "refused. Choose a stage for each.").format(
            values=formatting.listing([f"“{v}”" for v in left])) if left else "")
        # a file's stage now matched to one of ours brings its "date entered" column
        table = self.owner.file_page.table
        if table is not None and self.dates.keys:
            self.dates.fill_in(self.owner.services.imports.suggest_entered(
                "deals", table.headers, self.pipeline_id(), self.stage_map()))

    def pipeline_id(self) -> int | None:
        data = self.pipeline.currentData()
        return int(data) if data is not None else None

    def stage_map(self) -> dict[str, str]:
        """The file's stage value -> the stage it goes to (ImportOptions.stages)."""
        return self.values.mapping()

    def entered(self) -> dict[str, str]:
        """stage name -> the column of the date deals entered it (ImportOptions.entered)."""
        return self.dates.mapping()
