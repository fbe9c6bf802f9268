"""The data of chie-kokan: pydantic models, no Textual."""

from __future__ import annotations

from chie_kokan.models.scenario import (
    SCENARIO_SCHEMA,
    STANDARD_FLOW,
    Case,
    Participant,
    Scenario,
    Step,
    StepKind,
    TurnMode,
)
from chie_kokan.models.session import (
    SESSION_SCHEMA,
    ActionItem,
    Approval,
    Card,
    Group,
    Live,
    Member,
    NextMeeting,
    Outcome,
    Resource,
    Roles,
    Session,
    Status,
    StepTimer,
    StepVisit,
    Turn,
)

__all__ = [
    "SCENARIO_SCHEMA",
    "SESSION_SCHEMA",
    "STANDARD_FLOW",
    "ActionItem",
    "Approval",
    "Card",
    "Case",
    "Group",
    "Live",
    "Member",
    "NextMeeting",
    "Outcome",
    "Participant",
    "Resource",
    "Roles",
    "Scenario",
    "Session",
    "Status",
    "Step",
    "StepKind",
    "StepTimer",
    "StepVisit",
    "Turn",
    "TurnMode",
]
