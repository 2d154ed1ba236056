"""The arithmetic of a judged nomination: means over the jurors who scored, weighted totals,
competition places with priority tie-breaks, titles, flagged disagreement, normalisation and
Kendall's W. Pure functions: no database needed."""

import math
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.contests.results import (
    DEFAULT_RULES,
    Criterion,
    Rules,
    Sheet,
    kendalls_w,
    nomination_results,
)

D = Decimal
SMALL = settings(max_examples=200, deadline=None, database=None)


@pytest.fixture(autouse=True)
def _clean_database():
    """Replaces the suite's per-test database cleanup: nothing here touches the database, so these
    tests run without the app and its migrations."""
    yield


def sheet(juror_id: int, entry_id: int, **scores: str) -> Sheet:
    """A sheet with scores by criterion name: c1="4.5", c2="8" ..."""
    return Sheet(juror_id, entry_id, {int(name[1:]): D(value) for name, value in scores.items()})


def by_entry(result) -> dict:
    return {entry.entry_id: entry for entry in result.entries}


def single_criterion(*rows: tuple[int, int, str], rules: Rules = DEFAULT_RULES):
    """A nomination judged on one criterion out of 10: rows of (juror, entry, score); each entry
    has as many jurors assigned as scored it."""
    sheets = [sheet(juror, entry, c1=score) for juror, entry, score in rows]
    assigned = {entry: 0 for _, entry, _ in rows}
    for _, entry, _ in rows:
        assigned[entry] += 1
    return nomination_results([Criterion(1, D(10))], assigned, sheets, rules)


# A nomination worked by hand

HAND_CRITERIA = [
    Criterion(1, D(5)),  # scored in steps of 0.5
    Criterion(2, D(10), weight=D(2), tie_priority=1),
    Criterion(3, D(3), weight=D("0.5")),
]
HAND_SHEETS = [
    sheet(11, 101, c1="4.5", c2="8", c3="2"),
    sheet(12, 101, c1="4", c2="9", c3="3"),
    sheet(13, 101, c1="5", c2="7", c3="2"),
    sheet(11, 102, c1="3", c2="6", c3="1"),
    sheet(12, 102, c1="3.5", c2="6"),  # criterion 3 left empty
    sheet(13, 102, c1="2.5", c2="7", c3="2"),
    sheet(11, 103, c1="4", c2="8", c3="1"),
    sheet(12, 103, c1="3", c2="8", c3="2"),
    sheet(13, 103, c1="3.5", c2="7", c3="3"),
    sheet(11, 104, c1="5", c2="7", c3="3"),
    sheet(12, 104, c1="4", c2="6", c3="3"),
    sheet(13, 104, c1="4.5", c2="8", c3="2"),
]


