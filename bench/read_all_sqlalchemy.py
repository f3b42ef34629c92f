"""read_all, SQLAlchemy ORM: session.scalars(select(Row)).all() reads every row into Row objects."""
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

import bench_common as b


def main():
    engine = b.engine_for(b.db_path())
    check = 0

    def body(_run):
        nonlocal check
        with Session(engine, future=True) as session:
            rows = session.scalars(select(b.Row)).all()
            check = sum(b.checksum(row) for row in rows)

    return b.report("read_all", b.median_seconds(body), check)


if __name__ == "__main__":
    sys.exit(main())
