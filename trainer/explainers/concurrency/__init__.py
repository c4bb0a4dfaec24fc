"""Lambda concurrency and throttling simulator: the engine behind the concurrency playground.

What is modelled, and why it is modelled this way
-------------------------------------------------
* **Requests** arrive as a Poisson process whose rate follows a
  :class:`~trainer.explainers.traffic.Load` shape. Each has a duration drawn from a fixed,
  exponential or lognormal distribution.
* **Execution environments** serve one request at a time. A request that finds an idle
  environment starts warm; otherwise a new environment is created, which takes the
  initialisation (cold-start) time before the handler runs. An idle environment is reclaimed
  after ``idle_reclaim_s``. The most recently freed environment is reused first, so a pool that
  grew for a spike shrinks again once the spike is over (AWS does not document how it picks an
  environment; this is the simulator's assumption). Provisioned environments are always
  initialised, never reclaimed, and are used before any on-demand environment.
* **Limits.** The function may run at most ``reserved`` requests at once if reserved
  concurrency is set; otherwise whatever the account limit leaves after the other functions'
  load. On top of that, at most 1,000 new environments may be created per function in each
  10-second window. A request over either limit is throttled (HTTP 429).
* **Invocation types.** Synchronous callers get the 429 and may retry. Asynchronous events are
  queued by Lambda and retried, then sent to the dead-letter queue (``retries``). With an SQS
  event source mapping the messages wait in the queue and pollers take batches (``sqs``).
* **Cost** uses us-east-1 x86 prices (``pricing``).

The event-driven loops record only times; everything that does not feed back into their
decisions (per-second series, latencies, cost) is computed afterwards with numpy. 600,000
synchronous requests take about an eighth of a second, series and summary included
(``benchmarks/playground.py`` compares that with a SimPy model of the same system).

The modules, lowest first (each imports only those above it):

* ``limits`` — AWS quotas and schedules, and the simulator's guards;
* ``pricing`` — the prices the cost figures use;
* ``durations`` — the handler duration distributions (fixed, exponential, lognormal);
* ``settings`` — the playground's settings record, the invocation type, and their checks;
* ``erlang`` — the Erlang-B formula and where its prediction applies;
* ``results`` — per-second series, the summary and the simulation result;
* ``raw_run`` — what a run loop hands to the summary;
* ``environments`` — the scaling budget and idle environments' reclaim times;
* ``sync_counted`` — the synchronous loop without provisioned concurrency, which counts
  the environments running instead of keeping them in a heap;
* ``sync``, ``retries``, ``sqs`` — the three run loops, one per way of invoking;
* ``series`` — per-second series from event times;
* ``summarise`` — the result of a run: series, cost, latency, summary;
* ``simulation`` — :func:`~trainer.explainers.concurrency.simulation.simulate`, the entry point;
* ``presets`` — the presets, each teaching one idea.

Nothing here imports Streamlit; the page is ``trainer/ui/playground.py``, its chart
``trainer/charts/concurrency.py``, the command ``trainer/cli/simulate.py``.
"""
