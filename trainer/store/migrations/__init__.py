"""Alembic's migration environment for the trainer's schema (see ``trainer.store.migrate``)."""
