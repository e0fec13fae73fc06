"""Background results travel to the GUI thread as Signal(object) arguments.

PySide6 6.12.0 lost a reference on every such emission, so after enough of
them None or a result object was freed while still in use and the program
aborted. This guards the pinned Qt binding against that.
"""

import sys

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Carrier(QObject):
    sig = Signal(object)
    many = Signal(str, object, object)


def test_object_signals_keep_their_references(qapp):
    carrier = _Carrier()
    got = []
    carrier.sig.connect(lambda value: got.append(value))
    carrier.many.connect(lambda a, b, c: got.append(c))
    payload = object()
    before_none, before_obj = sys.getrefcount(None), sys.getrefcount(payload)
    for _ in range(2000):
        carrier.sig.emit(None)
        carrier.many.emit("x", payload, None)

    class Worker(QRunnable):
        def run(self):
            for _ in range(2000):
                carrier.sig.emit(payload)

    QThreadPool.globalInstance().start(Worker())
    QThreadPool.globalInstance().waitForDone()
    for _ in range(50):
        qapp.processEvents()
    assert len(got) == 6000
    got.clear()
    assert abs(sys.getrefcount(payload) - before_obj) < 20
    assert abs(sys.getrefcount(None) - before_none) < 200
