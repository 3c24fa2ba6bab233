"""YAML with the line of every key, so that editors are told where each mistake is.

YAML is parsed in two steps: compose the node tree (which knows where every key sits in the
file), then construct plain Python values from it. Dates stay strings here; the field checks
parse them so an impossible date gets a message, not a traceback.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import Problems
from .yaml_messages import explain

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that leaves dates as text, so the field checks can explain bad ones."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}



def parse_yaml(text: str, path: Path, problems: Problems, first_line: int = 1):
    """Parse YAML into (values, key lines); None after reporting a syntax error."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        lines: dict[tuple, int] = {}
        data = _construct(loader, node, (), lines, first_line - 1, path, problems, set())
    except yaml.MarkedYAMLError as error:
        slip = explain(error, text)
        problems.error(path, slip.line + first_line, slip.message, slip.hint)
        return None
    except _BadStructure as bad:
        problems.error(path, bad.line, bad.message, bad.hint)
        return None
    except yaml.YAMLError as error:
        problems.error(path, first_line, f"YAML error: {error}")
        return None
    finally:
        loader.dispose()
    return data, lines


class _BadStructure(Exception):
    def __init__(self, line: int, message: str, hint: str):
        self.line, self.message, self.hint = line, message, hint


_TEXT = "tag:yaml.org,2002:str"
MAX_DEPTH = 20  # content files nest two or three levels; deeper is a mistake or an attack


def _construct(loader, node, keys, lines, offset, path, problems, seen):
    """The node's value, noting the line of every key and list entry on the way.

    Text, the commonest value, is taken straight from the node; other scalars go
    through PyYAML's safe constructor.
    """
    line = node.start_mark.line + 1 + offset
    # An alias makes the composer reuse a node; refusing reuse also stops
    # "billion laughs" files, which would expand exponentially when constructed.
    if id(node) in seen:
        raise _BadStructure(line, "YAML anchors and aliases (& and *) are not allowed",
                            "write the value out in full each time it is needed")
    if len(keys) > MAX_DEPTH:
        raise _BadStructure(line, "the values are nested too deeply", "check the indentation and brackets")
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _TEXT:
            return node.value
        try:
            return loader.construct_object(node)
        except (ValueError, TypeError, KeyError, AttributeError) as error:  # e.g. `!!int abc`, or 5,000 digits
            raise _BadStructure(line, f'"{node.value[:40]}" cannot be read as {node.tag.rsplit(":", 1)[-1]}',
                                "remove the !! tag, or put the value in quotes") from error
    if isinstance(node, yaml.MappingNode):
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _BadStructure(key_node.start_mark.line + 1 + offset, "a field name must be a plain word",
                                    "write fields as `name: value`")
            key = key_node.value
            here = keys + (key,)
            if here in lines:
                problems.error(
                    path, key_node.start_mark.line + 1 + offset,
                    f'"{key}" is written twice',
                    f"keep one \"{key}:\" line (the first is on line {lines[here]})",
                )
            lines[here] = key_node.start_mark.line + 1 + offset
            mapping[key] = _construct(loader, value_node, here, lines, offset, path, problems, seen)
        return mapping
    items = []
    for index, item in enumerate(node.value):
        lines[keys + (index,)] = item.start_mark.line + 1 + offset
        items.append(_construct(loader, item, keys + (index,), lines, offset, path, problems, seen))
    return items


def line_of(lines: dict[tuple, int], keys: tuple) -> int:
    """The line of the deepest of ``keys`` that is in ``lines`` (1 for the file's start)."""
    while keys:
        if keys in lines:
            return lines[keys]
        keys = keys[:-1]
    return 1
