"""Safe YAML reading that remembers where every mapping came from.

Content authors need "file:line: what is wrong", so the loader records the line of each
mapping and of each key in it. Only PyYAML's safe loaders are used: a ``!!python/object`` tag
is a construction error reported with its line, never executed.

PyYAML's C parser (libyaml, ``CSafeLoader``) is used where PyYAML was built with it: it parses
the bank several times faster. Both parsers give nodes the same start marks, and the line
numbers come from those marks, so messages are the same with either
(``tests/test_content.py`` compares them on a file full of problems).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml

#: The safe loader to build on: libyaml's when PyYAML has it, else the pure-Python one.
BaseSafeLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[Any, Any]):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def line_loader(base: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> type[Any]:
    """A loader class on ``base`` (a safe loader) whose mappings are LineDicts.

    A class of its own, so that adding the constructor leaves PyYAML's loaders untouched.
    """
    loader: Any = type(f"Line{base.__name__}", (base,), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    return loader


LineLoader = line_loader(BaseSafeLoader)
PureLineLoader = line_loader(yaml.SafeLoader)


@dataclass
class YamlError(Exception):
    """A file that could not be read as YAML, with the line where reading stopped.

    Not frozen: Python sets ``__traceback__`` on an exception as it propagates.
    """

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def load_yaml(path: Path) -> Any:
    """Parse one YAML file safely; raise YamlError (never a raw traceback) on any failure."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(path, 0, f"cannot read file: {exc}") from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path, loader: type[Any] | None = None) -> Any:
    """Parse YAML text; the path only labels the messages. ``loader`` is for tests."""
    try:
        return yaml.load(text, Loader=loader or LineLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        if "python/" in str(what) or "could not determine a constructor" in str(what):
            what = f"{what} (Python-specific tags are not allowed: content files are plain data)"
        _raise(path, line, f"malformed YAML: {what}")
    except yaml.YAMLError as exc:
        _raise(path, 0, f"malformed YAML: {exc}")


def _raise(path: Path, line: int, message: str) -> NoReturn:
    raise YamlError(path, line, message)
