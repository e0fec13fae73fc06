"""A member's life in the party after joining: 出党, discipline, 不合格党员处置, moves, 流动, 失联, 议题.

One module per seam: exits (出党 and leaving the roster, article 9's six
months), discipline (党纪处分 and 处置), moves (dated moves between branches),
floating (流入/流出 registers and 失联 searches), topics (议题 with votes on a
meeting's record) and life (one member's page). Everything public is
re-exported here.
"""

from desktop_app.domain.memberlife import DisciplineInput, DisposalInput, ExitInput, FloatingInput
from desktop_app.services.memberlife.discipline import (
    add_discipline, add_disposal, disciplines, disposals, lift_probation, set_disposal_outcome, withdraw_discipline,
    withdraw_disposal,
)
from desktop_app.services.memberlife.exits import exits, lapse_candidates, record_exit, withdraw_exit
from desktop_app.services.memberlife.floating import (
    add_floating, add_search, decide_lost, end_floating, floating, lost_members, searches, withdraw_floating,
)
from desktop_app.services.memberlife.life import find_member, find_org, member_life
from desktop_app.services.memberlife.moves import move_member, moves, record_move, withdraw_move
from desktop_app.services.memberlife.topics import add_topic, delete_topic, topics
from desktop_app.views.memberlife import (
    DisciplineRow, DisposalRow, ExitRow, FloatingRow, LapseRow, LostRow, MemberLife, MoveRow, SearchRow, TopicRow,
)

__all__ = [
    "DisciplineInput", "DisposalInput", "ExitInput", "FloatingInput",
    "DisciplineRow", "DisposalRow", "ExitRow", "FloatingRow", "LapseRow", "LostRow", "MemberLife", "MoveRow",
    "SearchRow", "TopicRow",
    "add_discipline", "add_disposal", "add_floating", "add_search", "add_topic", "decide_lost", "delete_topic",
    "disciplines", "disposals", "end_floating", "exits", "floating", "lapse_candidates", "lift_probation",
    "find_member", "find_org", "lost_members", "member_life", "move_member", "moves", "record_exit", "record_move", "searches",
    "set_disposal_outcome", "topics", "withdraw_discipline", "withdraw_disposal", "withdraw_exit",
    "withdraw_floating", "withdraw_move",
]
