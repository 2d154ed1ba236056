"""What the protocol says about how final a nomination's results are: the reason for finalizing
with entries fewer jurors scored than were assigned, and the revision of published results."""

from app.contests.standings import Standing
from app.core.timefmt import date_filter


def finality_notes(current: Standing) -> list[str]:
    """«Итоги пересмотрены 30.11.2026: …» and «Работа № 5 оценена 3 экспертами из 4: …»."""
    nomination = current.nomination
    notes = []
    if nomination.revised_at is not None:
        notes.append(
            f"Итоги пересмотрены {date_filter(nomination.revised_at)} "
            f"после публикации: {nomination.revision_reason}"
        )
    if nomination.is_finalized and nomination.incomplete_reason:
        for result in current.result.entries:
            if result.incomplete:
                number = current.entries[result.entry_id].number
                notes.append(
                    f"Работа № {number} оценена {result.jurors} {_jurors(result.jurors)} "
                    f"из {result.assigned}: {nomination.incomplete_reason}"
                )
    return notes


def _jurors(count: int) -> str:
    """The instrumental case: 1 экспертом, 21 экспертом, 3 экспертами, 11 экспертами."""
    return "экспертом" if count % 10 == 1 and count % 100 != 11 else "экспертами"
