"""组织关系转接 page: the register of 转入 and 转出 with their 介绍信 and 回执."""
