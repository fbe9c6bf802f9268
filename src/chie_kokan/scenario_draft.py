"""A scenario being written in the editor: the form's values, their problems, the file.

The form holds text as typed (numbers too); :meth:`ScenarioDraft.data` turns
it into the dict a scenario file holds, keys in the documented order and
optional keys left out, and :meth:`ScenarioDraft.problems` checks that dict
with the same model and the same messages as ``chie-kokan validate``.

Saving updates the opened file in place with tomlkit, so what a person wrote
around the values stays: comments, blank lines, the order of keys. Only what
changed is touched. A key the form adds goes to its documented place; the
comments above a ``[[participants]]`` or ``[[steps]]`` header move with the
entry when it is reordered. What cannot stay (the comments of a removed step,
or inside a list that was rewritten) is found by comparing the comments
before and after (:func:`lost_comments`), so the editor can say so first.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel, ValidationError
from tomlkit.container import Container
from tomlkit.items import AoT, Item, Table

from chie_kokan.files import is_session_document, parse_toml, read_text
from chie_kokan.i18n import LANGUAGES, Language, t_list
from chie_kokan.models.kinds import STANDARD_FLOW, StepKind, spec
from chie_kokan.models.scenario import SCENARIO_SCHEMA, Case, Participant, Scenario, Step
from chie_kokan.problems import MAX_PROBLEMS, FileError, Problem, validation_problems
from chie_kokan.storage import load_scenario


def _keys(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(info.alias or name for name, info in model.model_fields.items())


# The models list their fields in the documented order (DESIGN.md, the template).
TOP_KEYS = _keys(Scenario)
CASE_KEYS = _keys(Case)
PERSON_KEYS = _keys(Participant)
STEP_KEYS = _keys(Step)
NUMBER_KEYS = ("minutes", "seconds_per_turn", "votes_per_person")

Loc = tuple[int | str, ...]


def lines(text: str) -> list[str]:
    """A list typed one entry a line: blank lines and surrounding spaces dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def number(text: str) -> int | str | None:
    """A number as typed: None when blank; full-width digits read as digits (an IME
    left on); anything else kept as text, so the message is the one ``validate`` gives."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        return None
    if re.fullmatch(r"[+-]?[0-9]+", cleaned):
        try:
            return int(cleaned)  # then the range says what is allowed
        except ValueError:
            pass  # more digits than Python reads (4,300): said to be no whole number
    return text.strip()


def default_rules(language: Language) -> list[str]:
    """The council's three ground rules, in ``language``."""
    return t_list("defaults.ground_rules", language)


@dataclass
class PersonDraft:
    """One member of the roster as typed."""

    name: str = ""
    organization: str = ""
    role: str = ""
    table: str = ""
    """The table they sit at when several tables meet (a report step goes round by table)."""
    origin: int | None = None
    """Its place in the opened file's roster (None: added in the editor)."""

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name.strip()}
        for key in ("organization", "role", "table"):
            value = getattr(self, key).strip()
            if value:
                out[key] = value
        return out


@dataclass
class StepDraft:
    """One step as typed; a blank field takes the kind's default."""

    kind: str = StepKind.SHARE.value
    title: str = ""
    prompt: str = ""
    questions: str = ""
    """One question a line."""
    minutes: str = ""
    turns: str = ""
    """"round", "free", or blank for the kind's default."""
    seconds_per_turn: str = ""
    votes_per_person: str = ""
    origin: int | None = None

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for key in ("title", "prompt"):
            value = getattr(self, key).strip()
            if value:
                out[key] = value
        questions = lines(self.questions)
        if questions:
            out["questions"] = questions
        for key in ("minutes", "turns", "seconds_per_turn", "votes_per_person"):
            value = number(getattr(self, key)) if key in NUMBER_KEYS else self.turns or None
            if value is not None:
                out[key] = value
        return out

    def planned_minutes(self) -> int:
        """The time box as it stands: the typed minutes, else the kind's default."""
        value = number(self.minutes)
        if isinstance(value, int) and value > 0:
            return value
        try:
            return spec(StepKind(self.kind)).minutes
        except ValueError:
            return 0


def standard_steps() -> list[StepDraft]:
    """The standard six, their time boxes and turns written out to be changed."""
    return [
        StepDraft(kind=kind.value, minutes=str(minutes), turns=turns.value)
        for kind, minutes, turns in STANDARD_FLOW
    ]


