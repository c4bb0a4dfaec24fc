"""ECS service auto scaling: the engine behind the "ECS auto scaling" explainer.

One ECS service behind an Application Load Balancer, second by second: offered load (the
traffic shapes of ``trainer.explainers.traffic``), per-task capacity, CPU and memory
utilisation and requests per target; Service Auto Scaling as Application Auto Scaling does it
(target tracking with the alarms it creates, cooldowns, min/max, disable-scale-in, several
policies at once, or step scaling); the capacity layer (Fargate, or EC2 instances in an Auto
Scaling group with capacity provider managed scaling, tasks per instance by CPU, memory and
awsvpc ENIs, binpack or spread); and rolling deployments with the circuit breaker.

Where each behaviour is documented is in ``limits`` and the modules' docstrings; every point
AWS does not document, and the simulator had to choose, is in ``choices.MODELLING_CHOICES`` and
shown on the page.

The modules, lowest first:

* ``limits`` — AWS values with their sources, and the simulator's guards;
* ``choices`` — the modelling choices, as the page lists them;
* ``pricing`` — Fargate and EC2 prices, instance shapes;
* ``settings`` — the settings record, its enums and checks;
* ``load`` — requests served and dropped, CPU, memory and requests per target;
* ``alarms`` — CloudWatch alarms over one-minute datapoints;
* ``target_tracking``, ``step_scaling`` — the two kinds of policy;
* ``scaler`` — Service Auto Scaling's decision: winning policy, cooldowns, bounds;
* ``tasks`` — the service's tasks by stage and revision;
* ``capacity`` — Fargate, or EC2 instances with managed scaling;
* ``deployments`` — rolling updates and the circuit breaker;
* ``results``, ``summary`` — what a run produced;
* ``simulation`` — :func:`~trainer.explainers.ecs_scaling.simulation.simulate`, the entry point;
* ``presets`` and ``links`` — the presets, and deep links.

Nothing here imports Streamlit; the page is ``trainer/ui/ecs_scaling.py``, its chart
``trainer/charts/ecs_scaling.py``, the command ``trainer/cli/simulate_ecs.py``.
"""
