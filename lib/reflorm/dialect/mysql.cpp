#include <reflorm/dialect/dialect.hpp>
#include <reflorm/sql/render_context.hpp>

namespace reflorm::dialect {

namespace {

class mysql_compiler final : public sql::compiler {
public:
    explicit mysql_compiler(bool mariadb) : mariadb_(mariadb) {}
    sql::dialect_id id() const noexcept override { return mariadb_ ? sql::dialect_id::mariadb : sql::dialect_id::mysql; }
    std::string_view name() const noexcept override { return mariadb_ ? "mariadb" : "mysql"; }

    std::string type_name(const schema::column_info& column, bool in_key) const override {
        using schema::column_kind;
        switch (column.kind) {
        case column_kind::boolean: return "BOOL";
        case column_kind::int8: return "TINYINT";
        case column_kind::uint8: return "TINYINT UNSIGNED";
        case column_kind::uint16: return "SMALLINT UNSIGNED";
        case column_kind::uint32: return "INTEGER UNSIGNED";
        case column_kind::uint64: return "BIGINT UNSIGNED";
        case column_kind::float32: return "FLOAT";
        case column_kind::float64: return "DOUBLE";
        case column_kind::text:
            // MySQL cannot key a TEXT column without a prefix length: keys get VARCHAR(255).
            // Unkeyed, a string without max_length is LONGTEXT: TEXT stops at 64 KiB.
            if (column.max_length == 0) return in_key ? "VARCHAR(255)" : "LONGTEXT";
            return compiler::type_name(column, in_key);
        case column_kind::timestamp: return "DATETIME";
        case column_kind::timestamp_micro: return "DATETIME(6)";
        case column_kind::blob: return "LONGBLOB";
        case column_kind::decimal: return "DECIMAL(" + std::to_string(column.precision) + ", " + std::to_string(column.scale) + ")";
        // MariaDB's JSON is LONGTEXT with a json_valid CHECK; MySQL 8's is binary JSON.
        case column_kind::json: return "JSON";
        default: return compiler::type_name(column, in_key);
        }
    }

    std::string cast_type_name(const schema::column_info& column) const override {
        using schema::column_kind;
        switch (column.kind) {  // MySQL's CAST accepts only these target types
        case column_kind::text:
        case column_kind::enum_name:
        case column_kind::uuid:
        case column_kind::json: return "CHAR";
        case column_kind::decimal: return "DECIMAL(" + std::to_string(column.precision) + ", " + std::to_string(column.scale) + ")";
        case column_kind::float32:
        case column_kind::float64: return "DOUBLE";
        case column_kind::date: return "DATE";
        case column_kind::timestamp:
        case column_kind::timestamp_micro: return "DATETIME";
        case column_kind::blob: return "BINARY";
        case column_kind::uint8:
        case column_kind::uint16:
        case column_kind::uint32:
        case column_kind::uint64: return "UNSIGNED";
        default: return "SIGNED";
        }
    }
    std::string_view autoincrement_clause() const override { return "AUTO_INCREMENT"; }
    bool create_index_if_not_exists() const override { return false; }  // MySQL 8 lacks it
    bool supports_deferrable() const override { return false; }
    // MariaDB 10.5+ has INSERT ... RETURNING and DELETE ... RETURNING, MySQL has none. The
    // engine's own INSERTs still read keys from the insert id: the driver's multi-row INSERTs
    // (engine/mysql_batch.cpp) take plain INSERTs only, and a RETURNING per row would cost a
    // round trip per row again.
    bool supports_returning() const override { return mariadb_; }
    bool returns_generated_keys() const override { return false; }
    bool supports_update_returning() const override { return false; }
    std::string_view default_values_sql() const override { return " () VALUES ()"; }
    std::string_view drop_foreign_key_keyword() const override { return "FOREIGN KEY"; }
    bool drop_foreign_key_if_exists() const override { return mariadb_; }  // MySQL 8 has no IF EXISTS there
    std::string_view foreign_key_exists_sql() const override {
        return "SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = DATABASE() AND table_name = ? "
               "AND constraint_name = ? AND constraint_type = 'FOREIGN KEY'";
    }
    std::string_view table_exists_sql() const override {
        return "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?";
    }
    void insert_into(std::string& out, bool skip_duplicates) const override {
        out += skip_duplicates ? "INSERT IGNORE INTO " : "INSERT INTO ";
    }
    // The conflict target is implied: MySQL reacts to whichever unique key conflicts.
    void on_conflict(std::string& out, std::span<const std::string_view>,
                     std::span<const std::string_view> update) const override {
        if (update.empty()) return;  // INSERT IGNORE, above
        out += " ON DUPLICATE KEY UPDATE ";
        for (std::size_t i = 0; i < update.size(); ++i) {
            if (i) out += ", ";
            identifier(out, update[i]);
            out += " = VALUES(";  // MariaDB 10.3+ and MySQL (deprecated there since 8.0.20, still accepted)
            identifier(out, update[i]);
            out += ')';
        }
    }
    // No NULLS FIRST/LAST: sort on "IS NULL" first (true sorts after false).
    void order_nulls(sql::render_context& ctx, sql::fragment e, bool descending, bool nulls_first) const override {
        e(ctx);
        ctx << (nulls_first ? " IS NULL DESC, " : " IS NULL ASC, ");
        e(ctx);
        ctx << (descending ? " DESC" : " ASC");
    }
    // || is OR in MySQL. A function call needs no parentheses around its arguments.
    void concat(sql::render_context& ctx, sql::fragment left, sql::fragment right) const override {
        ctx << "concat(";
        left(ctx);
        ctx << ", ";
        right(ctx);
        ctx << ")";
    }
    std::string_view function_name(std::string_view name) const override {
        return name == "length" ? "char_length" : name;  // MySQL's length() counts bytes
    }

protected:
    char quote_character() const override { return '`'; }
    std::string_view no_limit_sql() const override { return " LIMIT 18446744073709551615"; }

private:
    bool mariadb_;
};

}  // namespace

const sql::compiler& mysql() {
    static const mysql_compiler instance(false);
    return instance;
}

const sql::compiler& mariadb() {
    static const mysql_compiler instance(true);
    return instance;
}

}  // namespace reflorm::dialect