def test_hand_worked_nomination_gives_every_figure_and_place():
    # max_total = 1*5 + 2*10 + 0.5*3 = 26.5
    # 101: means 13.5/3 = 4.5, 24/3 = 8, 7/3 = 2.333; total 4.5 + 16 + 7/6 = 21.6667 -> 21.67
    #      jurors' totals 21.5, 23.5, 20: median 21.5, spread 3.5,
    #      deviations -1/6, 11/6, -10/6: sd = sqrt((1 + 121 + 100)/36 / 2) = sqrt(37/12) = 1.756
    # 102: means 9/3 = 3, 19/3 = 6.333, (1 + 2)/2 = 1.5 (juror 12 left out, not a zero);
    #      total 3 + 38/3 + 0.75 = 16.4167 -> 16.42 (16.17 had the empty score counted as 0)
    #      jurors' totals 15.5, 15.5, 17.5: median 15.5, spread 2, sd = sqrt((4+4+16)/9 / 2) = 1.155
    # 103: means 10.5/3 = 3.5, 23/3 = 7.667, 6/3 = 2; total 3.5 + 46/3 + 1 = 19.8333 -> 19.83
    #      jurors' totals 20.5, 20, 19: median 20, spread 1.5, sd = sqrt((16+1+25)/36 / 2) = 0.764
    # 104: means 13.5/3 = 4.5, 21/3 = 7, 8/3 = 2.667; total 4.5 + 14 + 4/3 = 19.8333 -> 19.83
    #      jurors' totals 20.5, 17.5, 21.5: median 20.5, spread 4,
    #      sd = sqrt((16 + 196 + 100)/36 / 2) = 2.082
    # 103 and 104 tie on 19.83; criterion 2 (priority 1) separates them: 7.67 > 7.00.
    result = nomination_results(HAND_CRITERIA, dict.fromkeys([101, 102, 103, 104], 3), HAND_SHEETS)

    assert result.held
    assert result.max_total == D("26.5")
    assert [entry.entry_id for entry in result.entries] == [101, 103, 104, 102]
    entries = by_entry(result)
    expected = {
        101: ({1: "4.50", 2: "8.00", 3: "2.33"}, "21.67", "21.50", "1.76", "3.50", 1, "winner"),
        103: (
            {1: "3.50", 2: "7.67", 3: "2.00"},
            "19.83",
            "20.00",
            "0.76",
            "1.50",
            2,
            "prize_winner",
        ),
        104: (
            {1: "4.50", 2: "7.00", 3: "2.67"},
            "19.83",
            "20.50",
            "2.08",
            "4.00",
            3,
            "prize_winner",
        ),
        102: (
            {1: "3.00", 2: "6.33", 3: "1.50"},
            "16.42",
            "15.50",
            "1.15",
            "2.00",
            4,
            "participant",
        ),
    }
    for entry_id, (means, total, median, sd, spread, place, title) in expected.items():
        entry = entries[entry_id]
        assert entry.means == {criterion: D(mean) for criterion, mean in means.items()}
        assert (entry.total, entry.median, entry.sd, entry.spread) == (
            D(total),
            D(median),
            D(sd),
            D(spread),
        )
        assert (entry.place, entry.title) == (place, title)
        assert (entry.jurors, entry.assigned, entry.incomplete) == (3, 3, False)
    assert [entries[e].tie_note for e in (101, 103, 104, 102)] == ["", "priority", "priority", ""]
    assert not result.normalisation_needed


def test_hand_worked_nomination_flags_nobody_when_jurors_are_close():
    # Three jurors: only the share rule applies (0.3 * 26.5 = 7.95); the furthest total from its
    # entry's median is 3 (104: juror 12's 17.5 against the median 20.5).
    result = nomination_results(HAND_CRITERIA, dict.fromkeys([101, 102, 103, 104], 3), HAND_SHEETS)

    assert all(entry.outliers == [] for entry in result.entries)


# Means, totals and spread


def test_missing_score_is_left_out_of_the_mean_not_counted_as_zero():
    criteria = [Criterion(1, D(10)), Criterion(2, D(10))]
    sheets = [sheet(1, 1, c1="8", c2="6"), sheet(2, 1, c1="6")]

    entry = nomination_results(criteria, {1: 2, 2: 0}, sheets).entries[0]

    assert entry.means == {1: D("7.00"), 2: D("6.00")}
    assert entry.total == D("13.00")
    assert entry.jurors == 2


def test_entry_nobody_scored_has_no_figures_no_place_and_comes_last():
    result = nomination_results([Criterion(1, D(10))], {1: 1, 2: 1, 3: 2}, [sheet(1, 1, c1="5")])

    last = result.entries[-1]
    assert [entry.entry_id for entry in result.entries] == [1, 2, 3]
    assert (last.total, last.median, last.sd, last.spread, last.place) == (None,) * 5
    assert last.means == {1: None}
    assert (last.title, last.jurors, last.incomplete) == ("participant", 0, True)


def test_entry_with_fewer_sheets_than_jurors_assigned_is_incomplete():
    sheets = [sheet(1, 1, c1="5"), sheet(2, 1, c1="6"), sheet(1, 2, c1="7")]

    entries = by_entry(nomination_results([Criterion(1, D(10))], {1: 2, 2: 2}, sheets))

    assert (entries[1].incomplete, entries[2].incomplete) == (False, True)
    assert (entries[2].jurors, entries[2].assigned) == (1, 2)
    assert entries[2].sd is None
    assert entries[2].spread == D("0.00")


