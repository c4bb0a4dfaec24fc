"""Does the database answer? The one probe behind the readiness check and the pages' self-retry.

``/_stcore/health`` is Streamlit's and says only that the web server is up: it stayed ``ok``
through a whole PostgreSQL outage. A proxy or an orchestrator that should stop routing to a
server that cannot reach its database asks the readiness check instead (``trainer serve``'s
``/_trainer/ready`` and ``trainer db ready``), and a page that failed because the database was
down uses the same probe to know when to try again by itself.

The probe runs ``SELECT 1`` through the process's engine; it never raises and never returns a
password or SQL, only a plain reason.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from trainer.store.engine import get_engine
from trainer.store.errors import StorageError


def database_problem(url: str | None = None, engine: Engine | None = None) -> str | None:
    """None when the database answers a query; otherwise why not, in one plain line.

    ``engine`` probes that engine (``trainer db ready`` passes one that migrates nothing);
    otherwise the process's engine for ``url``.
    """
    try:
        engine = engine or get_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1")).scalar_one()
    except StorageError as exc:
        return str(exc)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).strip().splitlines()
        return f"the database does not answer: {reason[0] if reason else type(exc).__name__}"
    return None
