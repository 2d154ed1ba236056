"""Дипломы for the winners, prize-winners and laureates of the finalized nominations, and
благодарственные письма for the contest's jury: one page each, written by app.certificates in
the frame, with the emblem and the signature of the district office that holds the contest.

A diploma names the entry's authors (the application form's question marked «authors») with
their school below; an entry that names nobody awards its school. Diplomas are signed by the
chair of the jury, by hand, unless the district's settings say its head signs them."""

from app.certificates import services as certificates
from app.certificates.documents import DIPLOMA, Page, Signatory
from app.certificates.pages import AWARDED, signature_name, thank_you_letter
from app.contests.authors import entry_authors
from app.contests.documents import ROMAN, TITLE_WORDS, Award
from app.contests.models import Contest
from app.core.text import quoted
from app.core.timefmt import local_today

CHAIR = "Председатель жюри"


def degree(award: Award) -> str:
    """«I степени» for the winner, «II/III степени» for the prize-winners, «лауреата»."""
    if award.result.title == "laureate":
        return "лауреата"
    return f"{ROMAN[award.result.place]} степени"


def standing_words(award: Award) -> str:
    """«Победитель (I место)», «Призёр (III место)», «Лауреат»."""
    title = TITLE_WORDS[award.result.title]
    if award.result.title == "laureate":
        return title
    return f"{title} ({ROMAN[award.result.place]} место)"


def diploma_page(contest: Contest, award: Award, signatory: Signatory | None) -> Page:
    authors = entry_authors(award.entry)
    school = award.entry.organization.name
    return Page(
        DIPLOMA,
        authors or [school],
        school if authors else "",
        [
            f"за работу {quoted(award.entry.title)}",
            standing_words(award),
            f"в номинации {quoted(award.nomination.title)}",
            f"конкурса {quoted(contest.title)}",
        ],
        subheading=degree(award),
        lead="награждаются" if len(authors) > 1 else AWARDED,
        when=award.nomination.finalized_at,
        signatory=signatory,
    )


def diploma_signatory(contest: Contest) -> Signatory | None:
    """The chair of the jury, or nobody named here: the district's head signs."""
    if certificates.diplomas_signed_by_head(contest.organization):
        return None
    return Signatory(CHAIR, signature_name(contest.chair.user.full_name) if contest.chair else "")


def write_certificates(contest: Contest, awards: list[Award], target) -> None:
    """Writes one diploma per award to ``target`` (a path or a binary file object)."""
    signatory = diploma_signatory(contest)
    pages = [diploma_page(contest, award, signatory) for award in awards]
    certificates.write_document(contest.organization, pages, target)


def juror_letters(contest: Contest) -> list[Page]:
    """A thank-you letter to each member of the jury, the chair first, then by name."""
    when = local_today()
    jurors = sorted(contest.jurors, key=lambda j: (not j.is_chair, j.user.full_name, j.id))
    reason = ["за работу в составе жюри", f"конкурса {quoted(contest.title)}"]
    return [
        thank_you_letter(juror.user.full_name, juror.user.organization.name, reason, when)
        for juror in jurors
    ]


def write_juror_letters(contest: Contest, target) -> None:
    certificates.write_document(contest.organization, juror_letters(contest), target)
