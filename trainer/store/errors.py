"""The one error the store raises for a database it cannot use."""

from __future__ import annotations


class StorageError(RuntimeError):
    """The database cannot be used; the message says what is wrong and how to fix it.

    Never carries SQL, a traceback or a password: callers show the message as it is.
    """


class DatabaseUrlError(StorageError):
    """``TRAINER_DATABASE_URL`` (or the URL given) is not something the trainer can connect with."""
