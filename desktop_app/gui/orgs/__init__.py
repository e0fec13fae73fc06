"""组织架构: the organisation tree page and its dialogs."""
