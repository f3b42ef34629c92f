"""stream_10m, SQLAlchemy (Debian's python3-sqlalchemy 1.4 with psycopg2 / PyMySQL): every row of
stream_rows (bench/stream_10m_generate) read as it streams, the contender of bench/stream_10m_*.cpp.

  /usr/bin/python3 bench/stream_10m_sqlalchemy.py URL [core|orm]

  core  conn.execution_options(stream_results=True, yield_per=10000).execute(select(table)):
        psycopg2 reads through a server-side (named) cursor, PyMySQL through an unbuffered
        SSCursor, 10,000 rows per fetch (contender sqlalchemy_core)
  orm   session.scalars(select(StreamRow).execution_options(yield_per=10000)): the same, into
        mapped objects, yield_per implying stream_results (contender sqlalchemy_orm)

Prints the line of bench/bench_stream.hpp: `stream_10m <contender> seconds peak_rss_kb
baseline_rss_kb rows`, and the checksum on stderr."""
import sys
import time

from sqlalchemy import MetaData, Table, create_engine, select
from sqlalchemy.orm import Session, registry

from server_sqlalchemy import sqlalchemy_url


class StreamRow:
    """Mapped onto stream_rows as the database has it (reflected: id, a, text, value, note)."""


def status_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def checksum(row):
    """bench::stream::checksum."""
    return row.id * 3 + row.a + len(row.text) + int(row.value) + (len(row.note) if row.note is not None else 7)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: %s URL [core|orm]" % sys.argv[0])
    url = sys.argv[1]
    mode = sys.argv[2] if len(sys.argv) > 2 else "core"
    engine = create_engine(sqlalchemy_url(url) if not url.startswith("sqlite") else url, future=True)
    table = Table("stream_rows", MetaData(), autoload_with=engine)  # untimed
    registry().map_imperatively(StreamRow, table)
    rows = check = 0
    with engine.connect() as conn:
        baseline = status_kib("VmRSS")
        start = time.perf_counter()
        if mode == "orm":
            with Session(bind=conn, future=True) as session:
                statement = select(StreamRow).order_by(StreamRow.id).execution_options(yield_per=10000)
                for row in session.scalars(statement):
                    check += checksum(row)
                    rows += 1
        else:
            result = conn.execution_options(stream_results=True, yield_per=10000).execute(select(table).order_by(table.c.id))
            for row in result:
                check += checksum(row)
                rows += 1
        seconds = time.perf_counter() - start
    print("stream_10m sqlalchemy_%s %.3f %d %d %d" % (mode, seconds, status_kib("VmHWM"), baseline, rows), flush=True)
    print("stream_10m sqlalchemy_%s check %d" % (mode, check % (1 << 64)), file=sys.stderr)
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