def test_median_of_an_even_number_of_jurors_is_the_mean_of_the_middle_two():
    result = single_criterion((1, 1, "2"), (2, 1, "5"), (3, 1, "6"), (4, 1, "10"), (1, 2, "1"))

    assert by_entry(result)[1].median == D("5.50")


def test_rounding_is_half_up_and_applied_once_to_the_total():
    # Means 2.125 and 1.125 would round to 2.13 and 1.13 (sum 3.26); the total rounds their exact
    # sum 3.25 instead.
    criteria = [Criterion(1, D(5)), Criterion(2, D(5))]
    sheets = [
        sheet(juror, 1, c1=a, c2=b)
        for juror, (a, b) in enumerate([("2", "1"), ("2", "1"), ("2", "1"), ("2.5", "1.5")])
    ]

    entry = nomination_results(criteria, {1: 4, 2: 0}, sheets).entries[0]

    assert entry.means == {1: D("2.13"), 2: D("1.13")}
    assert entry.total == D("3.25")


def test_sheets_that_cannot_belong_to_the_nomination_are_refused():
    criteria = [Criterion(1, D(10))]
    with pytest.raises(ValueError, match="outside"):
        nomination_results(criteria, {1: 1}, [sheet(1, 2, c1="5")])
    with pytest.raises(ValueError, match="two sheets"):
        nomination_results(criteria, {1: 1}, [sheet(1, 1, c1="5"), sheet(1, 1, c1="6")])
    with pytest.raises(ValueError, match="unknown criterion"):
        nomination_results(criteria, {1: 1}, [sheet(1, 1, c2="5")])


# Disagreement


def test_juror_far_from_the_others_is_flagged_but_still_counted():
    # Median of 9, 9, 9, 1 is 9: juror 4 is 8 away > 0.3 * 10 and > 1.5 * SD 4 = 6; the others
    # are 0 away.
    result = single_criterion((1, 1, "9"), (2, 1, "9"), (3, 1, "9"), (4, 1, "1"), (1, 2, "5"))

    entry = by_entry(result)[1]
    assert entry.outliers == [4]
    assert entry.total == D("7.00")
    assert (entry.median, entry.spread) == (D("9.00"), D("8.00"))


def test_two_jurors_far_apart_are_both_flagged_by_the_share_rule():
    result = single_criterion((1, 1, "9"), (2, 1, "2"), (1, 2, "5"), (2, 2, "6"))

    entries = by_entry(result)
    assert (entries[1].outliers, entries[2].outliers) == ([1, 2], [])


def test_juror_beyond_the_sd_of_the_others_is_flagged_even_within_the_share():
    # Median of 5, 5.5, 6, 8 is 5.75; juror 4 is 2.25 away > 1.5 * SD 1.315 = 1.97, though
    # below 0.3 * 10.
    rows = [(1, 1, "5"), (2, 1, "5.5"), (3, 1, "6"), (4, 1, "8"), (1, 2, "1")]

    assert by_entry(single_criterion(*rows))[1].outliers == [4]
    lenient = Rules(outlier_sd=D(6))
    assert by_entry(single_criterion(*rows, rules=lenient))[1].outliers == []


# Places, ties and titles


def test_tie_shares_place_then_priority_criterion_breaks_it():
    plain = [Criterion(1, D(10)), Criterion(2, D(10))]
    sheets = [sheet(1, 1, c1="9", c2="5"), sheet(1, 2, c1="5", c2="9"), sheet(1, 3, c1="4", c2="4")]

    shared = by_entry(nomination_results(plain, dict.fromkeys([1, 2, 3], 1), sheets))
    assert [(shared[e].place, shared[e].tie_note) for e in (1, 2, 3)] == [
        (1, "shared"),
        (1, "shared"),
        (3, ""),
    ]
    assert [shared[e].title for e in (1, 2, 3)] == ["winner", "winner", "prize_winner"]

    broken = [Criterion(1, D(10)), Criterion(2, D(10), tie_priority=1)]
    result = nomination_results(broken, dict.fromkeys([1, 2, 3], 1), sheets)
    assert [(e.entry_id, e.place, e.tie_note) for e in result.entries] == [
        (2, 1, "priority"),
        (1, 2, "priority"),
        (3, 3, ""),
    ]


