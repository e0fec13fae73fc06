"""工作台: the year's figures beside last year's, the to-do list, and the year-end folder.

    counts   the old overview counts (organisations, members, residents) as of a day
    figures  the year's figures and charts, narrowed to one community at a street office
    todo     what is due or late, each item naming the page and record that settle it
    shared   the reads figures and to-do list share within one refresh
    annual   the 年度党建工作台账 PDF
"""

from desktop_app.services.overview.counts import Overview, overview  # noqa: F401
from desktop_app.services.overview.figures import community_columns, dashboard  # noqa: F401
from desktop_app.services.overview.todo import todo  # noqa: F401
from desktop_app.services.overview.shared import Shared  # noqa: F401
from desktop_app.services.overview.annual import annual_folder, may_print_folder, print_annual_folder  # noqa: F401
from desktop_app.views.overview import (  # noqa: F401
    Charts, CommunityColumn, Dashboard, Figure, TodoItem, TodoList,
)

__all__ = ["Overview", "Shared", "overview", "dashboard", "todo", "annual_folder", "may_print_folder", "print_annual_folder", "community_columns", "Charts", "CommunityColumn", "Dashboard",
           "Figure", "TodoItem", "TodoList"]
