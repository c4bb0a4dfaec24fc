"""A plan as plain data: from and to dicts (YAML files, the page's editors) and URL tokens.

Reading is forgiving where people write by hand (lists of names as ``"a, b"``, ``NAT_gateway``
for ``nat-gateway``) and strict everywhere else: an unknown key is an error naming the closest
known one, and every error says where it is in words a reader of the page's tables or of the
file knows: ``ECS service 'web' (row 2): ...``, with ``, line 7`` added when the data came from a
YAML file that remembers lines (never ``ecs_services[1]``, a programmer's index).
"""

from __future__ import annotations

import base64
import binascii
import difflib
import json
import zlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import yaml

from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.kinds import LaunchType, UseKind
from trainer.explainers.sizing.limits import DEFAULT_HEADROOM_PERCENT, DEFAULT_MAX_PERCENT
from trainer.explainers.sizing.plan import EcsService, LambdaFunction, OtherUse, Plan, Subnet

RecordT = TypeVar("RecordT")

_TOP_KEYS = {
    "vpc_cidr",
    "headroom_percent",
    "subnets",
    "ecs_services",
    "lambda_functions",
    "other_users",
}
_SUBNET_KEYS = {"name", "cidr", "az"}
_SERVICE_KEYS = {
    "name",
    "launch_type",
    "desired",
    "maximum",
    "max_percent",
    "subnets",
    "instance_type",
    "trunking",
    "instances_in_task_subnets",
}
_FUNCTION_KEYS = {"name", "subnets", "security_groups", "connections", "concurrency", "memory_mb"}
_OTHER_KEYS = {"name", "kind", "subnet", "count"}
# Each list's records in words, and the name a record without one gets (subnets need a name).
_LABELS = {
    "subnets": ("Subnet", None),
    "ecs_services": ("ECS service", "service"),
    "lambda_functions": ("Lambda function", "function"),
    "other_users": ("Address user", "other"),
}


def plan_from_dict(data: Any) -> Plan:
    """Build and validate a plan from plain data, as read from YAML or JSON.

    Lists of names (subnets, security groups) may be YAML lists or comma-separated strings.
    Errors name the place: ``ECS service 'web' (row 2, line 7): ...``."""
    top = _mapping(data, "the plan")
    _known_keys(top, _TOP_KEYS, "the plan")
    if "vpc_cidr" not in top:
        raise SizingError("the plan needs a vpc_cidr, e.g. vpc_cidr: 10.0.0.0/16")
    subnets = _records(top, "subnets", _SUBNET_KEYS, _subnet)
    services = _records(top, "ecs_services", _SERVICE_KEYS, _service)
    functions = _records(top, "lambda_functions", _FUNCTION_KEYS, _function)
    others = _records(top, "other_users", _OTHER_KEYS, _other_use)
    headroom = top.get("headroom_percent", DEFAULT_HEADROOM_PERCENT)
    return Plan(
        vpc_cidr=top["vpc_cidr"],
        subnets=tuple(subnets),
        ecs_services=tuple(services),
        lambda_functions=tuple(functions),
        other_users=tuple(others),
        headroom_percent=DEFAULT_HEADROOM_PERCENT if headroom is None else headroom,
    )


def _records(
    top: Mapping[str, Any],
    key: str,
    allowed: set[str],
    make: Callable[[Mapping[str, Any], str, int], RecordT],
) -> list[RecordT]:
    """Build the records listed under ``key``, putting each one's place in front of its errors."""
    raw = top.get(key) or []
    if not isinstance(raw, list):
        raise SizingError(f"{key} must be a list{_line(top, key)}")
    records = []
    for index, value in enumerate(raw):
        who = _who(key, index, value)
        where = f"{who} (row {index + 1})"
        item = _mapping(value, where)
        _known_keys(item, allowed, where)
        try:
            records.append(make(item, where, index))
        except SizingError as exc:
            message = str(exc)
            if message.startswith(where):
                raise
            # The record's own checks name it ("subnet 'a' '10.0.0.0/33' is not ..."): once is enough.
            if message.lower().startswith(who.lower()):
                message = message[len(who) :].lstrip(": ")
            raise SizingError(f"{_at(where, item)}: {message}") from None
    return records


def _who(key: str, index: int, value: Any) -> str:
    """A record in words, by its name when it has one: ``Subnet 'private-a'``."""
    label, default = _LABELS[key]
    name = value.get("name") if isinstance(value, Mapping) else None
    name = name.strip() if isinstance(name, str) and name.strip() else None
    name = name or (f"{default}-{index + 1}" if default else None)
    return f"{label} {name!r}" if name else label


def _subnet(item: Mapping[str, Any], where: str, index: int) -> Subnet:
    return Subnet(
        name=_opt_str(item.get("name")), cidr=_opt_str(item.get("cidr")), az=_opt_str(item.get("az"))
    )


def _service(item: Mapping[str, Any], where: str, index: int) -> EcsService:
    return EcsService(
        name=_opt_str(item.get("name")) or f"service-{index + 1}",
        subnets=_names(item.get("subnets"), where, "subnets"),
        launch_type=item.get("launch_type", LaunchType.FARGATE),
        desired=_num(item, "desired", where, 1),
        maximum=_num(item, "maximum", where, None),
        max_percent=_num(item, "max_percent", where, DEFAULT_MAX_PERCENT),
        instance_type=_opt_str(item.get("instance_type")),
        trunking=_flag(item, "trunking", where, False),
        instances_in_task_subnets=_flag(item, "instances_in_task_subnets", where, True),
    )


