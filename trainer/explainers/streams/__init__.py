"""Stream event sources (Kinesis and DynamoDB Streams): the engine behind the streams explainer.

What is modelled
----------------
* A stream of ``shards``; each receives records at a steady rate, spread over its partition
  keys. Lambda reads each shard with up to ``ParallelizationFactor`` batches in flight, each
  partition key always in the same one, so records of one key are processed in order.
* Batches leave when full or when the batching window runs out; an invocation takes the
  function's duration. IteratorAge is reported for every batch sent.
* One optional poison record makes every batch holding it fail: retries, bisection,
  ReportBatchItemFailures checkpoints, MaximumRetryAttempts, MaximumRecordAgeInSeconds and the
  on-failure destination decide what happens to it and to the records behind it.

The AWS behaviour and where it is documented is in ``limits`` and ``lanes``.

The modules, lowest first:

* ``limits`` — AWS limits for stream mappings, and the simulator's guards;
* ``settings`` — the settings record and its checks;
* ``lanes`` — the run loop of one lane (one in-flight batch at a time);
* ``results`` — per-second series, summary, result;
* ``simulation`` — :func:`~trainer.explainers.streams.simulation.simulate`, the entry point;
* ``presets`` — the presets, each teaching one idea.

Nothing here imports Streamlit; the page is ``trainer/ui/streams.py``, its chart
``trainer/charts/streams.py``, the command ``trainer/cli/simulate_stream.py``.
"""
