"""Opening an explainer page under AppTest, as the explainer page tests all do: the page file on
its own, with a query string, run once, and no exception allowed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def open_explainer(module: str, *, timeout: float = 30, **query: str) -> AppTest:
    """Run ``trainer/ui/<module>`` with ``query`` in the address; it must not raise."""
    at = AppTest.from_file(str(ROOT / "trainer" / "ui" / module), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """The page's metrics by label."""
    return {m.label: m.value for m in at.metric}


def url(at: AppTest) -> dict[str, str]:
    """The page's query parameters, one value each."""
    return {k: (v[0] if isinstance(v, list) else v) for k, v in dict(at.query_params).items()}
