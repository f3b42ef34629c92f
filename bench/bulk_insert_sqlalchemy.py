"""bulk_insert, SQLAlchemy ORM: session.add_all(N new Row objects); session.commit(), into an
empty table (metadata.create_all, untimed) of a new file, or of a server's scratch database. The objects are built before the
timer starts, as the C++ contenders build their vectors."""
import sys
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import bench_common as b


def main():
    source = b.db_path()
    with Session(b.engine_for(source), future=True) as session:
        n = session.execute(select(func.count()).select_from(b.Row)).scalar_one()
    n = b.env_count("REFLORM_BENCH_N", n)
    data = [b.make_row(i, 1) for i in range(1, n + 1)]
    runs = []
    check = 0
    for _run in range(5):
        engine = b.fresh_bulk_engine(source, "sqlalchemy")
        objects = [b.Row(**values) for values in data]
        start = time.perf_counter()
        with Session(engine, future=True) as session:
            session.add_all(objects)
            session.commit()
        runs.append(time.perf_counter() - start)
        del objects
        with Session(engine, future=True) as session:
            check = session.execute(select(func.count()).select_from(b.Row)).scalar_one()
        engine.dispose()
    b.remove_bulk_target(source, "sqlalchemy")
    runs.sort()
    return b.report("bulk_insert", runs[2], check)


if __name__ == "__main__":
    sys.exit(main())
