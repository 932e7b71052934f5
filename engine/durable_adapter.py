"""The one place that talks to durable-rules 2.0.28, and contains its traps.

Each trap in ../shared/durable-rules.md, and what this adapter does about it:

1. A fact no rule matches raises and is not stored: every ruleset gets a
   catch-all rule on ``fid``, a field only our facts carry (never ``id``, which
   the session state also has: that loops forever). The catch-all also proves
   that each fact was evaluated: it must fire exactly once per fact.
2. Hash collisions drop facts ("already observed"): a fact refused that way is
   asserted again into an overflow session of its own, and counted.
3. Batches lose matches: facts are asserted one at a time, never in a batch.
4. Exceptions inside actions are swallowed: our actions only record; any
   error they meet is kept, and every session's state is read for
   ``exception`` before it is deleted. Either fails the run.
5. A ruleset cannot be registered twice: each Evaluation builds a fresh Host
   with a uniquely named ruleset.
6. At most 255 properties per fact: checked before asserting, with a clear error.
7. delete_state racing the background dispatch thread: our Host starts no
   background threads (we use no timers; actions run inside assert_fact).
8. A missing field silently fails a condition: engine/compile.py guards
   comparisons, and rules get companion "missing data" conditions.
9. At most 1,024 live sessions: one session per plan, deleted when the plan is done.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from durable import engine as durable

MAX_PROPERTIES = 250  # durable-rules' limit is 255, including its own sid/id fields
CATCH_ALL = "$seen"


class EngineError(Exception):
    """The engine could not prove a complete, error-free evaluation."""

    def __init__(self, message: str, rule: str | None = None) -> None:
        self.rule = rule
        super().__init__(f"rule '{rule}': {message}" if rule else message)


class _Host(durable.Host):
    """A Host without the background dispatch threads (trap 7): we use no timers."""

    def _run(self) -> None:  # noqa: D401 - replaces the thread start-up
        return None


@dataclass
class SessionResult:
    facts_in: int = 0
    evaluated: int = 0
    rerouted: int = 0
    sessions: int = 0
    matches: list[tuple[str, int]] = field(default_factory=list)


class Evaluation:
    """A compiled ruleset on a fresh host: evaluate one session (plan) at a time.

    ``conditions`` maps a rule key to its durable-rules condition dict.
    """

    def __init__(self, conditions: dict[str, dict]) -> None:
        self.name = f"dondoc_{uuid.uuid4().hex[:12]}"
        self.keys = list(conditions)
        self._fired: list[tuple[str, int]] = []
        self._seen: list[int] = []
        self._errors: list[tuple[str, str]] = []
        self.host = _Host()
        definition = {
            f"r{i}": {"all": [{"m": conditions[key]}], "run": self._action(key)}
            for i, key in enumerate(self.keys)
        }
        definition[CATCH_ALL] = {"all": [{"m": {"$ex": {"fid": 1}}}], "run": self._catch_all}
        try:
            self.host.set_rulesets({self.name: definition})
        except Exception as exc:
            raise EngineError(f"durable-rules rejected the ruleset: {exc}", self._culprit(conditions)) from None

    @staticmethod
    def _culprit(conditions: dict[str, dict]) -> str | None:
        """Which rule durable-rules refuses: try each alone on a scratch host."""
        for key, condition in conditions.items():
            try:
                _Host().set_rulesets(
                    {f"probe_{uuid.uuid4().hex[:8]}": {"r": {"all": [{"m": condition}], "run": lambda c: None}}}
                )
            except Exception:
                return key
        return None

    def _action(self, key: str):
        def run(c) -> None:
            try:
                self._fired.append((key, c.m._d["fid"]))
            except Exception as exc:  # noqa: BLE001 - trap 4: never let durable swallow it
                self._errors.append((key, repr(exc)))

        return run

    def _catch_all(self, c) -> None:
        try:
            self._seen.append(c.m._d["fid"])
        except Exception as exc:  # noqa: BLE001
            self._errors.append((CATCH_ALL, repr(exc)))

    def _assert(self, sid: str, fact: dict[str, Any]) -> None:
        self.host.assert_fact(self.name, {**fact, "sid": sid})

    def evaluate(self, session: str, facts: list[dict[str, Any]]) -> SessionResult:
        """Assert ``facts`` (each with a unique int ``fid``) into a new session; return the matches."""
        result = SessionResult(facts_in=len(facts))
        fids = [f["fid"] for f in facts]
        if len(set(fids)) != len(fids):
            raise EngineError("two facts share one fid: each fact needs its own")
        self._fired.clear()
        self._seen.clear()
        self._errors.clear()
        sessions = [session]
        try:
            for fact in facts:
                if len(fact) > MAX_PROPERTIES:
                    raise EngineError(
                        f"a fact has {len(fact)} fields; durable-rules takes at most {MAX_PROPERTIES}"
                    )
                self._assert_with_overflow(session, fact, sessions, result)
                if self._errors:
                    key, error = self._errors[0]
                    raise EngineError(f"its action failed: {error}", key)
            for sid in sessions:
                state = self.host.get_state(self.name, sid)
                if "exception" in state:
                    raise EngineError(f"durable-rules reported an error in session {sid}: {state['exception']}")
        finally:
            for sid in sessions:
                try:
                    self.host.delete_state(self.name, sid)
                except Exception:  # noqa: BLE001 - a never-created overflow session
                    pass
        result.sessions = len(sessions)
        result.evaluated = len(self._seen)
        if sorted(self._seen) != sorted(fids):
            lost = sorted(set(fids) - set(self._seen))
            twice = sorted({f for f in self._seen if self._seen.count(f) > 1})
            raise EngineError(
                f"{len(facts)} facts went in but {len(self._seen)} evaluations came out"
                f" (not evaluated: {lost[:10]}, evaluated twice: {twice[:10]})"
            )
        unknown = {fid for _, fid in self._fired} - set(fids)
        if unknown:
            raise EngineError(f"matches for facts that were not asserted: {sorted(unknown)[:10]}")
        # durable-rules fires a rule once per satisfied branch of an 'or': a rule
        # either holds for a fact or not, so keep each (rule, fact) once.
        result.matches = list(dict.fromkeys(self._fired))
        return result

    def _assert_with_overflow(self, session: str, fact, sessions: list[str], result: SessionResult) -> None:
        try:
            self._assert(session, fact)
            return
        except durable.MessageObservedException:
            pass  # trap 2: a hash collision with another fact of this session
        except durable.MessageNotHandledException:
            raise EngineError(f"fact {fact['fid']} matched no rule, not even the catch-all") from None
        # Each retry gets a session of its own, where nothing can collide with it.
        overflow = f"{session}~{len(sessions)}"
        sessions.append(overflow)
        result.rerouted += 1
        try:
            self._assert(overflow, fact)
        except (durable.MessageObservedException, durable.MessageNotHandledException) as exc:
            raise EngineError(f"fact {fact['fid']} was refused twice: {type(exc).__name__}") from None


def conditions_json(conditions: dict[str, dict]) -> str:
    """The compiled conditions as durable-rules receives them (for `rules explain` and tests)."""
    return json.dumps(conditions, ensure_ascii=False, indent=2, sort_keys=True)
