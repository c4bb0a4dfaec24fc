"""Memory, CPU and cost: the engine behind the memory and cost tuner (a Power Tuning to play with).

What is modelled, and why it is modelled this way
-------------------------------------------------
* **CPU follows memory.** Lambda has no CPU setting: at 1,769 MB a function has the equivalent
  of one vCPU, and the share grows in proportion to memory (``cpu``). The number of cores the
  function sees is that share rounded up, at most 6 (the 10,240 MB top setting).
* **Workloads** (``workloads``) say how a function's time at 1,024 MB splits between computing
  and waiting, and whether the computing can use more than one core. A single thread can never
  use more than one vCPU, which is why a single-threaded function gains nothing above 1,769 MB.
* **Duration** at each memory size scales the computing part by the CPU it can use; the
  waiting part (network, disk, other services) does not change (``model``).
* **Cost** is GB-seconds times the price per GB-second plus the request price, per million
  invocations, with us-east-1 first-tier prices (``pricing``). Init time is shown, not billed.
* **Choosing** (``tuning``): the cheapest and the fastest settings are the smallest memory
  that reaches the minimum cost or duration; the balanced one minimises AWS Lambda Power
  Tuning's weighted score of normalised cost and duration.

Everything is closed-form numpy over every memory size from 128 MB to 10,240 MB in 1 MB
steps, so a whole curve takes well under a millisecond.

The modules, lowest first: ``limits``, ``pricing``, ``cpu``, ``workloads``, ``settings``,
``model``, ``tuning``, ``presets``. Nothing here imports Streamlit; the page is
``trainer/ui/memory.py``, its chart ``trainer/charts/memory.py``, the command
``trainer/cli/tune.py``.
"""