def test_second_priority_criterion_decides_when_the_first_is_equal_too():
    criteria = [
        Criterion(1, D(10), tie_priority=2),
        Criterion(2, D(10), tie_priority=1),
        Criterion(3, D(10)),
    ]
    sheets = [sheet(1, 1, c1="3", c2="5", c3="7"), sheet(1, 2, c1="4", c2="5", c3="6")]

    result = nomination_results(criteria, {1: 1, 2: 1}, sheets)

    assert [(e.entry_id, e.place) for e in result.entries] == [(2, 1), (1, 2)]


def test_tied_winners_leave_second_place_empty():
    rows = [(1, 1, "8"), (1, 2, "8"), (1, 3, "7"), (1, 4, "6"), (1, 5, "5")]

    result = single_criterion(*rows)

    assert [(e.place, e.title) for e in result.entries] == [
        (1, "winner"),
        (1, "winner"),
        (3, "prize_winner"),
        (4, "participant"),
        (5, "participant"),
    ]


def test_laureates_by_count_include_entries_tied_with_the_last_one():
    rows = [(1, entry, score) for entry, score in enumerate(["9", "8", "7", "6", "5", "5", "4"], 1)]

    result = single_criterion(*rows, rules=Rules(laureates=2))

    assert [e.title for e in result.entries] == [
        "winner",
        "prize_winner",
        "prize_winner",
        "laureate",
        "laureate",
        "laureate",
        "participant",
    ]


def test_laureates_by_share_of_the_maximum_total():
    rows = [(1, entry, score) for entry, score in enumerate(["10", "9", "9", "8", "7.9"], 1)]

    result = single_criterion(*rows, rules=Rules(laureates=5, laureate_share=D("0.8")))

    assert [e.title for e in result.entries] == [
        "winner",
        "prize_winner",
        "prize_winner",
        "laureate",
        "participant",
    ]


def test_nomination_with_fewer_entries_than_the_minimum_is_not_held():
    result = single_criterion((1, 1, "9"), (2, 1, "7"))

    assert not result.held
    entry = result.entries[0]
    assert (entry.place, entry.title, entry.total) == (None, "participant", D("8.00"))


# Normalisation


def test_normalisation_evens_out_a_harsh_and_a_lenient_juror():
    # Juror 1 scored entries 1, 2 (4, 6); juror 2 scored 2, 3 (8, 10). All totals: mean 7,
    # sample SD sqrt(20/3). Each juror's z-scores are -/+ sqrt(1/2), so the normalised totals are
    # 7 -/+ sqrt(10/3) = 5.174 / 8.826, and entry 2 gets their mean, 7.
    result = single_criterion((1, 1, "4"), (1, 2, "6"), (2, 2, "8"), (2, 3, "10"))

    assert result.normalisation_needed
    assert [by_entry(result)[e].normalised for e in (1, 2, 3)] == [D("5.17"), D("7.00"), D("8.83")]


def test_normalisation_not_needed_when_every_juror_scored_every_entry():
    result = single_criterion((1, 1, "4"), (1, 2, "6"), (2, 1, "8"), (2, 2, "10"))

    assert not result.normalisation_needed
    assert all(entry.normalised is not None for entry in result.entries)


def test_juror_with_a_single_entry_is_normalised_to_the_overall_mean():
    result = single_criterion((1, 1, "4"), (1, 2, "6"), (2, 3, "10"))

    assert by_entry(result)[3].normalised == D("6.67")


# Agreement


def ranks_as_totals(*rankings: list[int]) -> dict[int, dict[int, Decimal]]:
    """Rankings (rank 1 best) of entries 1..n by jurors 1..m, as totals where higher is better."""
    return {
        juror: {entry: D(-rank) for entry, rank in enumerate(ranking, 1)}
        for juror, ranking in enumerate(rankings, 1)
    }


