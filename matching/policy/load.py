"""Reading a policy file (TOML or YAML), merged over the shipped defaults, validated with line numbers.

A mistake in a policy file must stop the system at start with a message an operator can act on:
``policy.toml line 14: checks.price.upper.percent: Input should be greater than or equal to 0``.
TOML's parser reports syntax errors with their line; for values, a small scanner maps each key's dotted
path to the line it is written on (YAML nodes carry their own marks).
"""

from __future__ import annotations

import copy
import re
import tomllib
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from matching.policy.model import Policy
from models.errors import ConfigurationError

DEFAULT_POLICY = "default_policy.toml"
Path_ = tuple[str | int, ...]

_TABLE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*("[^"]+"|[A-Za-z0-9_.\-" ]+?)\s*=')


def default_policy_text() -> str:
    return resources.files("matching").joinpath(DEFAULT_POLICY).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    return parse_policy(default_policy_text(), DEFAULT_POLICY, merge_defaults=False)


def load_policy(path: Path | str | None) -> Policy:
    """The policy at ``path`` over the defaults; the shipped default policy when ``path`` is None."""
    if path is None:
        return default_policy()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read the tolerance policy {p}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"the tolerance policy {p} is not UTF-8 text (byte {exc.start}): save it as "
                                 "UTF-8") from exc
    return parse_policy(text, str(p))


def parse_policy(text: str, name: str, *, merge_defaults: bool = True) -> Policy:
    is_yaml = name.endswith((".yaml", ".yml"))
    data, lines = (_read_yaml if is_yaml else _read_toml)(text, name)
    merged = _merge(_read_toml(default_policy_text(), DEFAULT_POLICY)[0], data) if merge_defaults else data
    try:
        policy = Policy.model_validate(merged)
    except ValidationError as exc:
        problems = [f"{name} {_at(lines, loc)}: {'.'.join(str(p) for p in loc) or '(top)'}: {msg}"
                    for loc, msg in _explain(exc)]
        raise ConfigurationError("invalid tolerance policy:\n  " + "\n  ".join(problems)) from exc
    _refuse_repeated_scopes(policy, lines, name)
    return policy


def _refuse_repeated_scopes(policy: Policy, lines: dict[Path_, int], name: str) -> None:
    """Two rules for the same check and the same scope would make "most specific first" a coin toss."""
    seen: dict[tuple[object, ...], int] = {}
    for i, rule in enumerate(policy.rules):
        key = (rule.check, *rule.scope_key())
        if key in seen:
            first, again = lines.get(("rules", seen[key])), lines.get(("rules", i))
            raise ConfigurationError(
                f"invalid tolerance policy:\n  {name} line {again}: this rule for {rule.check!r} has the same "
                f"scope as the rule at line {first}; merge them")
        seen[key] = i


def _explain(exc: ValidationError) -> list[tuple[Path_, str]]:
    """One message per place. Pydantic reports a union's every branch ("should be 'off'", "should be a
    decimal"); the branch names leave the path, and the "off" alternative is mentioned only when it is
    the sole complaint about that place."""
    found: dict[Path_, list[str]] = {}
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _is_branch_tag(p)))
        found.setdefault(loc, []).append(str(err["msg"]))
    out: list[tuple[Path_, str]] = []
    for loc, messages in found.items():
        deeper = any(other[:len(loc)] == loc and len(other) > len(loc) for other in found)
        useful = [m for m in messages if m != "Input should be 'off'"]
        if not useful and deeper:
            continue
        out.append((loc, "; ".join(dict.fromkeys(useful or messages))))
    return out


def _is_branch_tag(part: str) -> bool:
    return part in {"Side", "decimal", "float"} or part.startswith(("literal[", "function-after["))


def _at(lines: dict[Path_, int], loc: Path_) -> str:
    where = _line_of(lines, loc)
    return f"line {where}" if where else "(in the default policy)"


def _line_of(lines: dict[Path_, int], loc: Path_) -> int | None:
    for n in range(len(loc), 0, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


# A side's limits are one unit: ``upper = { absolute = 5 }`` over ``{ percent = 2 }`` replaces it.
_REPLACED_WHOLE = frozenset({"upper", "lower"})


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key not in _REPLACED_WHOLE:
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


# -- TOML ------------------------------------------------------------------------------------------

def _read_toml(text: str, name: str) -> tuple[dict[str, Any], dict[Path_, int]]:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"invalid tolerance policy {name}: {exc}") from exc
    return data, _toml_lines(text)


def _toml_lines(text: str) -> dict[Path_, int]:
    """Dotted path → line number, for tables, arrays of tables and keys (inline tables: their key's line)."""
    lines: dict[Path_, int] = {}
    counts: dict[Path_, int] = {}
    current: Path_ = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.split("#", 1)[0] if '"' not in raw else raw
        m = _TABLE.match(stripped)
        if m:
            path: Path_ = tuple(_split_key(m.group(2)))
            if m.group(1) == "[[":
                index = counts.get(path, 0)
                counts[path] = index + 1
                path = (*path, index)
            current = path
            lines.setdefault(current, number)
            continue
        k = _KEY.match(stripped)
        if k:
            key_path = (*current, *_split_key(k.group(1)))
            lines.setdefault(key_path, number)
            for inner in re.findall(r"([A-Za-z0-9_]+)\s*=", raw[k.end():]):
                lines.setdefault((*key_path, inner), number)
    return lines


def _split_key(key: str) -> list[str]:
    return [part.strip().strip('"') for part in key.split(".")]


# -- YAML ------------------------------------------------------------------------------------------

def _read_yaml(text: str, name: str) -> tuple[dict[str, Any], dict[Path_, int]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"invalid tolerance policy {name}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(f"invalid tolerance policy {name}: the top level must be a mapping")
    lines: dict[Path_, int] = {}
    _yaml_lines(node, (), lines)
    return _decimals(data), lines


def _yaml_lines(node: yaml.Node | None, path: Path_, out: dict[Path_, int]) -> None:
    if node is None:
        return
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, str(key_node.value))
            out.setdefault(key_path, key_node.start_mark.line + 1)
            _yaml_lines(value_node, key_path, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _yaml_lines(item, (*path, i), out)


def _decimals(value: Any) -> Any:
    """YAML reads 2.5 as a float; amounts must not pass through binary floats, so go by its text.
    YAML 1.1 also reads a bare ``off`` as false: on a side that means the word "off"."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: "off" if k in _REPLACED_WHOLE and value is not None and v is False else _decimals(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value
