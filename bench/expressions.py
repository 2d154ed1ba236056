"""Speed of the expression evaluators, each set against a yardstick measured in the same run.

    python -m bench.expressions [--repeat 5]

Python: ``evaluate`` on a strict-bound constraint against ``conditions.holds`` on the
equivalent structured condition (what the engine evaluated before expressions), a calculate
against plain Python arithmetic, and a whole autosave's worth of expressions (150). Parsing is
timed too: it runs once per import or builder save, never per autosave. With Chromium (as the
browser tests use it), the same trees are timed in the browser's evaluator. Prints a table;
nothing is asserted: this is a measurement, not a test.
"""

import argparse
import timeit
from pathlib import Path

from playwright.sync_api import sync_playwright

from app import create_app
from app.questionnaires.conditions import holds
from app.questionnaires.expressions import evaluate, parse

CHROMIUM = Path("/usr/bin/chromium")
SCRIPT = Path(__file__).resolve().parent.parent / "app" / "static" / "js" / "expressions.js"
BOUND = ". > 0 and . < 2000"
BOUND_CONDITION = {
    "all": [
        {"key": "value", "op": "gt", "value": 0},
        {"key": "value", "op": "lt", "value": 2000},
    ]
}
CALCULATION = "round(${fund} div ${pupils}, 1)"
ANSWERS = {
    "value": "0.5",
    "fund": 5400,
    "pupils": 120,
    "langs": ["ru", "sah"],
    "born": "2024-02-29",
}
# What a form of 150 questions evaluates on one autosave: constraints, relevants, calculates.
FORM = [
    BOUND,
    CALCULATION,
    "selected(${langs}, 'sah') and ${fund} > 1000",
    "if(${pupils} = '', 0, ${fund} div ${pupils})",
    "format-date(${born}, '%e %b %Y')",
    "string-length(concat(${fund}, ' книг')) <= 20",
] * 25


def per_call(function, repeat: int, number: int) -> float:
    """Seconds per call, the best of ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(function, repeat=repeat, number=number)) / number


def python_rows(repeat: int) -> list[tuple[str, float, str, float]]:
    env = {"answers": ANSWERS, "current": "value", "today": "2026-11-30"}
    bound, calculation = parse(BOUND), parse(CALCULATION)
    form = [parse(text) for text in FORM]
    return [
        (
            "constraint . > 0 and . < 2000",
            per_call(lambda: evaluate(bound, env), repeat, 20000),
            "conditions.holds, same bounds",
            per_call(lambda: holds(BOUND_CONDITION, ANSWERS), repeat, 20000),
        ),
        (
            "calculate round(fund div pupils, 1)",
            per_call(lambda: evaluate(calculation, env), repeat, 20000),
            "Python: round(5400 / 120, 1)",
            per_call(lambda: round(ANSWERS["fund"] / ANSWERS["pupils"], 1), repeat, 20000),
        ),
        (
            "autosave: 150 expressions",
            per_call(lambda: [evaluate(tree, env) for tree in form], repeat, 50),
            "150 × conditions.holds",
            per_call(lambda: [holds(BOUND_CONDITION, ANSWERS) for _ in form], repeat, 50),
        ),
        (
            "parse . > 0 and . < 2000",
            per_call(lambda: parse(BOUND), repeat, 5000),
            "evaluate the same tree",
            per_call(lambda: evaluate(bound, env), repeat, 5000),
        ),
    ]


BROWSER_TIMING = """([trees, env, rounds]) => {
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const tree of trees) FormExpressions.evaluate(tree, env);
  }
  return (performance.now() - started) / 1000 / rounds;
}"""


def browser_row(repeat: int) -> tuple[str, float, str, float] | None:
    if not CHROMIUM.exists():
        return None
    env = {"answers": ANSWERS, "current": "value", "today": "2026-11-30"}
    form = [parse(text) for text in FORM]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        page = browser.new_page()
        page.add_script_tag(path=str(SCRIPT))
        seconds = min(page.evaluate(BROWSER_TIMING, [form, env, 200]) for _ in range(repeat))
        browser.close()
    python = per_call(lambda: [evaluate(tree, env) for tree in form], repeat, 50)
    return ("browser: autosave, 150 expressions", seconds, "the same in Python", python)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with create_app({"TESTING": True}).app_context():
        rows = python_rows(repeat)
    if (row := browser_row(repeat)) is not None:
        rows.append(row)
    print(f"{'measured':40} {'µs':>10}   {'yardstick':34} {'µs':>10} {'ratio':>7}")
    for name, seconds, baseline, baseline_seconds in rows:
        print(
            f"{name:40} {seconds * 1e6:10.2f}   {baseline:34} {baseline_seconds * 1e6:10.2f}"
            f" {seconds / baseline_seconds:7.2f}"
        )


if __name__ == "__main__":
    main()
