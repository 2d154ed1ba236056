"""The arithmetic of a judged nomination: criterion means, weighted totals, places and titles,
disagreement between jurors, per-juror normalisation and Kendall's W.

Pure functions over plain values, no database. Every figure is a ``Decimal``: sums are exact,
divisions and square roots use the default context, and a figure is rounded once, half up to
two places (``PLACES``), when it is stored in a result. Ranking compares the rounded figures,
the ones people see in the protocol. Nothing depends on the order of the sheets or criteria.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DefaultContext, localcontext
from fractions import Fraction

PLACES = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Criterion:
    id: int
    max_score: Decimal
    min_score: Decimal = Decimal(0)
    weight: Decimal = Decimal(1)
    tie_priority: int | None = None  # 1 = first tie-break criterion, 2 = second, ...


@dataclass(frozen=True)
class Sheet:
    """One juror's completed scoring of one entry: criterion id -> score (a criterion the juror
    left empty is absent)."""

    juror_id: int
    entry_id: int
    scores: dict[int, Decimal]


@dataclass(frozen=True)
class Rules:
    min_entries: int = 2  # a nomination with fewer entries is not held
    laureates: int = 0  # the next N after places 1-3 are laureates ...
    laureate_share: Decimal | None = None  # ... or, when set, all of them with total >= share * max
    outlier_sd: Decimal = Decimal("1.5")  # flag a juror's total this many SDs from the others' ...
    outlier_share: Decimal = Decimal("0.3")  # ... or this share of max_total from their mean


@dataclass
class EntryResult:
    entry_id: int
    assigned: int  # jurors assigned
    jurors: int  # jurors who completed a sheet
    means: dict[int, Decimal | None]  # criterion id -> mean over the jurors who scored it
    total: Decimal | None  # weighted sum of the unrounded criterion means
    median: Decimal | None  # of the jurors' totals, as are sd (sample) and spread (max - min)
    sd: Decimal | None
    spread: Decimal | None
    incomplete: bool  # jurors < assigned
    outliers: list[int]  # juror ids, flagged for discussion, never dropped
    place: int | None = None
    title: str = "participant"  # "winner" | "prize_winner" | "laureate" | "participant"
    tie_note: str = ""  # "" | "priority" | "shared"
    normalised: Decimal | None = None


@dataclass
class Agreement:
    w: Decimal  # Kendall's W with the tie correction
    jurors: int
    entries: int  # entries scored by every juror counted
    level: str  # "poor" | "moderate" | "good" | "excellent"


@dataclass
class NominationResult:
    held: bool
    max_total: Decimal  # sum over criteria of weight * max_score
    entries: list[EntryResult]  # best first; entries without a total last, by entry id
    normalisation_needed: bool  # jurors scored different sets of entries
    agreement: Agreement | None


DEFAULT_RULES = Rules()
PRIZE_TITLES = {1: "winner", 2: "prize_winner", 3: "prize_winner"}
AGREEMENT_LEVELS = (
    (Decimal("0.5"), "poor"),
    (Decimal("0.75"), "moderate"),
    (Decimal("0.9"), "good"),
)

# juror id -> {entry id: that juror's total}
Totals = dict[int, dict[int, Decimal]]


def rounded(value: Decimal | Fraction | None) -> Decimal | None:
    """Two places, halves away from zero; a Fraction is rounded exactly (a mean of 4/3 weighted
    into a total of 0.875 gives 0.88, where 28-digit decimals could give 0.87)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        hundredths = abs(value) * 100
        whole = int(hundredths) + (1 if hundredths - int(hundredths) >= Fraction(1, 2) else 0)
        return (Decimal(whole if value >= 0 else -whole) / 100).quantize(PLACES)
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def nomination_results(
    criteria: list[Criterion],
    assigned: dict[int, int],
    sheets: list[Sheet],
    rules: Rules = DEFAULT_RULES,
) -> NominationResult:
    """assigned: entry id -> number of jurors assigned (every entry of the nomination is a key,
    even without sheets). A juror's total is the weighted sum of the scores on their sheet.

    Raises ValueError for a sheet of an entry that is not a key of ``assigned``, a second sheet of
    one juror for one entry, or a score for a criterion not in ``criteria``.
    """
    with localcontext(DefaultContext):
        criteria = sorted(criteria, key=lambda criterion: criterion.id)
        sheets = _checked(sheets, criteria, assigned)
        max_total = sum((c.weight * c.max_score for c in criteria), ZERO)
        totals = _juror_totals(sheets, criteria)
        normalised = _normalised_totals(totals, max_total)
        entries = [
            _entry_result(entry_id, assigned[entry_id], criteria, sheets, totals, rules, max_total)
            for entry_id in sorted(assigned)
        ]
        for entry in entries:
            entry.normalised = rounded(_mean_or_none(normalised.get(entry.entry_id, [])))
        held = len(assigned) >= rules.min_entries
        return NominationResult(
            held=held,
            max_total=max_total,
            entries=_ranked(entries, criteria, held, rules, max_total),
            normalisation_needed=len({frozenset(own) for own in totals.values()}) > 1,
            agreement=kendalls_w(totals),
        )


