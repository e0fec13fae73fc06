"""共驻共建 pages: partner units, activities, the 双报到 register."""
