"""The sync page (数据同步): its page, the conflicts tab, table models and dialogs."""
