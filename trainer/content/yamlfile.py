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

from trainer.content.limits import MAX_DEPTH, MAX_NODES, ContentLimits, RefusedFile, read_text

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


def load_yaml(path: Path, root: Path | None = None, max_bytes: int | None = None) -> Any:
    """Parse one YAML file safely; raise YamlError (never a raw traceback) on any failure.

    Only a regular file is read, inside ``root`` when given, of at most ``max_bytes`` (the
    environment's limit by default): see ``trainer.content.limits``.
    """
    if max_bytes is None:
        max_bytes = ContentLimits.from_env().max_file_bytes
    try:
        text = read_text(path, root, max_bytes)
    except RefusedFile as exc:
        raise YamlError(path, 0, str(exc)) from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path, loader: type[Any] | None = None) -> Any:
    """Parse YAML text; the path only labels the messages. ``loader`` is for tests.

    The node tree is composed first and its depth and size checked before any Python object
    is built: building recurses once per level, and a list nested 20,000 deep raised a
    RecursionError that took the whole app down.
    """
    reader = (loader or LineLoader)(text)
    try:
        node = reader.get_single_node()
        if node is None:
            return None
        _check_shape(node, path)
        return reader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        if "python/" in str(what) or "could not determine a constructor" in str(what):
            what = f"{what} (Python-specific tags are not allowed: content files are plain data)"
        _raise(path, line, f"malformed YAML: {what}")
    except yaml.YAMLError as exc:
        _raise(path, 0, f"malformed YAML: {exc}")
    except RecursionError:  # the pure-Python composer recurses too; a last guard
        _raise(path, 0, f"nested more than {MAX_DEPTH} levels deep; content is at most a few levels")
    finally:
        reader.dispose()


def _check_shape(root: yaml.Node, path: Path) -> None:
    """Refuse a tree deeper than MAX_DEPTH or with more than MAX_NODES values, without recursing.

    Aliases share nodes (and may even form a loop), so each node is walked once.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            _raise(
                path,
                node.start_mark.line + 1,
                f"nested more than {MAX_DEPTH} levels deep; content is at most a few levels",
            )
        if len(seen) > MAX_NODES:
            _raise(path, node.start_mark.line + 1, f"more than {MAX_NODES:,} values in one file; split it")
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))


def _raise(path: Path, line: int, message: str) -> NoReturn:
    raise YamlError(path, line, message)
