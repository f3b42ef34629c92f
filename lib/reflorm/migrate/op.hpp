#pragma once
// What a revision's upgrade() and downgrade() call, as Alembic's `op` (alembic.operations.
// Operations): each call becomes an operation (operations.hpp), rendered for the dialect
// (render.hpp) and run on the connection, or, offline (--sql), printed. The schema as it stands
// is tracked so that SQLite's batch mode and MariaDB's MODIFY COLUMN know the whole table.
#include <reflorm/engine/connection.hpp>
#include <reflorm/migrate/bulk_insert.hpp>
#include <reflorm/migrate/column_def.hpp>
#include <reflorm/migrate/naming_convention.hpp>
#include <reflorm/migrate/operations.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace reflorm::migrate {

/// A foreign key of op.create_table; an empty `name` is given by the naming convention.
/// `deferrable`: DEFERRABLE INITIALLY DEFERRED (Alembic's deferrable=True, initially="DEFERRED"),
/// ignored on MySQL/MariaDB, which have no deferrable keys.
struct foreign_key_def {
    std::vector<std::string> columns = {};
    std::string referred_table = {};
    std::vector<std::string> referred_columns = {};
    referential_action on_delete = referential_action::no_action;
    referential_action on_update = referential_action::no_action;
    std::string name = {};
    bool deferrable = false;
};

/// What op.alter_column changes; what is not set stays as it is (Alembic's alter_column
/// arguments): `{.nullable = false}`. `server_default` set to "" drops the default.
/// `new_column_name` renames the column (ALTER TABLE ... RENAME COLUMN), after the other changes.
struct column_changes {
    std::optional<column_type> type = std::nullopt;
    std::optional<bool> nullable = std::nullopt;
    std::optional<std::string> server_default = std::nullopt;
    std::optional<std::string> new_column_name = std::nullopt;
};

/// Which kind of constraint op.drop_constraint drops (Alembic's type_: 'unique', 'foreignkey',
/// 'primary').
enum class constraint_kind { unique, foreign_key, primary };

/// Alembic's `op`. Each schema call renders its operation for the dialect and runs it (offline:
/// prints it followed by ";"), then applies it to the tracked schema. Throws
/// invalid_request_error when a call names a table, column, index or constraint the tracked
/// schema lacks (or a naming convention template is bad), database_error when a statement fails.
class operations {
public:
    /// Online: runs on `c` (inside the transaction the runner opened, where there is one), with
    /// `current` the schema inspect() read.
    operations(connection& c, schema_model current, naming_convention naming = {});
    /// Offline: prints each statement, followed by ";", to `out`; `current` is the schema the
    /// previous revisions built.
    operations(const sql::compiler& dialect, std::ostream& out, schema_model current, naming_convention naming = {});