@dataclass
class ScenarioDraft:
    """Everything the editor's form holds."""

    title: str = ""
    theme: str = ""
    language: Language = "ja"
    ground_rules: str = ""
    """One rule a line."""
    private_names: str = ""
    """One name a line."""
    case_name: str = ""
    case_summary: str = ""
    case_details: str = ""
    """One detail a line."""
    participants: list[PersonDraft] = field(default_factory=list)
    steps: list[StepDraft] = field(default_factory=standard_steps)
    rules_written: bool = False
    """The opened file wrote its ground rules out: they stay written, even as the defaults."""
    steps_written: bool = True
    """False for an opened file without ``steps``: left out while they are the standard six."""

    @classmethod
    def new(cls, language: Language) -> ScenarioDraft:
        """A new scenario: the council's rules and the standard six steps."""
        return cls(language=language, ground_rules="\n".join(default_rules(language)))

    def copy(self) -> ScenarioDraft:
        """A copy to keep for undo (lists and entries copied too)."""
        return replace(
            self,
            participants=[replace(p) for p in self.participants],
            steps=[replace(s) for s in self.steps],
        )

    def data(self) -> dict[str, Any]:
        """The scenario file's contents: documented order, omitted optional keys left out."""
        out: dict[str, Any] = {
            "schema": SCENARIO_SCHEMA,
            "title": self.title.strip(),
            "theme": self.theme.strip(),
            "language": self.language,
        }
        rules = lines(self.ground_rules)
        if self.rules_written or rules != default_rules(self.language):
            out["ground_rules"] = rules
        names = lines(self.private_names)
        if names:
            out["private_names"] = names
        details = lines(self.case_details)
        if self.case_name.strip() or self.case_summary.strip() or details:
            case: dict[str, Any] = {"name": self.case_name.strip()}
            if self.case_summary.strip():
                case["summary"] = self.case_summary.strip()
            if details:
                case["details"] = details
            out["case"] = case
        if self.participants:
            out["participants"] = [person.data() for person in self.participants]
        steps = [step.data() for step in self.steps]
        if self.steps_written or steps != [step.data() for step in standard_steps()]:
            out["steps"] = steps
        return out

    def total_minutes(self) -> int:
        """The meeting's length as the steps stand."""
        return sum(step.planned_minutes() for step in self.steps)

    def problems(self, path: Path) -> list[tuple[Loc, Problem]]:
        """What ``validate`` would say about the saved file, each with the field it is about."""
        try:
            Scenario.model_validate(self.data())
        except ValidationError as error:
            found = validation_problems(path, error, Scenario, "")
            locs: list[Loc] = []
            for item in error.errors()[:MAX_PROBLEMS]:
                loc = tuple(item["loc"])
                if item["type"] == "chie":  # as validation_problems places it
                    loc += tuple((item.get("ctx") or {}).get("at", ()))
                locs.append(loc)
            locs += [()] * (len(found) - len(locs))  # "and N more"
            return list(zip(locs, found, strict=True))
        return []


def _text(value: object) -> str:
    if isinstance(value, list):
        return "\n".join(str(entry) for entry in value)
    return "" if value is None else str(value)


def draft_from_data(data: dict[str, Any]) -> ScenarioDraft:
    """The form's values for a scenario file's contents (values of the wrong type as text)."""
    language = data.get("language")
    case = data.get("case") if isinstance(data.get("case"), dict) else {}
    people = data.get("participants") if isinstance(data.get("participants"), list) else []
    steps = data.get("steps") if isinstance(data.get("steps"), list) else None
    draft = ScenarioDraft(
        title=_text(data.get("title")),
        theme=_text(data.get("theme")),
        language=language if language in ("ja", "en") else "ja",
        private_names=_text(data.get("private_names")),
        case_name=_text(case.get("name")),
        case_summary=_text(case.get("summary")),
        case_details=_text(case.get("details")),
        rules_written="ground_rules" in data,
        steps_written=steps is not None,
    )
    rules = data.get("ground_rules")
    draft.ground_rules = (
        _text(rules) if rules is not None else "\n".join(default_rules(draft.language))
    )
    draft.participants = [
        PersonDraft(**{key: _text(p.get(key)) for key in PERSON_KEYS}, origin=index)
        for index, p in enumerate(people)
        if isinstance(p, dict)
    ]
    if steps is None:
        draft.steps = standard_steps()
    else:
        step_fields = [f.name for f in fields(StepDraft) if f.name != "origin"]
        draft.steps = [
            StepDraft(**{key: _text(s.get(key)) for key in step_fields}, origin=index)
            for index, s in enumerate(steps)
            if isinstance(s, dict)
        ]
    return draft


