"""Pages not yet moved into their feature's package import the base from here."""

from desktop_app.gui.widgets.page import AppContext, Page

__all__ = ["AppContext", "Page"]