    /// CREATE TABLE with the columns (those marked as_primary_key form the primary key, named
    /// <table>_pkey), foreign keys and unique constraints (each a list of columns, named uq_...).
    void create_table(const std::string& name, const std::vector<column_def>& columns, const std::vector<foreign_key_def>& foreign_keys = {},
                      const std::vector<std::vector<std::string>>& unique = {});
    void drop_table(const std::string& name);
    /// ALTER TABLE `old_name` RENAME TO `new_name`, as Alembic's rename_table. Indexes and
    /// constraints keep their names (city_pkey, ix_city_name), as in Alembic: rename them by
    /// dropping and creating them. Throws invalid_request_error when `old_name` does not exist
    /// or `new_name` does.
    void rename_table(const std::string& old_name, const std::string& new_name);
    void add_column(const std::string& table, const column_def& column);
    void drop_column(const std::string& table, const std::string& column);
    /// Changes the type, nullability or server default of a column, then renames it when
    /// `changes.new_column_name` is set (as Alembic's alter_column(..., new_column_name=...);
    /// index and constraint names stay, as in Alembic). Throws invalid_request_error when the
    /// table or column does not exist, or the new name is taken.
    void alter_column(const std::string& table, const std::string& column, const column_changes& changes);
    void create_index(const std::string& name, const std::string& table, const std::vector<std::string>& columns, bool unique = false);
    /// DROP INDEX `name`; on MySQL also a unique constraint of that name, which is how its catalog
    /// reports a unique index. Throws invalid_request_error if the table has neither.
    void drop_index(const std::string& name, const std::string& table);
    void create_unique_constraint(const std::string& name, const std::string& table, const std::vector<std::string>& columns);
    /// ALTER TABLE ... ADD CONSTRAINT `name` FOREIGN KEY (SQLite: batch mode); `deferrable`: DEFERRABLE
    /// INITIALLY DEFERRED, as Alembic's deferrable=True, initially="DEFERRED" (ignored on MySQL/MariaDB).
    void create_foreign_key(const std::string& name, const std::string& table, const std::string& referred_table,
                            const std::vector<std::string>& columns, const std::vector<std::string>& referred_columns,
                            referential_action on_delete = referential_action::no_action,
                            referential_action on_update = referential_action::no_action, bool deferrable = false);
    /// ALTER TABLE ... ADD CONSTRAINT `name` PRIMARY KEY (`columns`), as Alembic's
    /// create_primary_key (MySQL: ADD PRIMARY KEY, named PRIMARY; SQLite: batch mode). The
    /// columns should be NOT NULL (PostgreSQL and MySQL make them so). Throws
    /// invalid_request_error when the table has a primary key already.
    void create_primary_key(const std::string& name, const std::string& table, const std::vector<std::string>& columns);
    /// Drops the constraint named `name`, or, where the database named it itself (create_all's
    /// unnamed constraints; SQLite keeps no foreign key names), the one the naming convention
    /// would name `name`. constraint_kind::primary drops the primary key (as Alembic's
    /// type_='primary'), where `name` is its name, the convention's (<table>_pkey) or, on MySQL,
    /// PRIMARY. Throws invalid_request_error when there is none.
    void drop_constraint(const std::string& name, const std::string& table, constraint_kind kind);

    /// INSERTs `rows` into `table`, as Alembic's op.bulk_insert(table, rows): each row a map of
    /// column name to typed value (`{{"code", "FRA"}, {"population", 64000000}}`). Online the
    /// values are bound as parameters (several rows per INSERT, in the revision's transaction);
    /// offline each row is printed as an INSERT with literal values escaped for the dialect
    /// (bulk_insert.hpp: sql_literal). Throws invalid_request_error when the table or a column
    /// does not exist, when rows name different columns, or offline for a value the dialect
    /// cannot write; database_error when an INSERT fails.
    void bulk_insert(const std::string& table, const std::vector<bulk_row>& rows);

    /// Runs `op` as it is (what autogenerate found, a reversed operation).
    void run(const operation& op);
    /// Runs (offline: prints) SQL text as it is: a data migration in plain SQL.
    void execute(const std::string& sql);

    /// Whether statements are printed rather than run (--sql).
    bool offline() const noexcept { return conn_ == nullptr; }
    /// The connection, for data migrations through the Core API (select, insert, update,
    /// text() with bound values). Throws invalid_request_error offline: such a revision cannot
    /// be printed (write it with execute() to make it printable).
    connection& bind();
    const sql::compiler& dialect() const noexcept { return *dialect_; }
    /// The schema as the operations so far leave it (statements run by execute() are not
    /// tracked: a table they change is read again at the next revision).
    const schema_model& schema() const noexcept { return current_; }

private:
    const table_model& table(const std::string& name) const;

    connection* conn_ = nullptr;
    const sql::compiler* dialect_ = nullptr;
    std::ostream* out_ = nullptr;
    schema_model current_;
    naming_convention naming_;
};

}  // namespace reflorm::migrate
