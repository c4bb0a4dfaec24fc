"""Connection reuse: what opening a connection costs a Lambda invocation, and what it costs a database.

What is modelled, and why
-------------------------
* **One invocation** (``timeline``) is a row of phases: the cold start's init, then for a new
  connection a DNS lookup, the TCP handshake (one round trip), the TLS handshake (its round
  trips plus the crypto work) and, for a relational database, the login; then the operation
  itself. A connection made during init and kept open is reused by every warm invocation, so a
  warm invocation costs just the operation. AWS advises exactly this for short operations such
  as DynamoDB queries (Lambda developer guide, configuration-vpc and best practices).
* **An idle timeout on the path.** A NAT gateway drops a connection that has been idle for 350
  seconds (VPC user guide, NAT gateway troubleshooting). Without keep-alive, an invocation that
  comes later finds its connection dead, loses a round trip to the reset, and connects again.
* **Many environments** (``simulation``): each execution environment runs invocations one after
  another with a gap between them. The number of environments in use can jump (a burst of
  traffic), and every new one starts cold at the same moment: a *connection storm*.
* **The database's ``max_connections``.** Without a proxy, each environment holds its own
  connection (made at init) or opens one per invocation; connections over the limit are
  refused and the invocation fails. With **RDS Proxy** the function connects to the proxy, and
  the proxy lends each operation one of at most ``max_connections × MaxConnectionsPercent``
  database connections; when all are lent, operations queue for up to
  ``ConnectionBorrowTimeout`` (RDS Proxy documentation).

Round-trip counts, latencies and the crypto time are **assumptions** (AWS does not publish
them); every one of them is a setting, and the page says so next to it.

Modules, lowest first: ``limits`` (AWS values and guards), ``settings`` (the input record, its
checks and its URL form), ``timeline`` (one invocation in closed form), ``results``,
``simulation`` (the event-driven run), ``presets``. Nothing here imports Streamlit; the page is
``trainer/ui/connections.py``, the charts ``trainer/charts/connections.py``, the command
``trainer/cli/simulate_connections.py``.
"""
