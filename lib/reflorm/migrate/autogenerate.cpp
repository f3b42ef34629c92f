#include <reflorm/migrate/autogenerate.hpp>
#include <reflorm/migrate/column_def.hpp>

#include <random>

namespace reflorm::migrate {

namespace {

// A C++ string literal.
std::string lit(const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\') out += '\\';
        if (ch == '\n' || ch == '\r') {
            out += ch == '\n' ? "\\n" : "\\r";
            continue;
        }
        out += ch;
    }
    return out + '"';
}

// `text` for a `//` comment: a line break would end the comment and start a line of code, and
// a backslash at the end would splice the next line into the comment.
std::string comment(std::string text) {
    for (char& ch : text)
        if (ch == '\n' || ch == '\r') ch = ' ';
    const auto last = text.find_last_not_of(" \t\v\f");
    if (last != std::string::npos && text[last] == '\\') text.insert(last + 1, ".");
    return text;
}

std::string list(const std::vector<std::string>& names) {
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) (out += i ? ", " : "") += lit(names[i]);
    return out + '}';
}

std::string action_cpp(referential_action a) {
    switch (a) {
    case referential_action::no_action: return "reflorm::referential_action::no_action";
    case referential_action::restrict: return "reflorm::referential_action::restrict";
    case referential_action::cascade: return "reflorm::referential_action::cascade";
    case referential_action::set_null: return "reflorm::referential_action::set_null";
    case referential_action::set_default: return "reflorm::referential_action::set_default";
    }
    return "reflorm::referential_action::no_action";
}

// The type the column was declared with, else the closest to what the database reports.
std::string type_of(const column_model& c) { return type_cpp(c.portable ? *c.portable : portable_type(c.type)); }

std::string column_cpp(const column_model& c, bool primary_key) {
    std::string out = "reflorm::migrate::column(" + lit(c.name) + ", " + type_of(c) + ")";
    if (primary_key) out += c.autoincrement ? ".as_primary_key(true)" : ".as_primary_key()";
    else if (!c.nullable) out += ".not_null()";
    if (!c.server_default.empty() && !c.autoincrement) out += ".with_server_default(" + lit(c.server_default) + ")";
    return out;
}

std::string create_table_cpp(const table_model& t) {
    std::string out = "op.create_table(" + lit(t.name) + ",\n        {";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const auto& c = t.columns[i];
        const bool pk = std::find(t.primary_key.begin(), t.primary_key.end(), c.name) != t.primary_key.end();
        out += (i ? ",\n         " : "") + column_cpp(c, pk);
    }
    out += "}";
    if (!t.foreign_keys.empty() || !t.unique_constraints.empty()) {
        out += ",\n        {";
        for (std::size_t i = 0; i < t.foreign_keys.size(); ++i) {
            const auto& k = t.foreign_keys[i];
            out += (i ? ",\n         " : "") + std::string("{") + list(k.columns) + ", " + lit(k.referred_table) + ", " + list(k.referred_columns) +
                   ", " + action_cpp(k.on_delete) + ", " + action_cpp(k.on_update) + ", " + lit(k.name) + (k.deferrable ? ", true}" : "}");
        }
        out += "}";
    }
    if (!t.unique_constraints.empty()) {
        out += ",\n        {";
        for (std::size_t i = 0; i < t.unique_constraints.size(); ++i) out += (i ? ", " : "") + list(t.unique_constraints[i].columns);
        out += "}";
    }
    out += ")";
    for (const auto& index : t.indexes)
        out += ";\n    op.create_index(" + lit(index.name) + ", " + lit(t.name) + ", " + list(index.columns) + (index.unique ? ", true)" : ")");
    return out;
}

// ", b, c" for a merge revision's other down_revisions, in its header comment.
std::string merged(const revision& r) {
    std::string out;
    for (const auto& id : r.other_down_revisions) out += ", " + comment(id);
    return out;
}

std::string alter_cpp(const alter_column& o) {
    std::string changes;
    const auto add = [&](const std::string& s) { (changes += changes.empty() ? "" : ", ") += s; };
    if (o.type_changed) add(".type = " + type_of(o.target));
    if (o.nullable_changed) add(std::string(".nullable = ") + (o.target.nullable ? "true" : "false"));
    if (o.server_default_changed) add(".server_default = " + lit(o.target.server_default));
    return "op.alter_column(" + lit(o.table) + ", " + lit(o.target.name) + ", {" + changes + "})";
}

}  // namespace

