"""How findings are ranked.

score = kind weight × (0.45 × strength + 0.30 × study importance + 0.25 × local importance), where

* strength (1-3, from the rule) is how central the study's finding is, scaled to 0-1;
* study importance is the mean importance the study's respondents gave the finding's items in the
  same organisational context (Tables 14-19) and setting (Tables 20-25) of Appendix 4, scaled from 1-4 to 0-1;
* local importance is this service's own view: the respondents' mean importance for those items
  (scaled to 0-1), raised to 1 when any respondent put one of them in their top three;
* the kind weight puts risks first: warning 1.0, recommendation 0.85, caveat 0.6, strength 0.5.

Where an item has no rating (no item, or not answered) that part counts as 0.5, the middle.
"""

from __future__ import annotations

from statistics import mean

from ..facts import FactSet
from ..kb.loader import KnowledgeBase
from ..kb.models import Rule
from ..report import StudyRating

KIND_WEIGHT = {"warning": 1.0, "recommendation": 0.85, "caveat": 0.6, "strength": 0.5}
NEUTRAL = 0.5

# (study_data key, our value) for the employer and the setting of the assessed service
# Tables 14-19 compare the three organisational contexts (NHS-only, voluntary-only, partnership cases).
_EMPLOYER_TABLE = {"nhs": ("context", "nhs"), "voluntary": ("context", "voluntary"),
                   "partnership": ("context", "partnership")}


def study_ratings(kb: KnowledgeBase, item_ids: list[str], employer: str, setting: str) -> list[StudyRating]:
    """The Appendix 4 means for these items among respondents in the same employer and setting."""
    wanted = [_EMPLOYER_TABLE.get(employer)]
    if setting in ("inpatient", "community", "bme"):
        wanted.append(("setting", setting))
    out: list[StudyRating] = []
    for key in filter(None, wanted):
        comparison, column = key
        table = kb.study.importance.get(comparison)
        if table is None:
            continue
        for item_id in item_ids:
            value = table.means.get(column, {}).get(item_id)
            if value is not None:
                out.append(StudyRating(item=item_id, table=_table_for(table.tables, item_id),
                                       column=table.columns.get(column, column), mean=value))
    return out


def _table_for(tables: list[int], item_id: str) -> int:
    domain = int(item_id.split(".")[0])
    return tables[domain - 1] if len(tables) >= domain else tables[0]


def score(rule: Rule, facts: FactSet, ratings: list[StudyRating]) -> float:
    strength = (rule.strength - 1) / 2
    study = mean((r.mean - 1) / 3 for r in ratings) if ratings else NEUTRAL
    ids = [ref.id for ref in rule.items]
    summaries = [facts.items[i] for i in ids if i in facts.items]
    own = [(s.importance - 1) / 3 for s in summaries if s.importance is not None]
    local = 1.0 if any(s.top3 for s in summaries) else mean(own) if own else NEUTRAL
    raw = 0.45 * strength + 0.30 * study + 0.25 * local
    return round(KIND_WEIGHT.get(rule.kind, 0.5) * raw, 3)
