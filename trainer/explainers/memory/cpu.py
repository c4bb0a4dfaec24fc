"""How much CPU a memory size brings: a share proportional to memory, in whole cores.

The documentation gives one anchor (1,769 MB is one vCPU) and the proportional rule; the cores
a function sees are that share rounded up, capped at 6. A function's threads can together use
at most the share; one thread at most one core's worth, so at most one vCPU.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from trainer.explainers.memory.limits import MAX_VCPUS, MB_PER_VCPU


def vcpu_share(memory_mb: ArrayLike) -> NDArray[np.float64]:
    """vCPU-seconds of CPU per second at this memory: memory / 1,769 (5.79 at 10,240 MB)."""
    return np.minimum(np.asarray(memory_mb, dtype=float) / MB_PER_VCPU, MAX_VCPUS)


def cores(memory_mb: ArrayLike) -> NDArray[np.int64]:
    """Cores the function sees: the share rounded up, 1 to 6."""
    share = np.asarray(memory_mb, dtype=float) / MB_PER_VCPU
    return np.clip(np.ceil(share - 1e-12), 1, MAX_VCPUS).astype(np.int64)


def usable_vcpus(memory_mb: ArrayLike, threads: int) -> NDArray[np.float64]:
    """CPU a function running this many busy threads can use: min(share, threads)."""
    return np.minimum(vcpu_share(memory_mb), float(threads))
