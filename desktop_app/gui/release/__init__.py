"""更新说明: what changed, shown once after an upgrade and from 帮助 → 更新说明."""
