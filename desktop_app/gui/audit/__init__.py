"""The audit trail in the window: the 操作记录 page."""
