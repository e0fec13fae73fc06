"""A member's life in the party after joining: 出党, discipline, moves, 流动 and 失联 (pages and forms)."""