def test_kendalls_w_is_one_for_identical_rankings():
    agreement = kendalls_w(ranks_as_totals([1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]))

    assert (agreement.w, agreement.jurors, agreement.entries) == (D("1.00"), 3, 4)
    assert agreement.level == "excellent"


def test_kendalls_w_is_zero_for_two_reversed_rankings():
    agreement = kendalls_w(ranks_as_totals([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]))

    assert (agreement.w, agreement.level) == (D("0.00"), "poor")


def test_kendalls_w_matches_a_textbook_value_without_ties():
    # Four raters rank strawberries from eight farms (influentialpoints.com, "Coefficient of
    # concordance"): rank sums 31 12 12 15 22 5 22 25, S = 500, W = 12 * 500 / (16 * 504) = 0.744.
    agreement = kendalls_w(
        ranks_as_totals(
            [8, 4, 2, 3, 5, 1, 6, 7],
            [7, 3, 1, 4, 5, 2, 6, 8],
            [8, 2, 5, 6, 7, 1, 4, 3],
            [8, 3, 4, 2, 5, 1, 6, 7],
        )
    )

    assert (agreement.w, agreement.level) == (D("0.74"), "moderate")


def test_kendalls_w_matches_a_textbook_value_with_ties():
    # Sheskin's formula with the tie correction, worked for x = 12 2 1 12 2 and y = 1 4 7 1 0:
    # ranks 4.5 2.5 1 4.5 2.5 and 2.5 4 5 2.5 1 (the direction does not change W), rank sums
    # 7 6.5 6 7 3.5, S = 188.5 - 30^2/5 = 8.5, ties 6 + 6 + 6 = 18;
    # W = 12 * 8.5 / (2^2 * (125 - 5) - 2 * 18) = 102 / 444 = 0.2297.
    totals = {
        1: dict(enumerate(map(D, [12, 2, 1, 12, 2]), 1)),
        2: dict(enumerate(map(D, [1, 4, 7, 1, 0]), 1)),
    }

    assert kendalls_w(totals).w == D("0.23")


def test_kendalls_w_uses_only_entries_every_juror_scored():
    totals = ranks_as_totals([1, 2, 3], [1, 2, 3])
    totals[1][4] = D(100)

    agreement = kendalls_w(totals)

    assert (agreement.w, agreement.entries) == (D("1.00"), 3)


def test_kendalls_w_needs_two_jurors_two_common_entries_and_some_order():
    assert kendalls_w({}) is None
    assert kendalls_w(ranks_as_totals([1, 2, 3])) is None
    assert kendalls_w({1: {1: D(5), 2: D(6)}, 2: {2: D(4), 3: D(7)}}) is None
    assert kendalls_w({1: {1: D(5), 2: D(5)}, 2: {1: D(3), 2: D(3)}}) is None


def test_nomination_reports_agreement_of_its_jurors():
    result = single_criterion((1, 1, "9"), (1, 2, "5"), (2, 1, "8"), (2, 2, "4"))

    assert result.agreement.w == D("1.00")


# Properties

WEIGHTS = [D("0.5"), D(1), D("1.5"), D(2)]


@st.composite
def nominations(draw):
    """Criteria with small scales (so that ties are common), entries and sheets with gaps."""
    criteria = []
    priorities = draw(st.permutations(range(1, 5)))
    for criterion_id in range(1, draw(st.integers(1, 4)) + 1):
        step = draw(st.sampled_from([D("0.5"), D(1)]))
        steps = draw(st.integers(1, 6))
        priority = priorities[criterion_id - 1] if draw(st.booleans()) else None
        criteria.append(
            Criterion(
                criterion_id,
                step * steps,
                weight=draw(st.sampled_from(WEIGHTS)),
                tie_priority=priority,
            )
        )
    entries = draw(st.integers(1, 6))
    jurors = draw(st.integers(1, 4))
    sheets = []
    for entry_id in range(1, entries + 1):
        for juror_id in range(1, jurors + 1):
            if draw(st.integers(0, 4)) == 0:
                continue  # this juror did not score this entry
            scores = {}
            for criterion in criteria:
                if draw(st.integers(0, 5)):
                    step = D("0.5")
                    scores[criterion.id] = step * draw(
                        st.integers(0, int(criterion.max_score / step))
                    )
            sheets.append(Sheet(juror_id, entry_id, scores))
    assigned = {entry_id: jurors for entry_id in range(1, entries + 1)}
    return criteria, assigned, sheets


