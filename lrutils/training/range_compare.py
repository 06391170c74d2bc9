"""Do the range test's rules pick a good peak lr? Each seed's own range test, each rule's suggestion
trained on that seed, paired with the tuned lrs.

A practitioner runs one range test on the model they are about to train and trains at what a rule
suggests. :func:`compare_rules` does exactly that for several seeds: the range test of seed ``s``
(the demo model initialised from ``s``, batches in ``s``'s order, as :func:`lrutils.train` with
``seed=s`` uses them) gives one lr per rule, and the schedule is trained at that lr on seed ``s``.
So each rule is judged together with how much its suggestion moves from seed to seed. The same
seeds train the schedule and the constant lr at their tuned lrs
(:data:`~lrutils.training.demo.TUNED_LR`), and the result is a
:class:`~lrutils.training.comparison.Comparison` paired seed by seed with the tuned schedule.

>>> from lrutils.training.range_test import lr_range_test
>>> tests = [lr_range_test(seed=s, num_iter=30) for s in (0, 1)]
>>> c = compare_rules(tests, epochs=1, progress=False)
>>> c.labels[0], c.labels[-1], c.baseline
('OneCycleLR, tuned lr', 'constant, tuned lr', 'OneCycleLR, tuned lr')
>>> c.labels[1:-1]
['OneCycleLR at the valley', 'OneCycleLR at min / 10', 'OneCycleLR at the steepest point']
>>> [h.base_lr for h in c["OneCycleLR at min / 10"]] == [t.min_loss_lr / 10 for t in tests]
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..text.i18n import tr
from ..text.progress import progress_bar
from .arguments import EPOCHS_SPEC, PROGRESS_SPEC, check_name, run_spec
from .comparison import Comparison, Setup
from .data import HIDDEN
from .demo import BATCH_SIZE, DEFAULT_EPOCHS, TUNED_LR
from .engine import train_runs
from .history import CONSTANT
from .range_test import RangeTestResult

RULES: dict[str, str] = {
    "the valley": "valley_lr",
    "min / 10": "min_div10_lr",
    "the steepest point": "steepest_lr",
}
"""Label -> the :class:`~lrutils.training.range_test.RangeTestResult` attribute holding that rule's lr."""


def _checked_tests(tests: object) -> list[RangeTestResult]:
    if isinstance(tests, RangeTestResult) or not isinstance(tests, Sequence) or not tests:
        raise TypeError(tr("tests must be a non-empty list of range test results, one per seed"))
    for test in tests:
        if not isinstance(test, RangeTestResult):
            raise TypeError(
                tr("tests must hold range test results (lr_range_test(...)), got {kind}", kind=type(test).__name__)
            )
        if test.batch_size != BATCH_SIZE:
            raise ValueError(
                tr(
                    "every range test must use the batch size training uses ({batch}), got batch_size={value}",
                    batch=BATCH_SIZE,
                    value=test.batch_size,
                )
            )
    seeds = [test.seed for test in tests]
    if len(set(seeds)) != len(seeds):
        raise ValueError(tr("tests must come from different seeds, got seeds {seeds}", seeds=seeds))
    return list(tests)


def compare_rules(
    tests: Sequence[RangeTestResult],
    name: str = "OneCycleLR",
    rules: Mapping[str, str] = RULES,
    epochs: int = DEFAULT_EPOCHS,
    progress: bool = True,
) -> Comparison:
    """Train ``name`` on each test's seed at each rule's suggestion from that seed's test, next to
    ``name`` and the constant lr at their tuned lrs on the same seeds.

    Labels: ``"<name>, tuned lr"`` (the baseline), ``"<name> at <rule>"`` for each rule, and
    ``"constant, tuned lr"``. ``rules`` maps a label to a result attribute (default :data:`RULES`).
    The runs' ``base_lr`` is the lr each seed trained at. Every test must use the demo's batch size,
    and the seeds must differ.
    """
    tests = _checked_tests(tests)
    name = check_name(name)
    if name is None or name not in TUNED_LR:
        raise ValueError(tr("name must be a schedule the shared sweep tuned: {names}", names=", ".join(TUNED_LR)))
    if not isinstance(rules, Mapping) or not rules:
        raise TypeError(
            tr("rules must be a non-empty dict label -> result attribute, such as {example}", example=RULES)
        )
    for label, attribute in rules.items():
        if not isinstance(attribute, str) or not isinstance(getattr(tests[0], attribute, None), float):
            raise ValueError(
                tr(
                    "rules[{label}] must name an lr of the range test result ({names}), got {value}",
                    label=repr(label),
                    names=", ".join(RULES.values()),
                    value=repr(attribute),
                )
            )
    epochs = EPOCHS_SPEC.check(epochs)
    tuned = tr("{name}, tuned lr", name=name)
    constant = tr("{name}, tuned lr", name=CONSTANT)
    lrs: dict[str, tuple[str | None, list[float]]] = {tuned: (name, [TUNED_LR[name]] * len(tests))}
    for label, attribute in rules.items():
        lrs[tr("{name} at {rule}", name=name, rule=label)] = (name, [float(getattr(t, attribute)) for t in tests])
    lrs[constant] = (None, [TUNED_LR[CONSTANT]] * len(tests))
    runs = [
        run_spec(schedule, epochs, test.seed, lr, "sgd", {})
        for schedule, per_seed in lrs.values()
        for test, lr in zip(tests, per_seed, strict=True)
    ]
    what = tr("training ({n} schedules x {seeds} seeds)", n=len(lrs), seeds=len(tests))
    with progress_bar(tr("{what}: {n} runs", what=what, n=len(runs)), 1, PROGRESS_SPEC.check(progress)):
        histories = train_runs(runs, epochs, HIDDEN, BATCH_SIZE)
    n = len(tests)
    by_label = {label: histories[i * n : (i + 1) * n] for i, label in enumerate(lrs)}
    setups = {
        label: Setup(schedule, per_seed[0] if label in (tuned, constant) else None)
        for label, (schedule, per_seed) in lrs.items()
    }
    return Comparison(by_label, setups, baseline=tuned)


__all__ = ["RULES", "compare_rules"]
