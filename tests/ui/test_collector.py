"""The cyclic garbage collector runs on the GUI thread only: a worker thread that
allocates never frees an earlier dialog's widgets."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QApplication, QWidget

from funneldesk.ui.common.collector import collect_on_gui_thread


class Cycle:
    def __init__(self) -> None:
        self.me = self
        self.widget = QWidget()


def test_a_cycle_is_freed_on_the_gui_thread_not_by_a_worker(qapp: QApplication) -> None:
    collector = collect_on_gui_thread(qapp)
    assert collect_on_gui_thread(qapp) is collector  # one per application
    assert not gc.isenabled()
    cycle = Cycle()
    gone = weakref.ref(cycle)
    del cycle
    # a worker allocating far past the collector's threshold frees nothing
    threading.Thread(target=lambda: [[] for _n in range(100_000)]).start()
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.name.startswith("Thread-"):
            thread.join()
    assert gone() is not None
    kept = [[] for _n in range(2 * gc.get_threshold()[0])]  # due now, on the GUI thread
    collector.check()
    assert gc.get_count()[0] < gc.get_threshold()[0]  # the young ones were looked at
    gc.collect()  # the cycle may have aged into an older generation meanwhile
    assert gone() is None
    del kept
