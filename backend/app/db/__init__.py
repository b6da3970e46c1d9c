"""The relational database: SQLAlchemy engine and sessions, declarative base, Alembic migrations."""
