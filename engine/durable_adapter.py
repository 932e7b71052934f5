"""The one place that talks to durable-rules 2.0.28, and contains its traps.

Each trap in ../shared/durable-rules.md, and what this adapter does about it:

1. A fact no rule matches raises MessageNotHandledException and is not stored:
   that exception is durable-rules' verdict "no condition holds", and is taken
   as such (engine/run.py proves every verdict against the reference). No
   catch-all rule: it cost one Python call per fact, and proved only that a
   fact went in, not what came out.
2. Hash collisions drop facts ("already observed"): a fact refused that way is
   asserted again into an overflow session of its own, and counted.
3. Batches lose matches: facts are asserted one at a time, never in a batch.
4. Exceptions inside actions are swallowed into the session state: our actions
   only record a match; one that raises fails the run (``_post`` keeps it), and
   the state of every session a plan touched is read for ``exception`` before
   it is deleted; one there fails the run.
5. A ruleset cannot be registered twice: each Evaluation builds a fresh Host
   with uniquely named rulesets.
6. At most 255 properties per fact: checked before asserting, with a clear error.
7. delete_state racing the background dispatch thread: our Host starts no
   background threads (we use no timers; actions run inside ``_post``).
8. A missing field silently fails a condition: engine/compile.py guards
   comparisons, and rules get companion "missing data" conditions.
9. At most 1,024 live sessions per ruleset: one plan at a time, in one session
   id, emptied when the plan is done (see 14).
10. Large rulesets hang or corrupt the heap: the limits are per node of the
   alpha network and per fact (LIMITS below). ``plan_rulesets`` models the
   network durable-rules will build and packs the conditions into as many
   rulesets as needed, each at most half way to every limit.
11. Non-finite numbers match nothing (nan) or fail the assertion (inf), and a
   null value means "present" to durable-rules but "missing" to the rules:
   any such value is refused with an error naming the fact and the field.
12. A session with no facts has no state (error 309): only sessions in which a
   fact was stored are read and deleted; a plan with no facts opens none.
13. A rule fires once per satisfied branch of an '$or': matches are kept once
   per (condition, fact). Arithmetic on two literals never matches: compile.py
   folds it. '$not' is refused: compile.py pushes negation down.
14. Deleting a session in which no fact was stored (every fact matched nothing)
   crashes the process (segfault). Only sessions that stored a fact are deleted;
   the others hold nothing, and every plan uses the same session id, so they
   never pile up toward the 1,024 limit.

A fact is asserted by the same calls into durable-rules' C engine that its Python layer
makes (``Ruleset.assert_fact``, ``Ruleset.do_actions``, ``_flush_actions``), in the same
order, without the Python objects that layer builds around each one: an exception that
formats the whole fact as JSON for every fact no rule matches (trap 1, most facts), a
``Closure`` per match. That layer was half the adapter's time (``Evaluation._post``).
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from durable import engine as durable

from dondoc.errors import EngineError

SESSION = "plan"  # the one session id (trap 14)
_C = durable.durable_rules_engine  # durable-rules' C engine, called as its own Python layer calls it
STORED, NOT_HANDLED, OBSERVED = 0, 1, 2  # what an assertion did: assert_fact's own result codes
MAX_PROPERTIES = 250  # durable-rules' limit is 255, including the sid and fid we add

# Limits of durable-rules 2.0.28 (src/rules/rete.c and rules.h), measured here by
# ``python -m bench.limits`` (each probe in a subprocess with a timeout; docs/engine.md):
LIMITS = {
    # alpha nodes waiting while one fact is matched: the 65th is error 303 (MAX_STACK_SIZE)
    "stack": 64,
    # tested children ($ex, ==, <, ...) of one node, in a 512-slot table: when it is full,
    # the next lookup never ends (512 rules 'x >= i' hang for ever)
    "tested": 511,
    # 'is missing' children of one node ($nex, and one join per '$or'): with 128 matching
    # reads past the end of the list and crashed (segfault); the 129th is refused
    "absent": 127,
    # conditions ending on one node: the 256th crashes the process (segfault), the 257th is refused
    "ends": 255,
}
# Every ruleset the adapter builds stays at half of each limit or below.
BUDGET = {name: limit // 2 for name, limit in LIMITS.items()}


class _Host(durable.Host):
    """A Host without the background dispatch threads (trap 7): we use no timers."""

    def _run(self) -> None:  # noqa: D401 - replaces the thread start-up
        return None


# -- the alpha network durable-rules builds, as a model (trap 10) -----------------------------

_TESTS = {"$lt", "$lte", "$gt", "$gte", "$neq", "$ex", "$mt", "$imt"}


class _Node:
    __slots__ = ("tested", "absent", "ends", "parents", "equality", "others", "stack")

    def __init__(self) -> None:
        self.tested: dict[tuple, _Node] = {}  # (field, operator, value) -> child
        self.absent: dict[Any, _Node] = {}  # $nex children by field; '$or' joins by a fresh key
        self.ends = 0  # conditions that end here
        self.parents: list[_Node] = []
        self.equality: set[str] = set()  # fields with '==' children: one per field can hold
        self.others = 0  # other tested children: all may hold
        self.stack = 0  # the most stack entries matching from here can need (see Network)

    def pushed(self) -> int:
        """Children pushed when the worst fact reaches this node."""
        return len(self.absent) + len(self.equality) + self.others

    def worst_stack(self) -> int:
        pushed = self.pushed()
        if not pushed:
            return 0
        # Children are popped one by one: the worst is the deepest one while its siblings wait.
        deepest = max(child.stack for child in (*self.tested.values(), *self.absent.values()))
        return max(pushed, pushed - 1 + deepest)


def _value_key(value: Any) -> Any:
    # durable-rules shares a node only for an equal plain value; arithmetic or a reference to
    # another field is taken as never shared, which can only overestimate the network.
    return json.dumps(value, sort_keys=True) if not isinstance(value, dict) else object()


class Network:
    """The alpha network durable-rules 2.0.28 builds for a set of conditions (rete.c).

    ``$and`` chains its items; ``$or`` builds each branch from the same node and joins
    them in a new node (never shared) listed among the branches' 'missing' children; a
    leaf is shared with an equal leaf under the same parent. Matching a fact pops a node
    and pushes each child that holds, so the stack it needs is worked out for the worst
    fact: every child holds, except that of several '==' tests on one field only one can.
    ``figures`` gives the largest count of each limited thing (see LIMITS).
    """

    def __init__(self) -> None:
        self.root = _Node()
        self._most = {"tested": 0, "absent": 0, "ends": 0}

    def add(self, condition: dict) -> None:
        changed: list[_Node] = []
        end = self._build(condition, self.root, changed)
        end.ends += 1
        self._most["ends"] = max(self._most["ends"], end.ends)
        for node in changed:
            self._refresh(node)

    def _refresh(self, node: _Node) -> None:
        stack = node.worst_stack()
        if stack != node.stack:
            node.stack = stack
            for parent in node.parents:
                self._refresh(parent)

    def _child(self, parent: _Node, table: dict, key: Any, changed: list[_Node]) -> _Node:
        child = table.get(key)
        if child is None:
            child = table[key] = _Node()
            child.parents.append(parent)
            changed.append(parent)
        return child

    def _build(self, condition: Any, parent: _Node, changed: list[_Node]) -> _Node:
        if not isinstance(condition, dict) or len(condition) != 1:
            raise ValueError(f"durable-rules reads one test per object, not {condition!r}")
        (op, body), = condition.items()
        if op == "$and":
            node = parent
            for item in body:
                node = self._build(item, node, changed)
            return node
        if op == "$or":
            join = _Node()
            for item in body:
                end = self._build(item, parent, changed)
                end.absent[object()] = join
                join.parents.append(end)
                changed.append(end)
                self._most["absent"] = max(self._most["absent"], len(end.absent))
            return join
        if op == "$nex":
            (name, _), = body.items()
            child = self._child(parent, parent.absent, name, changed)
            self._most["absent"] = max(self._most["absent"], len(parent.absent))
            return child
        if op in _TESTS:
            (name, value), = body.items()
        elif op.startswith("$"):
            raise ValueError(f"the engine does not use durable-rules' operator {op}")
        else:
            name, value, op = op, body, "=="
        key = (name, op, _value_key(value))
        if key not in parent.tested:
            if op == "==":
                parent.equality.add(name)
            else:
                parent.others += 1
        child = self._child(parent, parent.tested, key, changed)
        self._most["tested"] = max(self._most["tested"], len(parent.tested))
        return child

    def figures(self) -> dict[str, int]:
        """The largest count of each limited thing in the network, for the worst fact."""
        # durable-rules starts with the root on its stack, then pops it
        return {"stack": max(1, self.root.stack), **self._most}


def check_limits(conditions: dict[str, dict]) -> dict[str, str]:
    """The conditions durable-rules cannot run even alone in a ruleset, and why.

    ``dondoc rules check`` reports these; the engine stops those rules (exit 3).
    """
    refused: dict[str, str] = {}
    for key, condition in conditions.items():
        network = Network()
        try:
            network.add(condition)
        except ValueError as exc:
            refused[key] = str(exc)
            continue
        over = {n: v for n, v in network.figures().items() if v > BUDGET[n]}
        if over:
            refused[key] = "too large for durable-rules: " + ", ".join(
                f"{n} {v} (the engine keeps it at {BUDGET[n]} or less; durable-rules fails above {LIMITS[n]})"
                for n, v in sorted(over.items())
            )
    return refused


def _fits(network: Network) -> bool:
    return all(v <= BUDGET[n] for n, v in network.figures().items())


def kind_of(condition: dict) -> str | None:
    """The fact kind a condition starts by testing (engine/compile.py writes that first), if any."""
    head = condition.get("$and", [condition])[0] if isinstance(condition, dict) else None
    if isinstance(head, dict) and len(head) == 1 and isinstance(head.get("kind"), str):
        return head["kind"]
    return None


def plan_rulesets(conditions: dict[str, dict]) -> list[list[str]]:
    """The conditions packed into rulesets durable-rules can run, in order.

    Conditions that test one kind of fact first share rulesets only with conditions
    of the same kind, so a fact goes only to the rulesets that can match it. A new
    ruleset starts where the next condition would take one past BUDGET. A condition
    over budget on its own raises EngineError naming it (see ``check_limits``).
    """
    refused = check_limits(conditions)
    if refused:
        key = next(iter(refused))
        raise EngineError(refused[key], key)
    groups: list[list[str]] = []
    open_groups: dict[str | None, tuple[list[str], Network]] = {}
    for key, condition in conditions.items():
        kind = kind_of(condition)
        group, network = open_groups.get(kind, (None, None))
        if group is not None:
            network.add(condition)
            if _fits(network):
                group.append(key)
                continue
        network = Network()
        network.add(condition)
        group = [key]
        groups.append(group)
        open_groups[kind] = (group, network)
    return groups


# -- evaluation ---------------------------------------------------------------------------------


@dataclass
class SessionResult:
    facts_in: int = 0
    evaluated: int = 0  # facts every ruleset of their kind gave a verdict on
    rerouted: int = 0
    sessions: int = 0
    matches: list[tuple[str, int]] = field(default_factory=list)  # (condition key, fact index)


@dataclass
class _Ruleset:
    name: str
    keys: list[str]
    handle: int = 0  # durable-rules' own handle of the registered ruleset
    actions: dict[str, Any] = field(default_factory=dict)  # rule name ("r0") -> what records its match


class _Fired:
    """What an action is handed: the match as durable-rules sends it (``c._m["m"]``: the fact)."""

    __slots__ = ("_m",)

    def __init__(self, message: dict) -> None:
        self._m = message


class Evaluation:
    """Compiled conditions registered once on a fresh host; then one session (plan) at a time.

    ``conditions`` maps a key to its durable-rules condition dict. They are spread over as
    many rulesets as the limits need (``plan_rulesets``); each fact is asserted into every
    ruleset that holds a condition of its kind (and those whose conditions test no kind).
    """

    def __init__(self, conditions: dict[str, dict]) -> None:
        self.keys = list(conditions)
        self._fired: list[tuple[str, int]] = []
        self._failed = ""  # the first action that raised in this plan (trap 4)
        self.host = _Host()
        self.rulesets: list[_Ruleset] = []
        prefix = f"dondoc_{uuid.uuid4().hex[:12]}"
        for n, keys in enumerate(plan_rulesets(conditions)):
            ruleset = _Ruleset(f"{prefix}_{n}", keys)
            ruleset.actions = {f"r{i}": self._action(key) for i, key in enumerate(keys)}
            definition = {f"r{i}": {"all": [{"m": conditions[key]}], "run": ruleset.actions[f"r{i}"]} for i, key in enumerate(keys)}
            try:
                self.host.set_rulesets({ruleset.name: definition})
            except Exception as exc:
                culprit = self._culprit({k: conditions[k] for k in keys})
                raise EngineError(f"durable-rules rejected the ruleset: {exc}", culprit) from None
            ruleset.handle = self.host.get_ruleset(ruleset.name)._handle
            self.rulesets.append(ruleset)
        self._everywhere = [r for r in self.rulesets if kind_of(conditions[r.keys[0]]) is None]
        self._routes: dict[str, list[_Ruleset]] = {}
        for ruleset in self.rulesets:
            kind = kind_of(conditions[ruleset.keys[0]])
            if kind is not None:
                self._routes.setdefault(kind, []).append(ruleset)
        for kind in self._routes:
            self._routes[kind] += self._everywhere

    @staticmethod
    def _culprit(conditions: dict[str, dict]) -> str | None:
        """Which condition durable-rules refuses: try each alone on a scratch host."""
        for key, condition in conditions.items():
            try:
                _Host().set_rulesets(
                    {f"probe_{uuid.uuid4().hex[:8]}": {"r": {"all": [{"m": condition}], "run": lambda c: None}}}
                )
            except Exception:
                return key
        return None

    def _action(self, key: str):
        fired = self._fired

        def run(c) -> None:
            # Only records (trap 4): anything raised here lands in the session state, read below.
            fired.append((key, c._m["m"]["fid"]))

        return run

    def evaluate(self, session: str, facts: list[dict[str, Any]], names: list[str] | None = None) -> SessionResult:
        """Assert each fact (values encoded: numbers, texts, YYYYMMDD dates) into a clean session.

        The i-th fact's matches come back as (condition key, i), once per condition.
        ``session`` names the plan in errors, ``names`` its facts; durable-rules sees one
        session id, reused for every call (trap 14), emptied at the end of each.
        """
        result = SessionResult(facts_in=len(facts))
        fired = self._fired
        fired.clear()
        stored: dict[tuple[str, str], None] = {}  # (ruleset, sid) where a fact was stored
        routes, everywhere = self._routes, self._everywhere
        self._failed = ""
        try:
            for index, fact in enumerate(facts):
                message = _message(fact, index, session, names)
                for ruleset in routes.get(fact.get("kind"), everywhere):
                    self._assert(ruleset, message, stored, result)
                result.evaluated += 1
            if self._failed:  # an action that raised (trap 4: durable-rules would have kept it in the state)
                raise EngineError(f"durable-rules reported an error while checking {session}: {self._failed}")
            for ruleset, sid in stored:
                state = self.host.get_state(ruleset, sid)
                if "exception" in state:
                    raise EngineError(f"durable-rules reported an error while checking {session}: {state['exception']}")
        finally:
            for ruleset, sid in stored:
                try:
                    self.host.delete_state(ruleset, sid)
                except Exception:  # noqa: BLE001 - never leave the run on a failed clean-up
                    pass
        result.sessions = len({sid for _, sid in stored})
        # durable-rules fires a rule once per satisfied branch of an 'or': a condition
        # either holds for a fact or not, so keep each (condition, fact) once.
        result.matches = list(dict.fromkeys(fired))
        fired.clear()
        return result

    def _assert(self, ruleset: _Ruleset, message: dict, stored: dict, result: SessionResult) -> None:
        try:
            outcome = self._post(ruleset, message)
        except Exception as exc:  # noqa: BLE001 - durable-rules' own error codes
            raise EngineError(f"durable-rules failed on fact {message['fid']}: {exc}") from None
        if outcome == NOT_HANDLED:
            return  # trap 1: no condition of this ruleset holds for the fact; nothing stored
        if outcome == STORED:
            stored[(ruleset.name, SESSION)] = None
            return
        # Trap 2: a hash collision with another fact of this session. Each retry gets a
        # session of its own, where nothing can collide with it.
        result.rerouted += 1
        overflow = f"{SESSION}~{result.rerouted}"
        try:
            outcome = self._post(ruleset, {**message, "sid": overflow})
        except Exception as exc:  # noqa: BLE001
            raise EngineError(f"fact {message['fid']} was refused twice: {type(exc).__name__} {exc}") from None
        if outcome == OBSERVED:
            raise EngineError(f"fact {message['fid']} was refused twice: already observed in a session of its own")
        if outcome == STORED:
            stored[(ruleset.name, overflow)] = None

    def _post(self, ruleset: _Ruleset, message: dict) -> int:
        """Assert one fact into one ruleset, and run the actions of the rules it makes hold:
        durable-rules' ``Ruleset.assert_fact`` and ``do_actions`` call for call. Returns
        STORED, NOT_HANDLED (trap 1) or OBSERVED (trap 2)."""
        handle = ruleset.handle
        result = _C.assert_fact(handle, _to_json(message))
        if result[0] in (NOT_HANDLED, OBSERVED):
            return result[0]
        state = 0 if result[0] == 3 else result[1]  # 3: as durable-rules' _handle_result reads it
        started = _C.start_action_for_state(handle, state)
        if not started:
            return STORED
        state_json, pending = started[0], json.loads(started[1])
        while pending:
            name, match = next(iter(pending.items()))  # one action at a time, as _flush_actions takes them
            try:
                ruleset.actions[name](_Fired(match))
            except Exception as exc:  # noqa: BLE001 - trap 4: kept, and the run fails once every fact is in
                self._failed = self._failed or f"{name}: {type(exc).__name__} {exc}"
            _C.update_state(handle, state_json)  # the state, unchanged: an action only records
            following = _C.complete_and_start_action(handle, state)
            pending = json.loads(following) if following else None
        return STORED


# json.dumps(message, ensure_ascii=False), the same text, without building an encoder per fact.
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def _message(fact: dict[str, Any], index: int, session: str, names: list[str] | None) -> dict[str, Any]:
    """The fact as durable-rules receives it, refusing what it would get wrong (traps 6, 11)."""
    if len(fact) > MAX_PROPERTIES:
        raise EngineError(f"{_label(fact, index, session, names)} has {len(fact)} fields; durable-rules takes at most {MAX_PROPERTIES}")
    for value in fact.values():
        kind = type(value)
        # x - x is 0.0 for a finite float, nan for nan and for an infinity
        if kind is not str and kind is not int and not (kind is float and value - value == 0.0):
            _refuse(fact, index, session, names)
    return {**fact, "fid": index, "sid": SESSION}


def _refuse(fact: dict[str, Any], index: int, session: str, names: list[str] | None) -> None:
    for name, value in fact.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise EngineError(f"{_label(fact, index, session, names)}: field '{name}' is {value}, not a finite number")
        if type(value) not in (str, int, float):
            raise EngineError(
                f"{_label(fact, index, session, names)}: field '{name}' is {value!r}; durable-rules takes numbers and texts"
            )


def _label(fact: dict[str, Any], index: int, session: str, names: list[str] | None) -> str:
    """Which fact, for an error: 'plans/x, target:CT01 (Phòng Kinh tế)', or by its fields."""
    if names:
        return f"{session}, {names[index]}"
    named = " ".join(f"{k}={fact[k]}" for k in ("kind", "task", "target", "code", "period", "unit") if k in fact)
    return f"{session}, fact {index} ({named})"


def conditions_json(conditions: dict[str, dict]) -> str:
    """The compiled conditions as durable-rules receives them (for `rules explain` and tests)."""
    return json.dumps(conditions, ensure_ascii=False, indent=2, sort_keys=True)


def ruleset_sizes(conditions: dict[str, dict]) -> list[dict[str, int]]:
    """For each ruleset ``plan_rulesets`` would build: its conditions and network figures."""
    sizes = []
    for keys in plan_rulesets(conditions):
        network = Network()
        for key in keys:
            network.add(conditions[key])
        sizes.append({"conditions": len(keys), **network.figures()})
    return sizes
