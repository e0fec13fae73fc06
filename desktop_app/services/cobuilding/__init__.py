"""共驻共建: partner units, activities, and the 双报到 register.

One door for the GUI and CLI: `from desktop_app.services import cobuilding as cb; cb.list_units(db)`.
The modules split along the parts of the work: units, activities, reporting, figures (and printing).
"""

from desktop_app.domain.cobuilding import (  # noqa: F401  the inputs callers build
    ActivityInput, CareInput, ContactInput, CostInput, InquiryInput, ListInput, PersonInput, RecipientInput,
    ReportingInput, ReportItemInput, SeatInput, ServiceInput, UnitInput, UnitReportInput,
)
from desktop_app.services.cobuilding.activities import (  # noqa: F401
    activity_register, activity_signin_sheet, add_photo, add_photos, delete_activity, find_activity, get_activity,
    list_activities,
    photo_path, print_activity_register, print_activity_signin_sheet, record_activity, remove_photo, update_activity,
    volunteer_hours,
)
from desktop_app.services.cobuilding.care import (  # noqa: F401
    care_candidates, delete_care, get_care, list_care, print_care_sheet, record_care, update_care,
)
from desktop_app.services.cobuilding.contacts import (  # noqa: F401
    delete_seat, end_contact, list_contacts, list_seats, print_contact_sheet, save_contact, save_seat,
)
from desktop_app.services.cobuilding.costs import (  # noqa: F401
    cost_of_entry, costs_of, link_cost, linked_entries, record_cost, unlink_cost,
)
from desktop_app.services.cobuilding.figures import (  # noqa: F401
    figures, print_summary, print_unit_page, print_unit_register,
)
from desktop_app.services.cobuilding.inquiries import (  # noqa: F401
    close_inquiry, delete_inquiry, inquiry_to_need, list_inquiries, save_inquiry,
)
from desktop_app.services.cobuilding.joint import (  # noqa: F401
    add_topic, finish_topic, get_joint, list_joint_meetings, set_units,
)
from desktop_app.services.cobuilding.lists import (  # noqa: F401
    claim_project, complete_project, delete_item, link_project, list_items, need_from_visit, print_cobuilding_lists,
    save_item, three_lists,
)
from desktop_app.services.cobuilding.pairing import (  # noqa: F401
    end_pairing, get_pairing, list_pairings, log_pairing_visit, pair_unit, take_on,
)
from desktop_app.services.cobuilding.reporting import (  # noqa: F401
    claim_post, delete_service, end_claim, end_reporting, feedback_forms, get_reporting, list_posts, list_reporting,
    log_service, move_from_roster, print_feedback_forms, print_reporting_register, register_reporting,
    registration_of, save_post, update_reporting,
)
from desktop_app.services.cobuilding.street import (  # noqa: F401
    community_figures, print_street_summary, street_figures,
)
from desktop_app.services.cobuilding.unit_reports import (  # noqa: F401
    add_report_item, delete_report_item, end_report_item, end_unit_report, get_unit_report, list_unit_reports,
    save_unit_report,
)
from desktop_app.services.cobuilding.units import (  # noqa: F401
    delete_unit, list_units, save_unit, unit_kinds_in_use, unit_year,
)
from desktop_app.views.cobuilding import (  # noqa: F401  re-exported read models
    ActivityDetail, ActivityRegister, ActivityRow, ActivitySigninSheet, CareDetail, CareRow, CobuildingFigures,
    CommunityFigures, ContactRow, CostRow, FeedbackForm, InquiryRow, JointDetail, JointMeetingRow, ListRow, PairingDetail,
    PairingItemRow, PairingRow, PostRow, RecipientRow, ReportingDetail, ReportingRow, ReportItemRow, SeatRow,
    ServiceRow, ThreeLists, UnitReportDetail, UnitReportRow, UnitRow, UnitYear, VolunteerHours,
)