@dataclass
class OpenedScenario:
    """A scenario file as the editor opened it."""

    path: Path
    draft: ScenarioDraft
    text: str | None
    """The file's text when opened (None: a new file, not yet written)."""
    raw: bytes | None
    """Its bytes, to see whether someone changed it meanwhile."""


def open_scenario(path: Path) -> OpenedScenario:
    """Read ``path`` for editing. Raises :class:`FileError`, as ``validate`` words
    it, for what the form cannot show without changing it unasked: a file that
    is not TOML, a session, another schema, an unknown key or language, a
    table where a list belongs. Those stay a text editor's job. Values that
    are merely wrong open, to be put right in the form."""
    text = read_text(path)
    data = parse_toml(path, text)
    try:
        load_scenario(path)
    except FileError:
        if not _editable(data):
            raise
    return OpenedScenario(path, draft_from_data(data), text, text.encode("utf-8"))


def _editable(data: dict[str, Any]) -> bool:
    if is_session_document(data) or not _shaped(data):
        return False
    if data.get("schema", SCENARIO_SCHEMA) != SCENARIO_SCHEMA:
        return False
    if data.get("language", "ja") not in LANGUAGES:
        return False
    try:
        Scenario.model_validate(data)
    except ValidationError as error:
        return not any(e["type"] == "extra_forbidden" for e in error.errors())
    return True


def _shaped(data: dict[str, Any]) -> bool:
    """Tables and lists where the form expects them."""
    case, people, steps = data.get("case", {}), data.get("participants", []), data.get("steps", [])
    return (
        isinstance(case, dict)
        and isinstance(people, list)
        and all(isinstance(p, dict) for p in people)
        and isinstance(steps, list)
        and all(isinstance(s, dict) and isinstance(s.get("kind"), str) for s in steps)
    )


def new_scenario(path: Path, language: Language) -> OpenedScenario:
    """A scenario not yet on disk: the council's rules and the standard six steps."""
    return OpenedScenario(path, ScenarioDraft.new(language), None, None)


# -- writing ----------------------------------------------------------------


def render(data: dict[str, Any], original: str | None) -> str:
    """The file text for ``data``: ``original`` updated in place, or a new document."""
    doc = tomlkit.parse(original) if original is not None else tomlkit.document()
    _merge(doc, data, TOP_KEYS)
    text = doc.as_string()
    if original is None:
        text = text.lstrip("\n")
    return text if text.endswith("\n") else text + "\n"


def _value(value: Any) -> Item:
    """A new TOML item; a list of strings longer than a short line, one entry a line."""
    if (
        isinstance(value, list)
        and all(isinstance(v, str) for v in value)
        and sum(len(v) + 4 for v in value) > 40
    ):
        array = tomlkit.array()
        array.extend(value)
        array.multiline(True)
        return array
    return tomlkit.item(value)


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _groups(container: Container) -> tuple[dict[str, tuple[list[Item], Item]], list[Item]]:
    """Each key with the comments and blank lines above it; and what follows the last key."""
    groups: dict[str, tuple[list[Item], Item]] = {}
    pending: list[Item] = []
    for key, item in container.body:
        if key is None:
            pending.append(item)
        else:
            groups[key.key] = (pending, item)
            pending = []
    return groups, pending


def _merge(target: Table | Container, data: dict[str, Any], order: tuple[str, ...]) -> None:
    """Make ``target`` hold ``data``, touching only what differs."""
    present = list(target)
    for key in present:
        if key in data:
            _update(target, key, data[key])
    wanted = _layout(present, [key for key in order if key in data], order)
    if present == wanted:
        return
    # Keys come or go: lay the table out again, each key with the comments
    # above it (those of removed keys go).
    container = target.value if isinstance(target, Table) else target
    groups, tail = _groups(container)
    body: list[tuple[str | None, Item]] = []
    for key in wanted:
        if key in groups:
            above, item = groups[key]
            body += [(None, piece) for piece in above]
            body.append((key, item))
        else:
            item = _fresh(key, data[key])
            if isinstance(item, Table | AoT) and body:
                body.append((None, tomlkit.ws("\n")))  # a blank line before a new table
            body.append((key, item))
    body += [(None, piece) for piece in tail]
    for key in present:
        del target[key]
    container.body.clear()  # only comments and blank lines are left, all placed in ``body``
    # As the parser adds them: tomlkit's own tidying would move blank lines about.
    container.parsing(True)
    for key, item in body:
        if key is None:
            container.add(item)  # type: ignore[arg-type]
        else:
            container.add(key, item)
    container.parsing(False)


