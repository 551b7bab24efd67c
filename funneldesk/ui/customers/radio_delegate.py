"""Draws a cell's check mark as a radio button: the merge table's two values of a field
are a choice of one, not two independent ticks."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
)


class RadioDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not opt.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator:
            return
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, widget)
        painter.fillRect(rect, opt.backgroundBrush if opt.backgroundBrush.style()
                         != Qt.BrushStyle.NoBrush else opt.palette.base())
        radio = QStyleOptionButton()
        radio.rect = rect
        radio.palette = opt.palette
        checked = opt.checkState == Qt.CheckState.Checked
        radio.state = (QStyle.StateFlag.State_Enabled
                       | (QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off))
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorRadioButton, radio, painter,
                            widget)
