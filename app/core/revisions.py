"""Moving a record's ``revision`` on only from the revision a request read."""

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db


def claim(record, revision: int) -> bool:
    """Moves the stored revision of ``record`` (a model with ``id`` and ``revision``) from
    ``revision`` to the next, only if it is still ``revision``: of two requests at once (two
    workers, a retry racing the first try) one goes on and the other waits for its commit.
    False, with ``record`` reloaded, when another request got there first."""
    model = type(record)
    claimed = db.session.execute(
        sa.update(model)
        .where(model.id == record.id, model.revision == revision)
        .values(revision=revision + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.refresh(record)
        return False
    set_committed_value(record, "revision", revision + 1)
    return True
