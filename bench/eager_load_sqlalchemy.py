"""eager_joinedload, eager_selectinload, eager_subqueryload, SQLAlchemy ORM: session.scalars(
select(Parent).options(<strategy>(Parent.children))).all() loads the 10,000 parents and their 100,000
children (relationship with back_populates, as eager_load_orm.cpp's models), with the loader named by
argv[2]; joinedload adds .unique(), which 2.0 style requires of a joined collection. A new Session per
run; a before_cursor_execute listener counts the statements of a run (the result line's 5th field)."""
import sys

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Integer, Text, event, select
from sqlalchemy.orm import Session, declarative_base, joinedload, relationship, selectinload, subqueryload

import bench_common as b

# Its own registry: the other scenarios' mappers are configured without these.
Base = declarative_base()


class Parent(Base):
    __tablename__ = "parents"
    id = Column(Integer, primary_key=True)
    name = Column(Text, nullable=False)
    children = relationship("Child", back_populates="parent")


class Child(Base):
    __tablename__ = "children"
    id = Column(Integer, primary_key=True)
    parent_id = Column(BigInteger, ForeignKey("parents.id"), nullable=False, index=True)
    name = Column(Text, nullable=False)
    value = Column(Float, nullable=False)
    parent = relationship("Parent", back_populates="children")


LOADERS = {"joinedload": joinedload, "selectinload": selectinload, "subqueryload": subqueryload}


def main():
    strategy = b.eager_strategy()
    engine = b.engine_for(b.db_path())
    statement = select(Parent).options(LOADERS[strategy](Parent.children))
    statements = 0

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_args):
        nonlocal statements
        statements += 1

    check = 0
    run_statements = 0

    def body(_run):
        nonlocal check, run_statements
        start = statements
        with Session(engine, future=True) as session:
            result = session.scalars(statement)
            parents = (result.unique() if strategy == "joinedload" else result).all()
            check = sum(b.eager_checksum(parent) for parent in parents)
        run_statements = statements - start

    return b.report("eager_" + strategy, b.median_seconds(body), check, run_statements)


if __name__ == "__main__":
    sys.exit(main())
