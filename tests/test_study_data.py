"""Pin knowledge/items.yaml and knowledge/study_data.yaml to the study report (Gillard et al. 2014).

Structure tests always run. Tests marked "report" re-read Appendix 4 (and Chapters 2-3) from the
study text and compare every number and string; they are skipped when the text is not present.
Only pytest, PyYAML and the standard library are used.
"""
import functools
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ITEMS_FILE = ROOT / "knowledge" / "items.yaml"
DATA_FILE = ROOT / "knowledge" / "study_data.yaml"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"

DOMAIN_SIZES = {1: 8, 2: 8, 3: 4, 4: 6, 5: 9, 6: 5}
ITEM_IDS = [f"{d}.{i}" for d, n in DOMAIN_SIZES.items() for i in range(1, n + 1)]
IMPORTANCE_GROUPS = {
    "employer": (list(range(8, 14)), ["voluntary", "nhs"]),
    "context": (list(range(14, 20)), ["nhs", "partnership", "voluntary"]),
    "setting": (list(range(20, 26)), ["inpatient", "community", "bme"]),
    "stakeholder": (list(range(26, 32)), ["peer_worker", "service_user", "coworker",
                                          "line_manager", "strategic_manager", "commissioner"]),
}
TOP3_TABLES = {"employer": 32, "context": 33, "setting": 34, "stakeholder": 35}


@functools.cache
def items_doc():
    return yaml.safe_load(ITEMS_FILE.read_text(encoding="utf-8"))


@functools.cache
def data_doc():
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- reading the report

@functools.cache
def report_lines():
    return tuple(SEED.read_text(encoding="utf-8").splitlines())


@pytest.fixture
def report():
    if not SEED.exists():
        pytest.skip(f"study text not found at {SEED}")
    return report_lines()


def body_start(lines, title):
    """Index of the body heading `title` (the contents page repeats it with a page number)."""
    hits = [i for i, line in enumerate(lines) if line.strip() == title]
    assert hits, f"heading {title!r} not found in the report"
    return hits[-1]


ROW_RE = re.compile(r"^(\d\.\d) (.+?)((?:\t[0-9.]+)+)\t*$")
TITLE_RE = re.compile(r"^TABLE (\d+) (.*?)(?: \(\*?continued\*?\))?\s*$")


@functools.cache
def report_tables():
    """{table number: {"titles": set, "header": [labels], "rows": {item: (text, [cells])}}}.

    Reads the body of the report (after the contents pages), following a table over its
    "(continued)" blocks; a table ends at the next TABLE/Chapter/Appendix/"Responses to" line.
    """
    lines = report_lines()
    start = body_start(lines, "Chapter 2 Methods")
    tables, current = {}, None
    for line in lines[start:]:
        title = TITLE_RE.match(line)
        if title:
            current = tables.setdefault(int(title.group(1)), {"titles": set(), "header": None, "rows": {}})
            current["titles"].add(title.group(2))
            continue
        if current is None:
            continue
        if re.match(r"^(Chapter \d|Appendix \d|Responses to )", line):
            current = None
            continue
        row = ROW_RE.match(line)
        if row:
            item, text, cells = row.group(1), row.group(2), row.group(3).split("\t")[1:]
            assert item not in current["rows"], f"item {item} twice in one table"
            current["rows"][item] = (text, cells)
        elif "\t" in line and not current["rows"]:
            # the last tab-separated line before the rows holds the column labels
            current["header"] = [c for c in line.split("\t")[1:] if c.strip()]
    return tables


def table(num):
    tables = report_tables()
    assert num in tables, f"Table {num} not found in the report"
    return tables[num]


# ----------------------------------------------------------------------------- structure

def test_items_are_the_forty_study_items():
    """items.yaml holds exactly the 40 items 1.1-6.5, once each, in order, each in its own domain."""
    items = items_doc()["items"]
    ids = [it["id"] for it in items]
    assert ids == ITEM_IDS
    assert len(set(ids)) == 40
    for it in items:
        assert isinstance(it["id"], str)
        assert it["domain"] == int(it["id"].split(".")[0])


def test_items_have_required_fields():
    """Every item has non-empty text, a 2-5 word short label, a heading and a help text."""
    for it in items_doc()["items"]:
        assert set(it) >= {"id", "domain", "text", "short", "heading", "help"}, it["id"]
        assert isinstance(it["text"], str) and it["text"].strip(), it["id"]
        assert 2 <= len(it["short"].split()) <= 5, (it["id"], it["short"])
        assert isinstance(it["heading"], str) and it["heading"].strip(), it["id"]
        assert isinstance(it["help"], str) and len(it["help"].split()) >= 15, it["id"]
    shorts = [it["short"] for it in items_doc()["items"]]
    assert len(set(shorts)) == len(shorts), "short labels must be unique"


def test_domains_present():
    """items.yaml lists the six domains 1-6, each with a title and heading, and every domain has items."""
    domains = items_doc()["domains"]
    assert [d["id"] for d in domains] == [1, 2, 3, 4, 5, 6]
    for d in domains:
        assert d["title"].strip() and d["heading"].strip()
    used = {it["domain"] for it in items_doc()["items"]}
    assert used == {1, 2, 3, 4, 5, 6}


def _check_mean(value, where):
    assert value is None or (isinstance(value, float) and 1.0 <= value <= 4.0), (where, value)


def _check_count(value, where):
    assert value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0), (where, value)


