"""Calls void-returning Qt methods a few thousand times each and prints, as JSON, how far
each one moved ``sys.getrefcount(None)``. Runs in its own process: a binding that drops
references to None would otherwise abort the test run itself."""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QStandardItem
from PySide6.QtWidgets import QApplication, QWidget

CALLS = 3000


def main() -> int:
    _app = QApplication(sys.argv)
    image = QImage(200, 200, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    widget = QWidget()
    item = QStandardItem()
    pen, brush, font, rect = QPen(QColor("#1a73e8")), QBrush(QColor("#ffffff")), QFont(), QRect(4, 4, 90, 40)
    methods: dict[str, Callable[[], object]] = {
        "QPainter.setPen": lambda: painter.setPen(pen),
        "QPainter.setBrush": lambda: painter.setBrush(brush),
        "QPainter.setFont": lambda: painter.setFont(font),
        "QPainter.save+restore": lambda: (painter.save(), painter.restore()),
        "QPainter.setRenderHint": lambda: painter.setRenderHint(QPainter.RenderHint.Antialiasing),
        "QPainter.drawRoundedRect": lambda: painter.drawRoundedRect(rect, 6, 6),
        "QPainter.fillRect": lambda: painter.fillRect(rect, brush),
        "QPainter.drawText": lambda: painter.drawText(rect, Qt.AlignmentFlag.AlignLeft, "Deal"),
        "QWidget.setToolTip": lambda: widget.setToolTip("tip"),
        "QWidget.update": lambda: widget.update(),
        "QWidget.setEnabled": lambda: widget.setEnabled(True),
        "QStandardItem.setText": lambda: item.setText("card"),
        "QStandardItem.setToolTip": lambda: item.setToolTip("tip"),
        "QStandardItem.setEditable": lambda: item.setEditable(False),
    }
    # extra references keep None alive while a broken binding is measured, so the
    # process can report the drift instead of aborting
    _guard = [None] * (CALLS * len(methods) * 2)
    drift: dict[str, int] = {}
    gc.disable()  # a collection mid-loop can free an object that held None: not the binding
    for name, call in methods.items():
        call()  # a first call may cache something for good; only the repeats count
        before = sys.getrefcount(None)
        for _ in range(CALLS):
            call()
        drift[name] = sys.getrefcount(None) - before
    painter.end()
    print(json.dumps({"calls": CALLS, "drift": drift}))
    sys.stdout.flush()
    # skip interpreter shutdown: after a broken binding, None's count is already wrong
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
