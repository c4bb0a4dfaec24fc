"""Every sub-command reports a usage mistake in one line with exit status 2."""

from __future__ import annotations

import pytest

from trainer.cli import main


@pytest.mark.parametrize(
    "argv, fragment",
    [
        ([], "the following arguments are required: COMMAND"),
        (["check", "--bogus"], "unrecognized arguments: --bogus"),
        (["simulate", "--rate", "abc"], "invalid float value: 'abc'"),
        (["size", "ecs"], "the following arguments are required: --launch-type"),
        (["export"], "the following arguments are required: output"),
    ],
)
def test_usage_mistakes_are_one_line(argv, fragment, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert err.count("\n") == 1 and "usage:" not in err