def entry_key(entry, criteria) -> tuple:
    """What ranking compares, larger is better: the total, then the priority means (None lowest)."""
    priority = sorted(
        (c for c in criteria if c.tie_priority is not None), key=lambda c: (c.tie_priority, c.id)
    )
    means = [entry.means[c.id] for c in priority]
    return (entry.total, *((mean is not None, mean or D(0)) for mean in means))


@SMALL
@given(nominations(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_sheets_or_criteria(nomination, rng):
    criteria, assigned, sheets = nomination
    shuffled_sheets = [
        Sheet(s.juror_id, s.entry_id, dict(rng.sample(list(s.scores.items()), len(s.scores))))
        for s in rng.sample(sheets, len(sheets))
    ]
    shuffled_assigned = dict(rng.sample(list(assigned.items()), len(assigned)))
    shuffled_criteria = rng.sample(criteria, len(criteria))

    again = nomination_results(shuffled_criteria, shuffled_assigned, shuffled_sheets)

    assert repr(again) == repr(nomination_results(criteria, assigned, sheets))


def half_up(value: Fraction) -> Decimal:
    """An exact total to hundredths, halves away from zero, as a protocol is counted by hand."""
    whole = math.floor(abs(value) * 100 + Fraction(1, 2))
    return Decimal(whole if value >= 0 else -whole) / 100


def test_a_total_of_exactly_a_half_hundredth_is_rounded_up():
    """Means 4/3, 1/4 and 1/6 weighted by 0.5 make exactly 0.875: the protocol says 0,88."""
    criteria = [Criterion(i, Decimal("2.5"), weight=Decimal("0.5")) for i in (1, 2, 3)]
    sheets = [
        Sheet(1, 1, {1: Decimal("2.5"), 2: Decimal("0.5"), 3: Decimal("0.5")}),
        Sheet(2, 1, {1: Decimal("0"), 2: Decimal("0"), 3: Decimal("0")}),
        Sheet(3, 1, {1: Decimal("1.5"), 2: Decimal("0.25"), 3: Decimal("0")}),
    ]
    total = nomination_results(criteria, {1: 3}, sheets).entries[0].total
    assert total == Decimal("0.88")


@SMALL
@given(nominations(), st.data())
def test_missing_score_is_never_counted_as_zero(nomination, data):
    """Removing one score: the total is the weighted sum of the remaining jurors' means, and at
    least the total where that score is the criterion's minimum instead."""
    criteria, assigned, sheets = nomination
    scored = [(i, c) for i, s in enumerate(sheets) for c in sorted(s.scores)]
    assume(scored)
    index, criterion_id = data.draw(st.sampled_from(scored))
    target = sheets[index]
    minimum = next(c.min_score for c in criteria if c.id == criterion_id)

    def with_score(scores):
        changed = sheets[:index] + [replace(target, scores=scores)] + sheets[index + 1 :]
        return by_entry(nomination_results(criteria, assigned, changed))[target.entry_id]

    removed = with_score({c: v for c, v in target.scores.items() if c != criterion_id})
    lowest = with_score({**target.scores, criterion_id: minimum})

    remaining = [
        s.scores for i, s in enumerate(sheets) if s.entry_id == target.entry_id and i != index
    ]
    remaining.append({c: v for c, v in target.scores.items() if c != criterion_id})
    weighted = []
    for criterion in criteria:
        values = [scores[criterion.id] for scores in remaining if criterion.id in scores]
        if values:
            weighted.append(Fraction(criterion.weight) * Fraction(sum(values)) / len(values))
    expected = half_up(sum(weighted)) if weighted else None
    assert removed.total == expected
    assert removed.jurors == lowest.jurors
    assert lowest.total is not None
    still_scored = any(criterion_id in scores for scores in remaining)
    if still_scored or minimum == 0:  # a criterion nobody scored adds nothing, not its minimum
        assert removed.total is None or removed.total >= lowest.total


@SMALL
@given(nominations())
def test_places_are_competition_ranks_with_ties_shared_and_broken_by_priority(nomination):
    criteria, assigned, sheets = nomination
    result = nomination_results(criteria, assigned, sheets)
    assume(result.held)
    ranked = [entry for entry in result.entries if entry.total is not None]
    unscored = result.entries[len(ranked) :]

    assert all(entry.total is None and entry.place is None for entry in unscored)
    assert [e.entry_id for e in unscored] == sorted(e.entry_id for e in unscored)
    assert [e.place for e in ranked] == sorted(e.place for e in ranked)
    for entry in ranked:
        key = entry_key(entry, criteria)
        ahead = [other for other in ranked if entry_key(other, criteria) > key]
        same_key = [o for o in ranked if o is not entry and entry_key(o, criteria) == key]
        same_total = [o for o in ranked if o is not entry and o.total == entry.total]
        assert entry.place == 1 + len(ahead)
        assert all(other.place == entry.place for other in same_key)
        if same_key:
            assert entry.tie_note == "shared"
        elif same_total:
            assert entry.tie_note == "priority"
            assert all(other.place != entry.place for other in same_total)
        else:
            assert entry.tie_note == ""


@SMALL
@given(nominations())
def test_titles_follow_places(nomination):
    criteria, assigned, sheets = nomination
    result = nomination_results(criteria, assigned, sheets, Rules(laureates=1))

    for entry in result.entries:
        if not result.held or entry.place is None:
            assert entry.title == "participant"
        elif entry.place == 1:
            assert entry.title == "winner"
        elif entry.place <= 3:
            assert entry.title == "prize_winner"
        else:
            assert entry.title in ("laureate", "participant")
    laureate_places = {e.place for e in result.entries if e.title == "laureate"}
    assert len(laureate_places) <= 1


@SMALL
@given(nominations(), st.integers(0, 8))
def test_nomination_with_fewer_entries_than_the_minimum_has_no_places(nomination, minimum):
    criteria, assigned, sheets = nomination

    result = nomination_results(criteria, assigned, sheets, Rules(min_entries=minimum))

    assert result.held == (len(assigned) >= minimum)
    if not result.held:
        assert all(e.place is None and e.title == "participant" for e in result.entries)
        assert all(e.tie_note == "" for e in result.entries)


@SMALL
@given(nominations())
def test_figures_stay_within_the_scales(nomination):
    criteria, assigned, sheets = nomination
    result = nomination_results(criteria, assigned, sheets)
    scales = {c.id: (c.min_score, c.max_score) for c in criteria}

    assert result.max_total == sum(c.weight * c.max_score for c in criteria)
    for entry in result.entries:
        for figure in (entry.total, entry.median, entry.normalised):
            assert figure is None or D(0) <= figure <= result.max_total
        for criterion_id, mean in entry.means.items():
            low, high = scales[criterion_id]
            assert mean is None or low <= mean <= high
        assert entry.spread is None or D(0) <= entry.spread <= result.max_total
        assert entry.jurors == sum(1 for s in sheets if s.entry_id == entry.entry_id)
        assert set(entry.outliers) <= {s.juror_id for s in sheets if s.entry_id == entry.entry_id}
    if result.agreement is not None:
        assert D(0) <= result.agreement.w <= D(1)


@SMALL
@given(
    st.lists(st.integers(0, 5), min_size=2, max_size=7),
    st.integers(2, 5),
    st.randoms(use_true_random=False),
)
def test_kendalls_w_is_one_whenever_all_jurors_agree(totals, jurors, rng):
    assume(len(set(totals)) > 1)
    agreed = {juror: {e: D(t) for e, t in enumerate(totals)} for juror in range(jurors)}
    scrambled = dict(rng.sample(list(agreed.items()), jurors))

    assert kendalls_w(agreed).w == D("1.00")
    assert kendalls_w(scrambled) == kendalls_w(agreed)
