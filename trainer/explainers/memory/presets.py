"""The tuner's presets: each one teaches one idea, with what to watch in the chart.

Preset ids are stable: content YAML links cards to them, the page loads them from
``?preset=<id>`` and ``trainer tune --preset`` offers the same ids.
"""

from __future__ import annotations

from trainer.explainers.memory.pricing import Arch
from trainer.explainers.memory.settings import TuningSettings
from trainer.explainers.memory.workloads import Workload
from trainer.explainers.preset import Preset


def _presets() -> dict[str, Preset[TuningSettings]]:
    presets = [
        Preset(
            "single-thread-plateau",
            "A single thread stops speeding up at 1,769 MB",
            "CPU comes with memory: 1,769 MB is one vCPU. One thread can use at most one vCPU, "
            "so a CPU-bound single-threaded function gets faster up to 1,769 MB and not at all "
            "after it, while every extra MB is still billed.",
            "The duration halves each time memory doubles, until the 1 vCPU line; from there it "
            "is flat. The cost stays level up to 1,769 MB (twice the memory for half the time) "
            "and then climbs in a straight line. In the lower panel the vCPUs on offer keep "
            "rising, the vCPUs the thread can use stop at 1. Cold-start init time falls the same "
            "way, since init code runs on one thread too.",
            TuningSettings(Workload.CPU, duration_ms_at_1024=2_000, init_ms_at_1024=800),
        ),
        Preset(
            "multi-thread-scales",
            "Multi-threaded code keeps getting faster",
            "Above 1,769 MB a function has more than one vCPU (up to 6 cores at the top sizes). "
            "Only code that runs on several threads at once can use them.",
            "The fastest setting is 10,240 MB: the duration keeps falling past every vCPU line. "
            "The 5 % of the work that stays on one thread makes each extra GB help a little "
            "less, so the cost creeps up; the balanced point sits just above one vCPU.",
            TuningSettings(Workload.CPU_MULTI, duration_ms_at_1024=4_000),
        ),
        Preset(
            "io-bound",
            "An I/O-bound function barely notices memory",
            "A function that mostly waits for other services spends little time computing, so "
            "extra CPU shortens only that little part. More memory then mostly costs more.",
            "The duration curve is almost flat: 300 ms at 1,024 MB, still about 287 ms at "
            "1,769 MB. The cost grows almost in proportion to memory, so the cheapest setting is "
            "the smallest, and paying for 10 GB buys nothing.",
            TuningSettings(Workload.IO, duration_ms_at_1024=300),
        ),
        Preset(
            "balanced-weight",
            "Balanced: choose how much speed a dollar is worth",
            "Between the cheapest and the fastest setting there is a trade-off. AWS Lambda Power "
            "Tuning's balanced strategy weighs the normalised cost against the normalised "
            "duration; the weight is yours.",
            "A mixed function: half computing, half waiting. At weight 0.5 the balanced point "
            "is 1,357 MB, between the cheapest (128 MB) and the fastest (1,769 MB). Move the "
            "weight towards 1 and it slides to the cheapest, towards 0 to the fastest.",
            TuningSettings(Workload.MIXED, duration_ms_at_1024=1_000, cost_weight=0.5),
        ),
        Preset(
            "arm-price",
            "Arm: the same curve at a lower price per GB-second",
            "Functions on Arm (Graviton) pay less per GB-second than on x86; the request price "
            "is the same. Whether the code also runs faster or slower on Arm is for you to "
            "measure: set the relative speed.",
            "The same single-threaded function as the first preset, on Arm at the same speed: "
            "every cost point is about 20 % lower and the shape is unchanged. Set Arm's speed "
            "to 0.8 and the costs match x86 again: that is how much slower code on Arm can be "
            "before it stops being cheaper.",
            TuningSettings(Workload.CPU, duration_ms_at_1024=2_000, arch=Arch.ARM),
        ),
        Preset(
            "timeout-at-low-memory",
            "Too little memory can mean a timeout",
            "A long CPU-bound job at a small memory size gets a small slice of a vCPU and can "
            "run past the 15-minute timeout. Raising memory, not the timeout, is the fix.",
            "The job takes 200 s at 1,024 MB, so 1,600 s at 128 MB: past the 900 s timeout. The "
            "sizes below about 228 MB are greyed out as timeouts; the cheapest usable setting "
            "is the first that finishes, and the job is fastest (116 s) from 1,769 MB on.",
            TuningSettings(Workload.CPU, duration_ms_at_1024=200_000),
        ),
    ]
    return {p.id: p for p in presets}


PRESETS: dict[str, Preset[TuningSettings]] = _presets()
