#include <reflorm/dialect/dialect.hpp>
#include <reflorm/sql/render_context.hpp>

namespace reflorm::dialect {

namespace {

class sqlite_compiler final : public sql::compiler {
public:
    sql::dialect_id id() const noexcept override { return sql::dialect_id::sqlite; }
    std::string_view name() const noexcept override { return "sqlite"; }

    std::string_view defer_foreign_keys_sql() const override { return "PRAGMA defer_foreign_keys = ON"; }
    // INTEGER PRIMARY KEY generates a key for NULL; SQLite's VALUES has no DEFAULT.
    std::string_view generated_key_sql() const override { return "NULL"; }
    // A NULL bound to the INTEGER PRIMARY KEY makes the rowid: one INSERT text for rows with
    // and without keys, and the key read from sqlite3_last_insert_rowid, the cheapest way.
    bool binds_null_for_generated_key() const override { return true; }
    bool alters_foreign_keys() const override { return false; }
    std::string_view table_exists_sql() const override { return "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"; }

    // Row values in IN come only from a VALUES list or a subquery.
    void tuple_in(sql::render_context& ctx, std::size_t rows, std::size_t width) const override {
        ctx << " IN (VALUES ";
        row_values(ctx, rows, width);
        ctx << ")";
    }

    std::string type_name(const schema::column_info& column, bool in_key) const override {
        using schema::column_kind;
        // Exactly "INTEGER" makes a single-column primary key an alias of the rowid, which
        // is what generates keys in SQLite.
        if (column.autoincrement) return "INTEGER";
        switch (column.kind) {
        case column_kind::uint64: return "BIGINT";  // values above INT64_MAX are refused when bound
        case column_kind::float64: return "FLOAT";
        case column_kind::timestamp:
        case column_kind::timestamp_micro: return "DATETIME";
        default: return compiler::type_name(column, in_key);
        }
    }

protected:
    std::string_view no_limit_sql() const override { return " LIMIT -1"; }
};

}  // namespace

const sql::compiler& sqlite() {
    static const sqlite_compiler instance;
    return instance;
}

}  // namespace reflorm::dialect
