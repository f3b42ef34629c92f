"""update_session, SQLAlchemy ORM: in one Session, session.scalars(select(Row).where(Row.id <= N)).all()
loads the first N rows (REFLORM_BENCH_UPDATES, default 100,000), change_row modifies one or two
attributes of each, session.commit() flushes the UPDATEs (grouped into executemany by SQLAlchemy's
unit of work). Timed from the Session's creation to its close. Each run works on a fresh copy of
the data file (untimed), so runs are alike."""
import os
import sys
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

import bench_common as b


def main():
    source = b.db_path()
    n = b.env_count("REFLORM_BENCH_UPDATES", 100000)
    target = source + ".update_sqlalchemy.db"
    runs = []
    check = 0
    for run in range(5):
        b.copy_file(source, target)
        engine = b.engine_for(target)
        start = time.perf_counter()
        with Session(engine, future=True) as session:
            rows = session.scalars(select(b.Row).where(b.Row.id <= n)).all()
            for row in rows:
                b.change_row(row)
            session.commit()
        del rows  # freed inside the timer, as the C++ contenders free theirs
        runs.append(time.perf_counter() - start)
        with engine.connect() as conn:
            total = conn.exec_driver_sql(b.TABLE_CHECKSUM_SQL).scalar_one()
        engine.dispose()
        if run > 0 and total != check:
            print("update_session: run %d left a different table" % (run + 1), file=sys.stderr)
            return 1
        check = total
    os.remove(target)
    runs.sort()
    return b.report("update_session", runs[2], check)


if __name__ == "__main__":
    sys.exit(main())
