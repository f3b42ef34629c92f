#include <reflorm/schema/er_diagram.hpp>

#include <algorithm>
#include <iterator>
#include <vector>

namespace reflorm::schema {

namespace {

// ---- what the diagram says about a table, the same in both formats ----------------------------

bool same_columns(const column_list& a, const column_list& b) {
    if (a.size != b.size) return false;
    for (auto c : a.view())
        if (!b.contains(c)) return false;
    return true;
}

bool in_foreign_key(const table_info& table, std::size_t column) {
    for (const auto& fk : table.foreign_keys)
        if (fk.columns.contains(column)) return true;
    return false;
}

bool in_unique_constraint(const table_info& table, std::size_t column) {
    if (table.columns[column].unique) return true;
    for (const auto& index : table.indexes)
        if (index.unique && index.columns.contains(column)) return true;
    return false;
}

/// "PK", "PK, FK", ... in Mermaid's order of key markers.
std::string key_markers(const table_info& table, std::size_t column) {
    std::string out;
    auto add = [&](std::string_view marker) {
        if (!out.empty()) out += ", ";
        out += marker;
    };
    if (table.columns[column].primary_key) add("PK");
    if (in_foreign_key(table, column)) add("FK");
    if (in_unique_constraint(table, column)) add("UK");
    return out;
}

struct relationship_shape {
    bool nullable = false;     // a key column is nullable: the referenced row is optional
    bool one_to_one = false;   // the key's columns are the primary key or a UNIQUE constraint
};

relationship_shape shape_of(const table_info& table, const foreign_key_info& fk) {
    relationship_shape shape;
    for (auto c : fk.columns.view()) shape.nullable = shape.nullable || table.columns[c].nullable;
    shape.one_to_one = same_columns(fk.columns, table.primary_key) ||
                       (fk.columns.size == 1 && table.columns[fk.columns.items[0]].unique);
    for (const auto& index : table.indexes)
        shape.one_to_one = shape.one_to_one || (index.unique && same_columns(fk.columns, index.columns));
    return shape;
}

/// The key's columns, "a, b": the relationship's label.
std::string key_label(const table_info& table, const foreign_key_info& fk) {
    std::string out;
    for (auto c : fk.columns.view()) {
        if (!out.empty()) out += ", ";
        out += table.columns[c].name;
    }
    return out;
}

/// The tables sorted by name, each name once, so that the text does not depend on the order
/// (or repetition) of the models given.
std::vector<const table_info*> sorted_tables(std::span<const table_info* const> tables) {
    std::vector<const table_info*> sorted(tables.begin(), tables.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const table_info* a, const table_info* b) { return a->name < b->name; });
    sorted.erase(std::unique(sorted.begin(), sorted.end(),
                             [](const table_info* a, const table_info* b) { return a->name == b->name; }),
                 sorted.end());
    return sorted;
}

// ---- Mermaid ---------------------------------------------------------------------------------

/// A character Mermaid cannot show inside a quoted name, a label or a backticked attribute.
bool mermaid_unprintable(char c) {
    return c == '"' || c == '%' || c == '\\' || c == '`' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

void mermaid_text(std::string& out, std::string_view text) {
    for (char c : text) out += mermaid_unprintable(c) ? '_' : c;
}

/// An entity name, always quoted: a bare name that starts with one of Mermaid's words ("one",
/// "many", "to", "class", ...) would be read as that word.
void mermaid_entity(std::string& out, std::string_view name) {
    out += '"';
    mermaid_text(out, name);
    out += '"';
}

bool ascii_word(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool is_key_marker(std::string_view name) {
    if (name.size() != 2) return false;
    const char a = static_cast<char>(name[0] | 0x20), b = static_cast<char>(name[1] | 0x20);
    return (a == 'p' || a == 'f' || a == 'u') && b == 'k';
}

/// An attribute name: bare when it is an ASCII word other than PK, FK or UK (which Mermaid
/// reads as key markers, in any case), else between backticks.
void mermaid_attribute(std::string& out, std::string_view name) {
    if (ascii_word(name) && !is_key_marker(name)) {
        out += name;
        return;
    }
    out += '`';
    mermaid_text(out, name);
    out += '`';
}

std::string_view mermaid_cardinality(const relationship_shape& shape) {
    // Left: how many rows of the referencing table per referenced row; right: how many
    // referenced rows per referencing row.
    if (shape.one_to_one) return shape.nullable ? "|o--o|" : "|o--||";
    return shape.nullable ? "}o--o|" : "}o--||";
}

std::string mermaid(const std::vector<const table_info*>& tables) {
    std::string out = "erDiagram\n";
    for (const auto* table : tables) {
        out += "    ";
        mermaid_entity(out, table->name);
        out += " {\n";
        for (std::size_t c = 0; c < table->columns.size(); ++c) {
            const auto& column = table->columns[c];
            out += "        ";
            out += neutral_type_name(column);
            out += ' ';
            mermaid_attribute(out, column.name);
            if (auto keys = key_markers(*table, c); !keys.empty()) (out += ' ') += keys;
            if (column.nullable) out += " \"nullable\"";
            out += '\n';
        }
        out += "    }\n";
    }
    for (const auto* table : tables)
        for (const auto& fk : table->foreign_keys) {
            out += "    ";
            mermaid_entity(out, table->name);
            (out += ' ') += mermaid_cardinality(shape_of(*table, fk));
            out += ' ';
            mermaid_entity(out, fk.target().name);
            out += " : \"";
            mermaid_text(out, key_label(*table, fk));
            out += "\"\n";
        }
    return out;
}

// ---- Graphviz DOT ----------------------------------------------------------------------------

/// A DOT quoted string: `"` and `\` escaped, line breaks as \n.
void dot_string(std::string& out, std::string_view text) {
    out += '"';
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    out += '"';
}

/// Text inside an HTML-like label: XML's five special characters as entities.
void dot_html(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
}

std::string dot(const std::vector<const table_info*>& tables) {
    std::string out = "digraph er {\n    graph [rankdir=LR];\n"
                      "    node [shape=plaintext];\n    edge [dir=both];\n";
    for (const auto* table : tables) {
        out += "    ";
        dot_string(out, table->name);
        out += " [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">"
               "<tr><td colspan=\"3\"><b>";
        dot_html(out, table->name);
        out += "</b></td></tr>";
        for (std::size_t c = 0; c < table->columns.size(); ++c) {
            const auto& column = table->columns[c];
            out += "<tr><td align=\"left\">";
            dot_html(out, column.name);
            out += "</td><td align=\"left\">";
            dot_html(out, neutral_type_name(column));
            out += "</td><td align=\"left\">";
            std::string notes = key_markers(*table, c);
            if (column.nullable) notes += notes.empty() ? "nullable" : ", nullable";
            dot_html(out, notes);
            out += "</td></tr>";
        }
        out += "</table>>];\n";
    }
    for (const auto* table : tables)
        for (const auto& fk : table->foreign_keys) {
            const auto shape = shape_of(*table, fk);
            out += "    ";
            dot_string(out, table->name);
            out += " -> ";
            dot_string(out, fk.target().name);
            out += " [label=";
            dot_string(out, key_label(*table, fk));
            // Crow's foot ends, nearest the node first: the tail at the referencing table.
            out += shape.one_to_one ? ", arrowtail=teeodot" : ", arrowtail=crowodot";
            out += shape.nullable ? ", arrowhead=teeodot" : ", arrowhead=teetee";
            out += "];\n";
        }
    out += "}\n";
    return out;
}

}  // namespace

std::string neutral_type_name(const column_info& column) {
    // By column_kind, in its order; VARCHAR(n), NUMERIC(p,s) and the time zone are added below.
    static constexpr std::string_view names[] = {
        "BOOLEAN",                                                // boolean
        "SMALLINT",    "SMALLINT", "INTEGER", "BIGINT",           // int8 .. int64
        "SMALLINT",    "INTEGER",  "BIGINT",  "NUMERIC(20)",      // uint8 .. uint64
        "REAL",        "DOUBLE",                                  // float32, float64
        "TEXT",        "DATE",     "TIMESTAMP", "TIMESTAMP(6)",   // text .. timestamp_micro
        "BLOB",        "TEXT",     "INTEGER",                     // blob, enum_name, enum_integer
        "NUMERIC",     "UUID",     "JSON",                        // decimal, uuid, json
    };
    static_assert(std::size(names) == std::size_t(column_kind::json) + 1, "one name per column_kind");
    const auto kind = column.kind;
    if ((kind == column_kind::text || kind == column_kind::enum_name) && column.max_length)
        return "VARCHAR(" + std::to_string(column.max_length) + ")";
    if (kind == column_kind::decimal)
        return "NUMERIC(" + std::to_string(column.precision) + "," + std::to_string(column.scale) + ")";
    if (kind == column_kind::timestamp && column.with_time_zone) return "TIMESTAMPTZ";
    if (kind == column_kind::timestamp_micro && column.with_time_zone) return "TIMESTAMPTZ(6)";
    return std::string{names[std::size_t(kind)]};
}

std::string er_diagram(std::span<const table_info* const> tables, er_format format) {
    const auto sorted = sorted_tables(tables);
    return format == er_format::dot ? dot(sorted) : mermaid(sorted);
}

}  // namespace reflorm::schema
