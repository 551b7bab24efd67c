"""The system libraries Qt needs to open a window on Linux, and the Debian packages that
bring them. Qt's xcb plugin aborts the whole process when one is missing, naming at best
the first; checking them all first lets FunnelDesk say what to install, in one line."""

from __future__ import annotations

import ctypes

# library (as Qt's plugins link it) -> Debian package; needed on X11 and Wayland alike
COMMON = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
# what Qt's xcb platform plugin (an X11 window) links besides
XCB = {
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def loadable(soname: str) -> bool:
    # the dynamic loader's own answer (Qt loads these libraries right after anyway)
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing(*, wayland: bool) -> list[tuple[str, str]]:
    """(library, Debian package) of each library a window needs that cannot be loaded."""
    wanted = COMMON if wayland else {**COMMON, **XCB}
    return [(soname, package) for soname, package in wanted.items() if not loadable(soname)]
