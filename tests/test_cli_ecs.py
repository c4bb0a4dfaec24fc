"""``trainer simulate ecs``: flags, JSON keys, one-line errors; plain ``trainer simulate`` unchanged."""

from __future__ import annotations

import json

import pytest

from trainer.cli import main

JSON_KEYS = (
    "max_tasks", "final_tasks", "max_instances", "first_scale_out_s", "scale_out_events",
    "scale_in_events", "pending_task_seconds", "requests_dropped", "cost_usd",
)  # fmt: skip


def test_json_has_the_documented_keys_and_the_closed_form(capsys):
    argv = ["simulate", "ecs", "--launch-type", "fargate", "--rps", "100", "--step-rps", "430",
            "--step-at-s", "600", "--task-rps", "50", "--target-cpu", "70", "--min-tasks", "2",
            "--max-tasks", "40", "--start-tasks", "3", "--seconds", "5400", "--seed", "1",
            "--json"]  # fmt: skip
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(JSON_KEYS) <= set(out)
    assert out["final_tasks"] == out["steady_state_tasks"] == 13  # ceil(430 / (50 × 0.7))
    assert out["first_scale_out_s"] == 780 and out["max_instances"] == 0


def test_ec2_text_and_preset(capsys):
    assert main(["simulate", "ecs", "--preset", "tasks-wait-for-instances"]) == 0
    out = capsys.readouterr().out
    assert "EC2 m5.large (2 tasks each" in out and "waiting for room" in out
    assert main(["simulate", "ecs", "--launch-type", "ec2", "--trunking", "--rps", "200", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tasks_per_instance"] == 4


def test_bad_revision_rolls_back(capsys):
    assert main(["simulate", "ecs", "--rps", "300", "--start-tasks", "9", "--min-tasks", "9",
                 "--bad-revision", "--deploy-at-s", "300", "--seconds", "1800", "--json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["deployment"] == "rolled-back"


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["--min-tasks", "5", "--max-tasks", "2"], "minimum tasks"),
        (["--target-cpu", "150"], "CPU target"),
        (["--seconds", "99999999"], "Too large"),
        (["--launch-type", "ec2", "--instance-type", "t3.large", "--trunking"], "trunking"),
        (["--rps", "lots"], "invalid float value"),
        (["--launch-type", "lambda"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_exit_2(argv, fragment, capsys):
    code: object
    try:
        code = main(["simulate", "ecs", *argv])
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_plain_simulate_still_runs_the_lambda_playground(capsys):
    assert main(["simulate", "--rate", "5", "--seconds", "60", "--json"]) == 0
    assert "throttled" in json.loads(capsys.readouterr().out)
