"""The Korean edition writes its terms the way the glossary (notebooks/glossary.md) says.

The glossary's "표기 원칙 · Writing conventions" section holds a fenced ``text`` block that starts with the
line ``forbidden -> preferred``: one ``forbidden -> preferred`` pair per line (``# comment`` allowed), then a
line starting with ``allowed`` and the phrases that may contain a forbidden form (the blog's quoted title,
"웜 리스타트" as the technique's name, ...). Alias mentions, written in parentheses after "별칭:" (e.g.
"에포크 (별칭: 에폭)"), are exempt too.

Checked, wherever the Korean edition speaks: the ``ko`` templates of lrutils/text/ko.toml, the markdown cells
of notebooks/ko/*.ipynb (fenced code blocks left out), README.ko.md if present, and the glossary's own text
outside that block. Besides the forbidden forms, two rules of the conventions are checked:

* particles after code names follow how the name is read aloud (rule 3): a name ending in "LR"/"lr" is read
  엘알 and takes 은/을/이/과 and 로 (never 는/를/가/와 or 으로); a few names that end in a vowel when read
  (``...Scheduler``, ``ReduceLROnPlateau``, ``...Restarts``, ``optimizer``, ``T_max``, ``gamma``) never take
  은/을/과/으로 or a subject 이; ``eta_min`` and ``step`` end in another consonant (never 는/를/가/와/로).
  Only names whose reading is not in doubt are checked, so the rule has few false positives;
* an English word glued to Korean (rule 2): ``step``, ``epoch``, ``lr``, ``batch``, ``restart``, ``jitter``
  written bare, directly followed by Hangul ("step할", "epoch마다"); code is left alone (``scheduler.step()``,
  `lr`, ``max_lr``, ``last_epoch=step``), and so are plurals, which in this series are keyword names
  (``epochs``, ``total_steps``) far more often than slips.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "notebooks" / "glossary.md"
KO_CATALOG = ROOT / "lrutils" / "text" / "ko.toml"
KO_NOTEBOOKS = ROOT / "notebooks" / "ko"
README_KO = ROOT / "README.ko.md"

BLOCK_HEADER = "forbidden -> preferred"
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
_ALIAS = re.compile(r"\(별칭:[^)]*\)")
_HANGUL = "\uac00-\ud7a3"


@dataclass(frozen=True)
class Terms:
    """The glossary's machine-readable term rules."""

    rules: tuple[tuple[str, str], ...]  # (forbidden, preferred)
    allowed: tuple[str, ...]  # phrases that may contain a forbidden form


def term_block(markdown: str) -> re.Match[str]:
    """The fenced block whose first line is ``forbidden -> preferred``."""
    for block in _FENCE.finditer(markdown):
        if block.group(1).lstrip().startswith(BLOCK_HEADER):
            return block
    raise AssertionError(f"glossary.md has no fenced block starting with {BLOCK_HEADER!r}")


def parse_terms(markdown: str) -> Terms:
    """Read the rules and the allowed phrases of the glossary's term block."""
    rules: list[tuple[str, str]] = []
    allowed: list[str] = []
    in_allowed = False
    for raw in term_block(markdown).group(1).splitlines()[1:]:
        line = re.sub(r"\s+#.*$", "", raw).strip()
        if not line:
            continue
        if line.startswith("allowed"):
            in_allowed = True
        elif in_allowed:
            allowed.append(line)
        else:
            forbidden, arrow, preferred = line.partition(" -> ")
            assert arrow and forbidden.strip() and preferred.strip(), f"glossary term block: cannot read {raw!r}"
            rules.append((forbidden.strip(), preferred.strip()))
    return Terms(tuple(rules), tuple(allowed))


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 25) : end + 25].replace("\n", " ")


def forbidden_forms(text: str, terms: Terms) -> list[str]:
    """Each forbidden form in ``text`` (alias mentions and allowed phrases left out), with its context."""
    for phrase in terms.allowed:
        text = text.replace(phrase, " " * len(phrase))
    text = _ALIAS.sub(lambda m: " " * len(m.group(0)), text)
    found = []
    for forbidden, preferred in terms.rules:
        for hit in re.finditer(re.escape(forbidden), text):
            found.append(f"{forbidden!r} -> {preferred!r}: ...{_context(text, hit.start(), hit.end())}...")
    return found


# How a code name ends when read aloud, by its last identifier (after "." and without a call's "(...)").
_READS_LIKE = (
    (re.compile(r"(?i)lr$"), "rieul"),  # ...LR, ...lr: 엘알
    (re.compile(r"(?:Scheduler|scheduler|Plateau|Restarts)$|^(?:optimizer|T_max|gamma)$"), "vowel"),
    (re.compile(r"^(?:eta_min|step)$"), "consonant"),  # 에타 민, 스텝
)
_WRONG_PARTICLE = {
    "rieul": re.compile(r"는|를|가|와|으로"),
    "vowel": re.compile(rf"은|을|과|으로|이(?![{_HANGUL}])"),
    "consonant": re.compile(r"는|를|가|와|로"),
}
_RIGHT = {"rieul": "은/을/이/과/로", "vowel": "는/를/가/와/로", "consonant": "은/을/이/과/으로"}
_CODE_THEN_HANGUL = re.compile(
    rf"(?:`(?P<code>[^`\n]+)`|(?<![\w.`'\"{{}}])(?P<bare>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:\(\))?))(?=[{_HANGUL}])",
    re.ASCII,
)


