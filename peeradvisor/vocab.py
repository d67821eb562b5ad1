"""The fixed vocabulary of the answers file (../shared/spec/contract.md, section 1)."""

from __future__ import annotations

from typing import Literal

ANSWERS_FORMAT = "peeradvisor/answers@1"
REPORT_FORMAT = "peeradvisor/report@1"

DOMAIN_SIZES = {1: 8, 2: 8, 3: 4, 4: 6, 5: 9, 6: 5}
ITEM_IDS: tuple[str, ...] = tuple(f"{d}.{i}" for d, n in DOMAIN_SIZES.items() for i in range(1, n + 1))

Stage = Literal["planning", "new", "established"]
Employer = Literal["nhs", "voluntary", "partnership"]
Partner = Literal["voluntary", "social_care"]
LedBy = Literal["peer", "professional"]
Setting = Literal["inpatient", "community", "bme", "other"]
Employment = Literal["paid", "volunteer", "mixed"]
PayFramework = Literal["agenda_for_change", "organisation_scale", "sessional", "unpaid"]
RecruitmentRoute = Literal["open", "from_service", "both"]
Funding = Literal["recurrent", "pilot", "none"]
OneToOne = Literal["regular", "ad_hoc", "none"]
YesPartlyNoDk = Literal["yes", "partly", "no", "dont_know"]
YesNo = Literal["yes", "no"]
Group = Literal["peer_worker", "service_user", "coworker", "line_manager", "strategic_manager", "commissioner"]
Happening = Literal["yes", "partly", "no", "dont_know", "not_relevant"]
Theme = Literal["distinctiveness", "peer_identity", "support", "structures", "culture"]
Direction = Literal["put_in_place", "avoid", "review"]
Owner = Literal["line_manager", "strategic_manager", "commissioner", "coworker", "peer_worker"]
When = Literal["before_start", "first_months", "ongoing", "next_review"]

STAGES: tuple[str, ...] = ("planning", "new", "established")
EMPLOYERS: tuple[str, ...] = ("nhs", "voluntary", "partnership")
STUDY_SETTINGS: tuple[str, ...] = ("inpatient", "community", "bme")
GROUPS: tuple[str, ...] = Group.__args__  # type: ignore[attr-defined]
HAPPENING: tuple[str, ...] = Happening.__args__  # type: ignore[attr-defined]
THEMES: tuple[str, ...] = Theme.__args__  # type: ignore[attr-defined]
IMPORTANCE_WORDS = {4: "extremely important", 3: "quite important", 2: "not very important",
                    1: "not at all important"}

# Every context field a rule may test, with the values it can take (None: free text or a number).
CONTEXT_FIELDS: dict[str, tuple[object, ...] | None] = {
    "stage": STAGES,
    "employer": EMPLOYERS,
    "partner": Partner.__args__,  # type: ignore[attr-defined]
    "led_by": LedBy.__args__,  # type: ignore[attr-defined]
    "setting": Setting.__args__,  # type: ignore[attr-defined]
    "setting_detail": None,
    "employment": Employment.__args__,  # type: ignore[attr-defined]
    "team_size": None,
    "peer_workers": None,
    "pay_framework": PayFramework.__args__,  # type: ignore[attr-defined]
    "recruitment_route": RecruitmentRoute.__args__,  # type: ignore[attr-defined]
    "community_languages": (True, False),
    "staffing_pressure": (True, False),
    "executive_turnover": (True, False),
    "funding": Funding.__args__,  # type: ignore[attr-defined]
    "supervision.one_to_one": OneToOne.__args__,  # type: ignore[attr-defined]
    "supervision.manager_prepared": YesPartlyNoDk.__args__,  # type: ignore[attr-defined]
    "supervision.wellbeing_space": ("yes", "no"),
    "supervision.peer_group": ("yes", "no"),
    **{f"culture.{name}": YesPartlyNoDk.__args__ for name in (  # type: ignore[attr-defined]
        "open_about_mental_health", "reflective_practice", "lived_experience_valued",
        "peer_voice_heard", "personal_boundaries_supported", "ready_for_change")},
}

MEASURES = ("team_size", "peer_workers", "peer_share", "respondents", "groups", "items_answered")
