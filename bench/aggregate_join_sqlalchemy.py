"""aggregate_join, SQLAlchemy: select(Group.name, func.count(), func.sum(SmallRow.value)) joined,
filtered and grouped as reflorm's statement (the same SQL up to SQLAlchemy's column labels), executed REFLORM_BENCH_REPS times
through a Session, its ~1,000 rows read as tuples."""
import sys

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

import bench_common as b


def main():
    engine = b.engine_for(b.db_path())
    reps = b.env_count("REFLORM_BENCH_REPS", 1000)
    statement = (select(b.Group.name, func.count(), func.sum(b.SmallRow.value))
                 .join(b.SmallRow, b.SmallRow.a == b.Group.id)
                 .where(b.SmallRow.value > bindparam("threshold"))
                 .group_by(b.Group.name))
    check = 0

    def body(_run):
        nonlocal check
        check = 0
        with Session(engine, future=True) as session:
            for _ in range(reps):
                for name, count, total in session.execute(statement, {"threshold": b.AGGREGATE_THRESHOLD}).all():
                    check += len(name) + count + int(total or 0)

    return b.report("aggregate_join", b.median_seconds(body), check)


if __name__ == "__main__":
    sys.exit(main())
