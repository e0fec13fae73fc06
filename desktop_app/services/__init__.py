"""Use cases over a unit of work. Each public call commits whole or changes nothing,
and returns plain dataclasses, never live ORM objects."""