def _layout(present: list[str], wanted: list[str], order: tuple[str, ...]) -> list[str]:
    """The keys to write: those kept in the order the person wrote them, each
    new one after the last key that comes before it in the documented order."""
    out = [key for key in present if key in wanted]
    for key in wanted:
        if key in out:
            continue
        earlier = order[: order.index(key)]
        places = [index for index, k in enumerate(out) if k in earlier]
        out.insert(places[-1] + 1 if places else 0, key)
    return out


def _fresh(key: str, value: Any) -> Item:
    if key == "case":
        table = tomlkit.table()
        _merge(table, value, CASE_KEYS)
        return table
    if key in ("participants", "steps"):
        keys = PERSON_KEYS if key == "participants" else STEP_KEYS
        aot = tomlkit.aot()
        for entry in value:
            table = tomlkit.table()
            _merge(table, entry, keys)
            aot.append(table)
        return aot
    return _value(value)


def _update(target: Table | Container, key: str, value: Any) -> None:
    item = target[key]
    if key == "case" and isinstance(item, Table) and isinstance(value, dict):
        _merge(item, value, CASE_KEYS)
    elif key in ("participants", "steps") and isinstance(item, AoT):
        keys = PERSON_KEYS if key == "participants" else STEP_KEYS
        _update_entries(target, key, item, value, keys)
    elif _plain(item) != value:
        target[key] = _value(value)  # tomlkit keeps the comment on its line


def _update_entries(
    target: Table | Container,
    key: str,
    aot: AoT,
    entries: list[dict[str, Any]],
    keys: tuple[str, ...],
) -> None:
    """An array of tables: entries updated, added, removed or moved.

    ``__origin`` in an entry says which table of the file it was (None: a new one).
    """
    origins = [entry.get("__origin") for entry in entries]
    tables = list(aot.body)
    clean = [{k: v for k, v in entry.items() if k != "__origin"} for entry in entries]
    if origins == list(range(len(tables))):
        for table, entry in zip(tables, clean, strict=True):
            _merge(table, entry, keys)
        return
    # Comments above a header are kept by tomlkit at the end of the entry
    # before it: they belong to the entry below and move with it; the last
    # entry's trailing comments stay at the end.
    tails: list[list[Item]] = []
    for table in tables:
        _, tail = _groups(table.value)
        tails.append(tail)
        for piece in tail:
            table.value.body.remove(next(e for e in table.value.body if e[1] is piece))
    built: list[Table] = []
    for origin, entry in zip(origins, clean, strict=True):
        if origin is not None and 0 <= origin < len(tables):
            table = tables[origin]
            _merge(table, entry, keys)
            above = tails[origin - 1] if origin > 0 else []
        else:
            table = tomlkit.table()
            _merge(table, entry, keys)
            above = [tomlkit.ws("\n")]
        if built:
            _append(built[-1], above or [tomlkit.ws("\n")])
        built.append(table)
    if built and tails:
        _append(built[-1], tails[-1])
    target[key] = AoT(built, parsed=True)  # as parsed: no blank lines of its own


def _append(table: Table, pieces: list[Item]) -> None:
    """Comments and blank lines at the end of ``table``, as written."""
    table.value.parsing(True)
    for piece in pieces:
        table.value.add(piece)  # type: ignore[arg-type]
    table.value.parsing(False)


def with_origins(draft: ScenarioDraft) -> dict[str, Any]:
    """``draft.data()`` with each roster entry and step marked with where it came from."""
    data = draft.data()
    for key, entries in (("participants", draft.participants), ("steps", draft.steps)):
        if key not in data:
            continue
        for entry, row in zip(entries, data[key], strict=True):
            row["__origin"] = entry.origin
    return data


def file_text(draft: ScenarioDraft, original: str | None) -> str:
    """What saving ``draft`` writes over (or instead of) ``original``."""
    return render(with_origins(draft), original)


# Strings and comments, so a "#" inside a string is not taken for a comment.
_TOKENS = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*', re.DOTALL
)


def comments(text: str) -> Counter[str]:
    """Every comment in a TOML text, as written (without its ``#``)."""
    return Counter(token[1:].strip() for token in _TOKENS.findall(text) if token.startswith("#"))


def lost_comments(before: str | None, after: str) -> list[str]:
    """Comments in ``before`` that ``after`` no longer has, in their order."""
    if before is None:
        return []
    missing = comments(before) - comments(after)
    out: list[str] = []
    for token in _TOKENS.findall(before):
        text = token[1:].strip()
        if token.startswith("#") and missing[text] > 0:
            missing[text] -= 1
            out.append(text)
    return out
