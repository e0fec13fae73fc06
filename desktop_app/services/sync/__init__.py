"""Sync with the street office: every use case of it, with its permission checks and one transaction each.

keys       each site's own keys; enrolment of communities at the street, revocation
outgoing   a community's package for the street; the street's packages back down
incoming   preview a package (decrypted, verified, decoded once), then apply that preview
batch      several packages at once (a street's pile of them): checked first, then merged together
status     what the sync page and the street overview show; what the texts call the upper level (街道 or 区)
streets    at a district: the street an enrolled community belongs to, set after the fact
conflicts  conflicts kept by merges, and a person's decision on one

    from desktop_app.services import sync
    preview = sync.preview_import(db, path)
    report = sync.apply_import(db, preview)

The package format, crypto, wire codec and the merge itself are desktop_app.sync,
which knows nothing of users or permissions; the read models are desktop_app.views.sync.
"""

from desktop_app.services.sync.batch import BatchProgress, check_packages, import_packages
from desktop_app.services.sync.conflicts import conflict_detail, conflicts, resolve_conflict
from desktop_app.services.sync.incoming import ImportPreview, apply_import, import_package, preview_import
from desktop_app.services.sync.keys import (
    KEY_SUFFIX, PASSPHRASE_ENV, REPLY_SUFFIX, REQUEST_SUFFIX, enrol_accept, enrol_finish, enrol_request, enrol_revoke,
    enrol_streets, enrolments, key_info, load_keys, new_key, read_request, request_fingerprint, set_passphrase_provider,
)
from desktop_app.services.sync.outgoing import WATERMARK_MARGIN, export_package, send_all, send_package
from desktop_app.services.sync.status import (
    community_choices, community_counts, community_org_ids, communities, exports, imports, silent_warnings, sync_state,
    upper,
)
from desktop_app.services.sync.streets import enrol_set_street
from desktop_app.views.sync import (
    INCOMING, LOCAL, SIDE_LABELS, STATUS_LABELS, CommunityCounts, CommunityStatus, ConflictDetail, ConflictRow,
    BatchItem, BatchReport, Enrolment, EnrolRequestResult, ExportResult, FieldDiff, ImportReport, KeyInfo, KeyUseResult, PackageCheck, PackageInfo,
    SyncState, TableReport,
)

__all__ = [
    "BatchItem", "BatchProgress", "BatchReport", "PackageCheck", "check_packages", "import_packages",
    "INCOMING", "KEY_SUFFIX", "LOCAL", "PASSPHRASE_ENV", "REPLY_SUFFIX", "REQUEST_SUFFIX", "Enrolment",
    "EnrolRequestResult", "enrol_accept", "enrol_finish", "enrol_set_street", "enrol_streets", "enrol_request", "enrol_revoke", "enrolments",
    "read_request", "request_fingerprint", "set_passphrase_provider", "SIDE_LABELS", "STATUS_LABELS", "WATERMARK_MARGIN",
    "CommunityCounts", "CommunityStatus", "ConflictDetail", "ConflictRow", "ExportResult", "FieldDiff",
    "ImportPreview", "ImportReport", "KeyInfo", "KeyUseResult", "PackageInfo", "SyncState", "TableReport",
    "apply_import", "communities", "community_choices", "community_counts", "community_org_ids", "conflict_detail",
    "conflicts", "export_package", "exports", "import_package", "imports", "key_info", "load_keys", "new_key",
    "preview_import", "resolve_conflict", "send_all", "send_package", "silent_warnings",
    "sync_state", "upper",
]