def _checked(sheets: list[Sheet], criteria: list[Criterion], assigned: dict[int, int]):
    """The sheets in (entry, juror) order; a sheet that cannot belong here is a caller's bug."""
    known = {criterion.id for criterion in criteria}
    seen = set()
    for sheet in sheets:
        key = (sheet.entry_id, sheet.juror_id)
        if sheet.entry_id not in assigned:
            raise ValueError(f"sheet for entry {sheet.entry_id} outside the nomination")
        if key in seen:
            raise ValueError(f"two sheets of juror {sheet.juror_id} for entry {sheet.entry_id}")
        if not set(sheet.scores) <= known:
            raise ValueError(f"sheet of juror {sheet.juror_id} scores an unknown criterion")
        seen.add(key)
    return sorted(sheets, key=lambda sheet: (sheet.entry_id, sheet.juror_id))


def _juror_totals(sheets: list[Sheet], criteria: list[Criterion]) -> Totals:
    totals: Totals = defaultdict(dict)
    for sheet in sheets:
        totals[sheet.juror_id][sheet.entry_id] = sum(
            (c.weight * sheet.scores[c.id] for c in criteria if c.id in sheet.scores), ZERO
        )
    return dict(totals)


# One entry


def _entry_result(entry_id, assigned, criteria, sheets, totals, rules, max_total) -> EntryResult:
    own = [sheet for sheet in sheets if sheet.entry_id == entry_id]
    means = {c.id: _exact_mean([s.scores[c.id] for s in own if c.id in s.scores]) for c in criteria}
    weighted = [Fraction(c.weight) * means[c.id] for c in criteria if means[c.id] is not None]
    juror_totals = {j: by_entry[entry_id] for j, by_entry in totals.items() if entry_id in by_entry}
    values = list(juror_totals.values())
    return EntryResult(
        entry_id=entry_id,
        assigned=assigned,
        jurors=len(own),
        means={criterion_id: rounded(mean) for criterion_id, mean in means.items()},
        total=rounded(sum(weighted, Fraction(0))) if weighted else None,
        median=rounded(_median(values)) if values else None,
        sd=rounded(_sample_sd(values)),
        spread=rounded(max(values) - min(values)) if values else None,
        incomplete=len(own) < assigned,
        outliers=_outliers(juror_totals, rules, max_total),
    )


def _outliers(juror_totals: dict[int, Decimal], rules: Rules, max_total: Decimal) -> list[int]:
    """Jurors whose total is far from the median of all the entry's jurors' totals: more than
    ``outlier_share`` of the maximum total, or (from four jurors on, where a sample SD means
    something) more than ``outlier_sd`` sample SDs. Flagged for the jury's discussion; their
    scores still count."""
    if len(juror_totals) < 2:
        return []
    values = list(juror_totals.values())
    middle = _median(values)
    sd = _sample_sd(values) if len(values) >= 4 else None
    return [
        juror_id
        for juror_id, total in sorted(juror_totals.items())
        if abs(total - middle) > rules.outlier_share * max_total
        or (sd and abs(total - middle) > rules.outlier_sd * sd)
    ]


# Places and titles


def _ranked(entries, criteria, held, rules, max_total) -> list[EntryResult]:
    """Best first by total, then by the priority criteria; entries without a total last."""
    priority = sorted(
        (c for c in criteria if c.tie_priority is not None), key=lambda c: (c.tie_priority, c.id)
    )
    scored = sorted(
        (entry for entry in entries if entry.total is not None),
        key=lambda entry: (_ranking_key(entry, priority), entry.entry_id),
    )
    unscored = [entry for entry in entries if entry.total is None]
    if held:
        _place(scored, priority)
        _give_titles(scored, rules, max_total)
    return scored + unscored


def _ranking_key(entry: EntryResult, priority: list[Criterion]) -> tuple:
    """Ascending key for best first: a criterion nobody scored ranks below every score."""
    means = (entry.means[c.id] for c in priority)
    return (-entry.total, *((1, ZERO) if mean is None else (0, -mean) for mean in means))


def _place(ranked: list[EntryResult], priority: list[Criterion]) -> None:
    """Competition ranking (1, 2, 2, 4): an entry's place is one more than the number of entries
    strictly ahead of it."""
    keys = [_ranking_key(entry, priority) for entry in ranked]
    key_counts = Counter(keys)
    total_counts = Counter(entry.total for entry in ranked)
    for index, (entry, key) in enumerate(zip(ranked, keys, strict=True)):
        entry.place = ranked[index - 1].place if index and keys[index - 1] == key else index + 1
        if key_counts[key] > 1:
            entry.tie_note = "shared"
        elif total_counts[entry.total] > 1:
            entry.tie_note = "priority"