def _function(item: Mapping[str, Any], where: str, index: int) -> LambdaFunction:
    return LambdaFunction(
        name=_opt_str(item.get("name")) or f"function-{index + 1}",
        subnets=_names(item.get("subnets"), where, "subnets"),
        security_groups=_names(item.get("security_groups"), where, "security_groups"),
        connections=_num(item, "connections", where, 0),
        concurrency=_num(item, "concurrency", where, None),
        memory_mb=_num(item, "memory_mb", where, None),
    )


def _other_use(item: Mapping[str, Any], where: str, index: int) -> OtherUse:
    return OtherUse(
        name=_opt_str(item.get("name")) or f"other-{index + 1}",
        subnet=_opt_str(item.get("subnet")) or "",
        kind=item.get("kind", UseKind.OTHER),
        count=_num(item, "count", where, 1),
    )


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SizingError(f"{_at(where, value)} must be a mapping of keys to values, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", type(None): "nothing"}.get(type(value), repr(value))


def _line(item: Any, key: str | None = None) -> str:
    """ " (line N)" when the data came from a YAML file that remembers lines."""
    line = _line_number(item, key)
    return f" (line {line})" if line else ""


def _line_number(item: Any, key: str | None) -> int:
    line_of = getattr(item, "line_of", None)
    if line_of is None:
        return 0
    return int(line_of(key) if key else getattr(item, "line", 0) or 0)


def _at(where: str, item: Any, key: str | None = None) -> str:
    """``where`` with the file line added when known: ``Subnet 'a' (row 1, line 4)``."""
    line = _line_number(item, key)
    if not line:
        return where
    if where.endswith(")"):
        return f"{where[:-1]}, line {line})"
    return f"{where} (line {line})"


def _known_keys(item: Mapping[str, Any], allowed: set[str], where: str) -> None:
    for key in item:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else (f"; expected one of {', '.join(sorted(allowed))}")
            )
            raise SizingError(f"{_at(where, item, str(key))}: unknown key {key!r}{hint}")


def _opt_str(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _num(item: Mapping[str, Any], key: str, where: str, default: Any) -> Any:
    value = item.get(key)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SizingError(f"{_at(where, item, key)}: {key} must be a whole number, got {value!r}")
    return value


def _flag(item: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = item.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise SizingError(f"{_at(where, item, key)}: {key} must be true or false, got {value!r}")
    return value


def _names(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value)
    raise SizingError(f"{where}: {key} must be a list of names or a comma-separated text")


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plain-data form of a plan; ``plan_from_dict(plan_to_dict(p)) == p``."""
    services = []
    for s in plan.ecs_services:
        item: dict[str, Any] = {
            "name": s.name,
            "launch_type": s.launch_type.value,
            "desired": s.desired,
            "maximum": s.maximum,
            "max_percent": s.max_percent,
            "subnets": list(s.subnets),
        }
        if s.launch_type is LaunchType.EC2:
            item.update(instance_type=s.instance_type, trunking=s.trunking)
            if not s.instances_in_task_subnets:
                item["instances_in_task_subnets"] = False
        services.append(item)
    functions = []
    for f in plan.lambda_functions:
        item = {
            "name": f.name,
            "subnets": list(f.subnets),
            "security_groups": list(f.security_groups),
            "connections": f.connections,
        }
        if f.concurrency is not None:
            item.update(concurrency=f.concurrency, memory_mb=f.memory_mb)
        functions.append(item)
    return {
        "vpc_cidr": plan.vpc_cidr,
        "headroom_percent": plan.headroom_percent,
        "subnets": [{"name": s.name, "cidr": s.cidr, "az": s.az} for s in plan.subnets],
        "ecs_services": services,
        "lambda_functions": functions,
        "other_users": [
            {"name": o.name, "kind": o.kind.value, "subnet": o.subnet, "count": o.count}
            for o in plan.other_users
        ],
    }


def plan_to_yaml(plan: Plan) -> str:
    return yaml.safe_dump(plan_to_dict(plan), sort_keys=False, default_flow_style=None, width=100)


_TOKEN_VERSION = "1."
_MAX_TOKEN_CHARS = 20_000
_MAX_JSON_BYTES = 200_000


def encode_plan(plan: Plan) -> str:
    """A compact, URL-safe token for a plan: versioned, zlib-compressed JSON in base64url."""
    text = json.dumps(plan_to_dict(plan), separators=(",", ":"))
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).decode().rstrip("=")
    return _TOKEN_VERSION + packed


def decode_plan(token: Any) -> Plan:
    """Read a token from :func:`encode_plan`; anything damaged raises :class:`SizingError`."""
    broken = "the plan in the link is damaged or incomplete"
    if not isinstance(token, str) or not token.startswith(_TOKEN_VERSION):
        raise SizingError(f"{broken} (it does not start with {_TOKEN_VERSION!r})")
    if len(token) > _MAX_TOKEN_CHARS:
        raise SizingError(f"{broken} (it is too long)")
    body = token[len(_TOKEN_VERSION) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj()
        text = inflater.decompress(raw, _MAX_JSON_BYTES)
        if inflater.unconsumed_tail or inflater.unused_data or not inflater.eof:
            raise ValueError("truncated or too large")
        data = json.loads(text.decode("utf-8"))
    # RecursionError: a small token can inflate to JSON nested thousands of levels deep.
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError, RecursionError):
        raise SizingError(f"{broken} (it could not be decoded)") from None
    try:
        return plan_from_dict(data)
    except SizingError as exc:
        raise SizingError(f"{broken}: {exc}") from None