def reading(name: str) -> str | None:
    """``"rieul"``, ``"vowel"`` or ``"consonant"``: how ``name`` ends when read aloud; None if not checked.

    >>> reading("OneCycleLR"), reading("scheduler.step()"), reading("ChainedScheduler"), reading("T_0")
    ('rieul', 'consonant', 'vowel', None)
    """
    name = re.sub(r"\(.*\)$", "", name.strip())
    last = name.rsplit(".", 1)[-1]
    if not re.fullmatch(r"[A-Za-z_]\w*", last, re.ASCII):
        return None
    for pattern, sound in _READS_LIKE:
        if pattern.search(last):
            return sound
    return None


def wrong_particles(text: str) -> list[str]:
    """Each particle after a code name that does not fit how the name is read (`StepLR`는, OneCycleLR를, ...)."""
    found = []
    for hit in _CODE_THEN_HANGUL.finditer(text):
        name = hit.group("code") or hit.group("bare")
        sound = reading(name)
        if sound is None:
            continue
        wrong = _WRONG_PARTICLE[sound].match(text, hit.end())
        if wrong:
            found.append(
                f"{name}{wrong.group(0)}: {name} takes {_RIGHT[sound]}: "
                f"...{_context(text, hit.start(), wrong.end())}..."
            )
    return found


_GLUED = re.compile(rf"(?<![\w.`'\"/={{}}\[-])(?:lr|step|epoch|batch|restart|jitter)(?=[{_HANGUL}])", re.ASCII)


def glued_english(text: str) -> list[str]:
    """Each bare English term written straight into a Korean word ("step할", "epoch마다")."""
    text = re.sub(r"`[^`\n]*`", lambda m: " " * len(m.group(0)), text)
    return [
        f"{hit.group(0)!r} inside Korean: ...{_context(text, hit.start(), hit.end())}..."
        for hit in _GLUED.finditer(text)
    ]


def problems(text: str, terms: Terms) -> list[str]:
    """Everything the conventions forbid in one piece of Korean prose."""
    return forbidden_forms(text, terms) + wrong_particles(text) + glued_english(text)


def markdown_prose(markdown: str) -> str:
    """``markdown`` without its fenced code blocks (code is not prose)."""
    return _FENCE.sub("", markdown)


def notebook_prose(path: Path) -> list[tuple[str, str]]:
    """(where, text) for every markdown cell of a notebook."""
    nb = nbformat.read(path, as_version=4)
    return [
        (f"{path.relative_to(path.parents[1])} cell {i}", markdown_prose(cell.source))
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
    ]


