"""get_by_pk, SQLAlchemy ORM: one select(Row).where(Row.id == bindparam) (compiled once, then
taken from SQLAlchemy's statement cache) executed per lookup of REFLORM_BENCH_LOOKUPS random ids.
session.get would answer repeated ids from the identity map without SQL; the session is
cleared after each lookup so every lookup reads its row, as the other contenders do."""
import sys

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

import bench_common as b


def main():
    engine = b.engine_for(b.db_path())
    with Session(engine, future=True) as session:
        n = session.execute(select(func.count()).select_from(b.Row)).scalar_one()
    ids = b.lookup_ids(b.env_count("REFLORM_BENCH_LOOKUPS", 100000), n)
    statement = select(b.Row).where(b.Row.id == bindparam("id"))
    check = 0

    def body(_run):
        nonlocal check
        check = 0
        with Session(engine, future=True) as session:
            for key in ids:
                check += b.checksum(session.execute(statement, {"id": key}).scalar_one())
                session.expunge_all()

    return b.report("get_by_pk", b.median_seconds(body), check)


if __name__ == "__main__":
    sys.exit(main())
