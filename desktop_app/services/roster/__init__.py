"""党员名册: search, read, edit, status and transfers, statistics, import, export and the printed roster.

One module per seam: queries (search and reads), edits (one member's writes),
counts (statistics), importing (a file's preview, then apply), exporting (masking and the
personal-data export gate) and printing (the 花名册). Everything public is
re-exported here, so `from desktop_app.services import roster; roster.create(...)` works.

The writes, the import, the export and the printed roster are loaded the first
time one of their names is asked for: the roster page shows its first rows with
only the reads (the export alone brings the spreadsheet readers).
"""

import importlib
from typing import TYPE_CHECKING

from desktop_app.services.roster.queries import (
    SORT_KEYS,
    get,
    org_name_map,
    probationary_due,
    root_org_id,
    prepare_search,
    rows,
    search_hits,
    search_ids,
)
from desktop_app.services.roster.counts import stats
from desktop_app.views.roster import (
    BirthdayRow,
    ImportPreview,
    ImportResult,
    MemberDetail,
    MemberFilter,
    MemberRow,
    RosterLine,
    RosterPrint,
    RosterStats,
    RowError,
    StatusChangeRow,
    TransferRow,
)

if TYPE_CHECKING:  # what __getattr__ below loads, for type checkers and editors
    from desktop_app.services.roster.edits import change_status, create, delete, moved_away, restore, transfer, update
    from desktop_app.services.roster.birthdays import political_birthdays
    from desktop_app.services.roster.groups import move_to_group
    from desktop_app.services.roster.exporting import (
        EVERYONE,
        export_counts,
        export_members,
        export_rows,
        write_template,
    )
    from desktop_app.services.roster.importing import (
        TEMPLATE_FIELDS,
        apply_import,
        changed_fields,
        import_members,
        preview_import,
        stored_by_id_number,
    )
    from desktop_app.services.roster.printing import NO_ORG, print_roster, roster_print

_LAZY = {
    **dict.fromkeys(("change_status", "create", "delete", "moved_away", "restore", "transfer", "update"), "edits"),
    "move_to_group": "groups",
    "political_birthdays": "birthdays",
    **dict.fromkeys(("EVERYONE", "export_counts", "export_members", "export_rows", "write_template"), "exporting"),
    **dict.fromkeys(("TEMPLATE_FIELDS", "apply_import", "changed_fields", "import_members", "preview_import",
                     "stored_by_id_number"), "importing"),
    **dict.fromkeys(("NO_ORG", "print_roster", "roster_print"), "printing"),
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "move_to_group",
    "NO_ORG", "SORT_KEYS", "TEMPLATE_FIELDS",
    "BirthdayRow", "ImportPreview", "ImportResult", "MemberDetail", "MemberFilter", "MemberRow", "RosterLine",
    "RosterPrint", "RosterStats", "RowError", "StatusChangeRow", "TransferRow",
    "EVERYONE", "apply_import", "change_status", "changed_fields", "create", "delete", "export_counts", "export_members",
    "export_rows", "get", "import_members", "moved_away", "org_name_map", "political_birthdays", "preview_import", "print_roster",
    "prepare_search", "probationary_due", "restore", "root_org_id", "roster_print", "rows", "search_hits", "search_ids", "stats",
    "stored_by_id_number", "transfer", "update", "write_template",
]