def catalog_prose(path: Path, table: str = "message") -> list[tuple[str, str]]:
    """(where, text) for the ``ko`` text of every catalog entry (``[[message]]``, or ``[[label]]`` entries)."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get(table, [])
    return [(f"{path.name}: {entry['en'][:60]!r}", entry["ko"]) for entry in entries]


def glossary_prose(path: Path) -> list[tuple[str, str]]:
    """(where, text) for the glossary, its term block left out (the block names the forbidden forms)."""
    markdown = path.read_text(encoding="utf-8")
    block = term_block(markdown)
    return [(path.name, markdown[: block.start()] + markdown[block.end() :])]


def korean_sources(root: Path = ROOT) -> list[tuple[str, str]]:
    """Every piece of Korean prose the conventions apply to."""
    sources = glossary_prose(root / "notebooks" / "glossary.md")
    sources += catalog_prose(root / "lrutils" / "text" / "ko.toml")
    labels = root / "lrutils" / "text" / "ko_labels.toml"
    if labels.is_file():
        sources += catalog_prose(labels, "label")
    for path in sorted((root / "notebooks" / "ko").glob("*.ipynb")):
        sources += notebook_prose(path)
    readme = root / "README.ko.md"
    if readme.is_file():
        sources.append((readme.name, markdown_prose(readme.read_text(encoding="utf-8"))))
    return sources


TERMS = parse_terms(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_block_names_the_core_rules() -> None:
    rules = dict(TERMS.rules)
    assert rules["에폭"] == "에포크"
    assert rules["스케쥴러"] == "스케줄러"
    assert rules["확실한 차이"] == "뚜렷한 차이"
    assert "[개념 정리] 스케쥴러란? Scheduler (딥러닝 학습)" in TERMS.allowed
    for forbidden, preferred in TERMS.rules:
        assert forbidden not in preferred, f"{forbidden!r} -> {preferred!r} would flag its own fix"


def test_the_korean_edition_follows_the_glossary() -> None:
    sources = korean_sources()
    names = {where.split(":")[0].split(" cell ")[0] for where, _ in sources}
    assert {"glossary.md", "ko.toml", "ko_labels.toml"} <= names
    assert {f"ko/{p.name}" for p in KO_NOTEBOOKS.glob("*.ipynb")} <= names
    found = [f"{where}: {problem}" for where, text in sources for problem in problems(text, TERMS)]
    assert not found, f"{len(found)} term problem(s) (see notebooks/glossary.md, 표기 원칙):\n" + "\n".join(found)


# --- the lint catches what it should, and only that ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("학습률은 에폭마다 줄어듭니다.", "'에폭' -> '에포크'"),
        ("[개념 정리] 스케쥴러란? Scheduler (딥러닝 학습)의 스케쥴러는", "'스케쥴러' -> '스케줄러'"),
        ("두 설정 사이에 확실한 차이가 있습니다.", "'확실한 차이' -> '뚜렷한 차이'"),
        ("`StepLR`는 계단처럼 줄입니다.", "StepLR는"),
        ("OneCycleLR를 배치마다 스텝합니다.", "OneCycleLR를"),
        ("`CosineAnnealingLR`와 비교합니다.", "CosineAnnealingLR와"),
        ("`max_lr`가 너무 큽니다.", "max_lr가"),
        ("`LambdaLR`으로 씁니다.", "LambdaLR으로"),
        ("`ChainedScheduler`은 조각을 곱합니다.", "ChainedScheduler은"),
        ("`scheduler.step()`를 호출합니다.", "scheduler.step()를"),
        ("스케줄러를 step할 때마다", "'step' inside Korean"),
        ("epoch마다 한 번", "'epoch' inside Korean"),
    ],
)
def test_a_planted_violation_is_caught(text: str, caught: str) -> None:
    assert any(caught in problem for problem in problems(text, TERMS)), problems(text, TERMS)


@pytest.mark.parametrize(
    "text",
    [
        "에포크 (별칭: 에폭, PyTorch 한국어 튜토리얼의 표기)",
        "블로그 제목은 [개념 정리] 스케쥴러란? Scheduler (딥러닝 학습)입니다.",
        "`StepLR`은 `OneCycleLR`을, `CosineAnnealingLR`과 `max_lr`이 `LambdaLR`로",
        "`ReduceLROnPlateau`는 `ChainedScheduler`를 `optimizer`가 `scheduler.step()`을 호출합니다.",
        "{name}는 {label}: {name}를",  # a field's value is unknown: not checked
        "`T_0`는 `eta_min`으로, 웜 리스타트와 재시작, 그래디언트 누적",
        "scheduler.step()을 부르고 lr_lambda가 max_lr=0.1로, 'jitter'를",
        "epochs와 steps_per_epoch로 만들고 last_epoch=step을 넘기면",  # keyword names and code values
        "`ChainedScheduler`이며 `ReduceLROnPlateau`입니다.",  # the copula after a vowel is fine
    ],
)
def test_correct_korean_is_not_flagged(text: str) -> None:
    assert problems(text, TERMS) == []


def test_each_source_kind_is_read_and_a_planted_violation_in_it_is_caught(tmp_path: Path) -> None:
    """A tree with a glossary, both catalogs, a Korean notebook and README.ko.md, each with one planted problem."""
    (tmp_path / "notebooks" / "ko").mkdir(parents=True)
    (tmp_path / "lrutils" / "text").mkdir(parents=True)
    glossary = GLOSSARY.read_text(encoding="utf-8") + "\n추가 문장: 확실한 차이.\n"
    (tmp_path / "notebooks" / "glossary.md").write_text(glossary, encoding="utf-8")
    (tmp_path / "lrutils" / "text" / "ko.toml").write_text(
        '[[message]]\nen = "{n} epochs"\nko = "에폭 {n}개"\n', encoding="utf-8"
    )
    (tmp_path / "lrutils" / "text" / "ko_labels.toml").write_text(
        '[[label]]\nen = "30 epochs"\nko = "30 에폭"\n', encoding="utf-8"
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("`StepLR`는 계단입니다.\n\n```python\n# 에폭: code is not prose\n```"),
        nbformat.v4.new_code_cell("x = '에폭'  # code cells are not prose"),
    ]
    nbformat.write(nb, tmp_path / "notebooks" / "ko" / "01_step_decay.ipynb")
    (tmp_path / "README.ko.md").write_text("# 안내\n\n그래디언트를 계산합니다.\n", encoding="utf-8")
    sources = korean_sources(tmp_path)
    found = {where: problems(text, TERMS) for where, text in sources}
    flagged = {where.split(":")[0] for where, found_here in found.items() if found_here}
    assert flagged == {"glossary.md", "ko.toml", "ko_labels.toml", "ko/01_step_decay.ipynb cell 0", "README.ko.md"}
    assert len(found["ko/01_step_decay.ipynb cell 0"]) == 1  # the fenced code block is not read
