"""SQLAlchemy models, engine and session setup, migration runner."""