std::string operation_cpp(const operation& op) {
    struct visitor {
        std::string operator()(const create_table& o) const { return create_table_cpp(o.table); }
        std::string operator()(const drop_table& o) const { return "op.drop_table(" + lit(o.table.name) + ")"; }
        std::string operator()(const add_column& o) const { return "op.add_column(" + lit(o.table) + ", " + column_cpp(o.column, false) + ")"; }
        std::string operator()(const drop_column& o) const { return "op.drop_column(" + lit(o.table) + ", " + lit(o.column.name) + ")"; }
        std::string operator()(const alter_column& o) const { return alter_cpp(o); }
        std::string operator()(const create_index& o) const {
            return "op.create_index(" + lit(o.index.name) + ", " + lit(o.table) + ", " + list(o.index.columns) + (o.index.unique ? ", true)" : ")");
        }
        std::string operator()(const drop_index& o) const { return "op.drop_index(" + lit(o.index.name) + ", " + lit(o.table) + ")"; }
        std::string operator()(const create_unique_constraint& o) const {
            return "op.create_unique_constraint(" + lit(o.constraint.name) + ", " + lit(o.table) + ", " + list(o.constraint.columns) + ")";
        }
        std::string operator()(const drop_unique_constraint& o) const {
            return "op.drop_constraint(" + lit(o.constraint.name) + ", " + lit(o.table) + ", reflorm::migrate::constraint_kind::unique)";
        }
        std::string operator()(const create_foreign_key& o) const {
            return "op.create_foreign_key(" + lit(o.key.name) + ", " + lit(o.table) + ", " + lit(o.key.referred_table) + ", " + list(o.key.columns) +
                   ", " + list(o.key.referred_columns) + ", " + action_cpp(o.key.on_delete) + ", " + action_cpp(o.key.on_update) +
                   (o.key.deferrable ? ", true)" : ")");
        }
        std::string operator()(const drop_foreign_key& o) const {
            return "op.drop_constraint(" + lit(o.key.name) + ", " + lit(o.table) + ", reflorm::migrate::constraint_kind::foreign_key)";
        }
        std::string operator()(const rename_table& o) const { return "op.rename_table(" + lit(o.table) + ", " + lit(o.new_name) + ")"; }
        std::string operator()(const rename_column& o) const {
            return "op.alter_column(" + lit(o.table) + ", " + lit(o.column) + ", {.new_column_name = " + lit(o.new_name) + "})";
        }
        std::string operator()(const create_primary_key& o) const {
            return "op.create_primary_key(" + lit(o.name) + ", " + lit(o.table) + ", " + list(o.columns) + ")";
        }
        std::string operator()(const drop_primary_key& o) const {
            return "op.drop_constraint(" + lit(o.name) + ", " + lit(o.table) + ", reflorm::migrate::constraint_kind::primary)";
        }
    };
    return std::visit(visitor{}, op);
}

std::string revision_source(const revision& header, const std::vector<operation>& operations, const std::vector<std::string>& warnings) {
    std::string out = "// " + comment(header.message) + "\n//\n// Revision ID: " + comment(header.id) +
                      "\n// Revises: " + (header.down_revision.empty() ? "<base>" : comment(header.down_revision)) + merged(header) +
                      "\n// Create Date: " + comment(header.create_date) + "\n";
    for (const auto& w : warnings) out += "//\n// warning: " + comment(w) + "\n";
    out += "#include <reflorm/migrate.hpp>\n\nnamespace {\n\nvoid upgrade(reflorm::migrate::operations& op) {\n";
    if (operations.empty()) out += "    (void)op;\n";
    for (const auto& o : operations) out += "    " + operation_cpp(o) + ";\n";
    out += "}\n\nvoid downgrade(reflorm::migrate::operations& op) {\n";
    if (operations.empty()) out += "    (void)op;\n";
    for (auto it = operations.rbegin(); it != operations.rend(); ++it) out += "    " + operation_cpp(reverse(*it)) + ";\n";
    out += "}\n\nconst reflorm::migrate::registration revision({\n    .id = " + lit(header.id) + ",\n    .down_revision = " +
           lit(header.down_revision) + ",\n    .message = " + lit(header.message) + ",\n    .create_date = " + lit(header.create_date) +
           ",\n    .upgrade = upgrade,\n    .downgrade = downgrade," +
           (header.other_down_revisions.empty() ? "" : "\n    .other_down_revisions = " + list(header.other_down_revisions) + ",") +
           "\n});\n\n}  // namespace\n";
    return out;
}

std::string new_revision_id() {
    std::random_device device;
    std::mt19937_64 engine((std::uint64_t{device()} << 32) ^ device());
    static constexpr char digits[] = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 12; ++i) id += digits[engine() % 16];
    return id;
}

}  // namespace reflorm::migrate