def _give_titles(ranked: list[EntryResult], rules: Rules, max_total: Decimal) -> None:
    rest = [entry for entry in ranked if entry.place > 3]
    laureates = {entry.entry_id for entry in _laureates(rest, rules, max_total)}
    for entry in ranked:
        laureate = "laureate" if entry.entry_id in laureates else "participant"
        entry.title = PRIZE_TITLES.get(entry.place, laureate)


def _laureates(rest: list[EntryResult], rules: Rules, max_total: Decimal) -> list[EntryResult]:
    """The entries after the prize winners that are laureates: by share of the maximum total when
    one is set, otherwise the next ``laureates`` in order and any entry sharing the last one's
    place."""
    if rules.laureate_share is not None:
        return [entry for entry in rest if entry.total >= rules.laureate_share * max_total]
    if rules.laureates <= 0 or not rest:
        return []
    last_place = rest[min(rules.laureates, len(rest)) - 1].place
    return [entry for entry in rest if entry.place <= last_place]


# Normalisation


def _normalised_totals(totals: Totals, max_total: Decimal) -> dict[int, list[Decimal]]:
    """Entry id -> its jurors' normalised totals, in juror order.

    Each juror's totals become z-scores over the entries that juror scored, then are put back on
    the scale of all totals of the nomination (their mean and SD) and kept within
    [0, max_total]. Standard deviations are sample ones here as everywhere in this module; a
    juror with a single entry or all totals equal gets z = 0, that is the overall mean.
    """
    everything = [total for own in totals.values() for total in own.values()]
    if not everything:
        return {}
    mean_all, sd_all = _mean(everything), _sample_sd(everything) or ZERO
    normalised: dict[int, list[Decimal]] = defaultdict(list)
    for _juror_id, own in sorted(totals.items()):
        mean_j, sd_j = _mean(own.values()), _sample_sd(own.values())
        for entry_id, total in sorted(own.items()):
            z = (total - mean_j) / sd_j if sd_j else ZERO
            normalised[entry_id].append(min(max(mean_all + z * sd_all, ZERO), max_total))
    return normalised


# Agreement


def kendalls_w(totals: Totals) -> Agreement | None:
    """totals: juror id -> {entry id: that juror's total}. Uses only entries every juror scored;
    None with < 2 jurors or < 2 such entries, or when every juror tied all of them (W undefined).

    Kendall's W with the tie correction: each juror ranks the entries (highest total = rank 1,
    average ranks for ties); W = 12 S / (m² (n³ - n) - m Σ T_j), S being the sum of squared
    deviations of the entries' rank sums from their mean and T_j = Σ (t³ - t) over juror j's
    groups of t tied entries. The level is read from the rounded W, the figure shown.
    """
    with localcontext(DefaultContext):
        if len(totals) < 2:
            return None
        common = sorted(set.intersection(*(set(own) for own in totals.values())))
        m, n = len(totals), len(common)
        if n < 2:
            return None
        rows = [[own[entry_id] for entry_id in common] for _juror_id, own in sorted(totals.items())]
        rank_sums = [sum(ranks) for ranks in zip(*(_ranks(row) for row in rows), strict=True)]
        mean_sum = Decimal(m * (n + 1)) / 2
        s = sum(((rank_sum - mean_sum) ** 2 for rank_sum in rank_sums), ZERO)
        ties = sum(t**3 - t for row in rows for t in Counter(row).values())
        denominator = m * m * (n**3 - n) - m * ties
        if denominator == 0:
            return None
        w = rounded(12 * s / denominator)
        return Agreement(w=w, jurors=m, entries=n, level=_agreement_level(w))


def _ranks(values: list[Decimal]) -> list[Decimal]:
    """Rank 1 for the highest value; tied values share the mean of the ranks they span."""
    counts = Counter(values)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(sorted(values, reverse=True), start=1):
        first.setdefault(value, position)
    return [first[value] + Decimal(counts[value] - 1) / 2 for value in values]


def _agreement_level(w: Decimal) -> str:
    return next((level for bound, level in AGREEMENT_LEVELS if w < bound), "excellent")


# Statistics


def _mean(values: Iterable[Decimal]) -> Decimal:
    values = sorted(values)  # the same sum, to the last digit, whatever order came in
    return sum(values, ZERO) / len(values)


def _mean_or_none(values: list[Decimal]) -> Decimal | None:
    return _mean(values) if values else None


def _exact_mean(values: list[Decimal]) -> Fraction | None:
    return Fraction(sum(values, ZERO)) / len(values) if values else None


def _median(values: list[Decimal]) -> Decimal:
    values, middle = sorted(values), len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _sample_sd(values: Iterable[Decimal]) -> Decimal | None:
    values = sorted(values)
    if len(values) < 2:
        return None
    mean = _mean(values)
    return (sum(((v - mean) ** 2 for v in values), ZERO) / (len(values) - 1)).sqrt()


def format_score(value: Decimal | None) -> str:
    """A figure as shown and printed: two places, a decimal comma ("18,50")."""
    return "" if value is None else f"{rounded(Decimal(value)):f}".replace(".", ",")
