"""The service's tasks by lifecycle stage and task definition revision.

ECS tasks go PROVISIONING → PENDING → RUNNING (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html).
Here a task is *waiting* while no instance has room for it (EC2 only; Fargate finds room at
once), *starting* from placement until it is healthy behind the load balancer, then *running*.
A task of a bad revision runs but never passes its health check (*unhealthy*) and fails after
the grace period. Tasks are counted in groups that share a stage, revision and time, so a run of
hundreds of tasks has only a handful of entries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

FAIL_AFTER_GRACE_S = 30  # a bad task fails its health checks this long after the grace period


@dataclass
class ServiceTasks:
    bad_revisions: frozenset[int] = frozenset()
    waiting: list[list[int]] = field(default_factory=list)  # [revision, count], oldest first
    starting: list[list[int]] = field(default_factory=list)  # [ready_at_s, revision, count]
    running: Counter[int] = field(default_factory=Counter)  # revision -> healthy running tasks
    unhealthy: list[list[int]] = field(default_factory=list)  # [fails_at_s, revision, count]

    # --- Counts ---------------------------------------------------------------------------

    @property
    def n_waiting(self) -> int:
        return sum(n for _, n in self.waiting)

    @property
    def n_starting(self) -> int:
        return sum(n for _, _, n in self.starting)

    @property
    def n_running(self) -> int:
        return sum(self.running.values())

    @property
    def n_unhealthy(self) -> int:
        return sum(n for _, _, n in self.unhealthy)

    @property
    def placed(self) -> int:
        """Tasks holding room on an instance (and an ENI and a subnet address)."""
        return self.n_starting + self.n_running + self.n_unhealthy

    @property
    def total(self) -> int:
        return self.placed + self.n_waiting

    def of_revision(self, rev: int) -> int:
        return (
            sum(n for r, n in self.waiting if r == rev)
            + sum(n for _, r, n in self.starting if r == rev)
            + self.running[rev]
            + sum(n for _, r, n in self.unhealthy if r == rev)
        )

    def next_event(self) -> float:
        times = [t for t, _, _ in self.starting] + [t for t, _, _ in self.unhealthy]
        return min(times, default=float("inf"))

    # --- Changes --------------------------------------------------------------------------

    def add_waiting(self, rev: int, count: int) -> None:
        if count > 0:
            self.waiting.append([rev, count])

    def place(self, now: int, start_s: int, room: int) -> int:
        """Place up to ``room`` waiting tasks, oldest first; returns how many were placed."""
        placed = 0
        while self.waiting and room > placed:
            rev, n = self.waiting[0]
            take = min(n, room - placed)
            self.starting.append([now + start_s, rev, take])
            placed += take
            if take == n:
                self.waiting.pop(0)
            else:
                self.waiting[0][1] = n - take
        return placed

    def advance(self, now: int, grace_s: int) -> Counter[int]:
        """Tasks ready by ``now`` start running (bad ones as unhealthy); returns failed tasks by revision."""
        still = []
        for ready, rev, n in self.starting:
            if ready > now:
                still.append([ready, rev, n])
            elif rev in self.bad_revisions:
                self.unhealthy.append([ready + grace_s + FAIL_AFTER_GRACE_S, rev, n])
            else:
                self.running[rev] += n
        self.starting = still
        failed: Counter[int] = Counter()
        alive = []
        for fails, rev, n in self.unhealthy:
            if fails <= now:
                failed[rev] += n
            else:
                alive.append([fails, rev, n])
        self.unhealthy = alive
        return failed

    def stop(self, count: int, keep_revision: int | None = None) -> int:
        """Stop up to ``count`` tasks: waiting first, then starting, unhealthy, then running;
        within a stage, other revisions than ``keep_revision`` first. Returns how many stopped."""
        left = count
        for stage in (self.waiting, self.starting, self.unhealthy):
            stage.sort(key=lambda row: row[-2] == keep_revision)  # other revisions first
            while stage and left > 0:
                row = stage[0]
                take = min(row[-1], left)
                row[-1] -= take
                left -= take
                if row[-1] == 0:
                    stage.pop(0)
        for rev in sorted(self.running, key=lambda r: r == keep_revision):
            take = min(self.running[rev], left)
            self.running[rev] -= take
            left -= take
        self.running = +self.running
        return count - left

    def stop_running(self, rev: int, count: int) -> int:
        take = min(self.running[rev], count)
        self.running[rev] -= take
        self.running = +self.running
        return take