def test_importance_structure():
    """importance: four groups, the expected tables and column keys, 40 means each, all in 1..4 or null."""
    imp = data_doc()["importance"]
    assert set(imp) == set(IMPORTANCE_GROUPS)
    for group, (tables, keys) in IMPORTANCE_GROUPS.items():
        g = imp[group]
        assert g["tables"] == tables, group
        assert list(g["columns"]) == keys, group
        assert list(g["means"]) == keys, group
        for key in keys:
            assert list(g["means"][key]) == ITEM_IDS, (group, key)
            for item, value in g["means"][key].items():
                _check_mean(value, (group, key, item))


def test_top3_structure():
    """top3: four groups, the expected table and column keys, 40 counts each, non-negative ints or null."""
    top = data_doc()["top3"]
    assert set(top) == set(TOP3_TABLES)
    for group, num in TOP3_TABLES.items():
        g = top[group]
        keys = IMPORTANCE_GROUPS[group][1]
        assert g["table"] == num, group
        assert list(g["columns"]) == keys, group
        assert list(g["counts"]) == keys, group
        for key in keys:
            assert list(g["counts"][key]) == ITEM_IDS, (group, key)
            for item, value in g["counts"][key].items():
                _check_count(value, (group, key, item))


# ----------------------------------------------------------------------------- against the report

def test_importance_means_match_report(report):
    """Every mean equals the number printed in Appendix 4 Tables 8-31, and every printed number is in the file."""
    imp = data_doc()["importance"]
    for group, (tables, keys) in IMPORTANCE_GROUPS.items():
        seen = set()
        for num in tables:
            for item, (_text, cells) in table(num)["rows"].items():
                assert item not in seen, (group, item)
                seen.add(item)
                assert len(cells) == len(keys), (num, item, cells)
                for key, cell in zip(keys, cells, strict=True):
                    assert imp[group]["means"][key][item] == float(cell), (num, item, key, cell)
        # items with no printed row must be null
        for key in keys:
            for item in set(ITEM_IDS) - seen:
                assert imp[group]["means"][key][item] is None, (group, key, item)


def test_top3_counts_match_report(report):
    """Every top-3 count equals Appendix 4 Tables 32-35 (across continued blocks); null where no row."""
    top = data_doc()["top3"]
    for group, num in TOP3_TABLES.items():
        keys = IMPORTANCE_GROUPS[group][1]
        rows = table(num)["rows"]
        for item in ITEM_IDS:
            for i, key in enumerate(keys):
                value = top[group]["counts"][key][item]
                if item in rows:
                    cells = rows[item][1]
                    assert len(cells) == len(keys), (num, item, cells)
                    assert value == int(cells[i]), (num, item, key, cells[i])
                else:
                    assert value is None, (num, item, key)


def test_column_labels_match_report(report):
    """The `columns` labels are the report's own column labels for every table of each group."""
    data = data_doc()
    for group, (tables, keys) in IMPORTANCE_GROUPS.items():
        labels = [data["importance"][group]["columns"][k] for k in keys]
        for num in tables:
            assert table(num)["header"] == labels, (num, table(num)["header"])
        top_labels = [data["top3"][group]["columns"][k] for k in keys]
        assert table(TOP3_TABLES[group])["header"] == top_labels, TOP3_TABLES[group]


def test_table_titles_match_report(report):
    """table_titles in study_data.yaml are the report's table titles exactly."""
    for num, title in data_doc()["table_titles"].items():
        assert title in table(int(num))["titles"], (num, title)


def test_chapter2_tables_are_subsets(report):
    """Chapter 2 Tables 4, 5 and 6 repeat, number for number, rows of Appendix 4 Tables 9, 27 and 35."""
    subsets = data_doc()["chapter2_subsets"]
    assert subsets == {"4": 9, "5": 27, "6": 35}
    for small_id, big in subsets.items():
        small = int(small_id)
        rows = table(small)["rows"]
        assert rows, small
        for item, row in rows.items():
            assert table(big)["rows"][item] == row, (small, big, item)


def test_item_text_matches_report(report):
    """Each item's text is, word for word, its row label in every Appendix 4 table that lists it."""
    texts = {it["id"]: it["text"] for it in items_doc()["items"]}
    found = set()
    for num in range(8, 36):
        for item, (text, _cells) in table(num)["rows"].items():
            assert text == texts[item], (num, item, text)
            found.add(item)
    assert found == set(ITEM_IDS)
    whole = "\n".join(report)
    for item, text in texts.items():
        assert f"{item} {text}" in whole, item


def test_headings_are_chapter3_headings(report):
    """Domain and item headings are whole lines of Chapter 3; domain titles are Appendix 1 section titles."""
    lines = list(report)
    ch3, ch4 = body_start(lines, "Chapter 3 Peer worker roles in mental health services in England"), \
        body_start(lines, "Chapter 4 Peer worker roles and organisational change")
    chapter3 = {line.strip() for line in lines[ch3:ch4]}
    for d in items_doc()["domains"]:
        assert d["heading"] in chapter3, d["heading"]
        assert any(re.fullmatch(rf"Section {d['id']} \u2013 {re.escape(d['title'])}\s*", line)
                   for line in lines), d["title"]
    for it in items_doc()["items"]:
        assert it["heading"] in chapter3, (it["id"], it["heading"])


def test_item_heading_sits_in_its_domain_section(report):
    """Each item heading appears inside its own domain's section of Chapter 3."""
    lines = [line.strip() for line in report]
    ch3 = body_start(list(report), "Chapter 3 Peer worker roles in mental health services in England")
    ch4 = body_start(list(report), "Chapter 4 Peer worker roles and organisational change")
    domains = items_doc()["domains"]
    starts = [lines.index(d["heading"], ch3) for d in domains] + [ch4]
    assert starts == sorted(starts)
    for it in items_doc()["items"]:
        lo, hi = starts[it["domain"] - 1], starts[it["domain"]]
        assert it["heading"] in lines[lo:hi], (it["id"], it["heading"])
