#include "sql_dump.hpp"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace reflorm::samples {

namespace {

using table_rows = std::map<std::string, std::vector<dump_row>, std::less<>>;

bool is_space(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Bytes >= 0x80 are allowed so that UTF-8 table names scan as one word.
bool is_word_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

struct file_closer {
    void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};

char to_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// A single forward pass over the dump; positions are byte offsets and the line
// number is only computed when an error is reported, keeping the hot path lean.
class scanner {
public:
    explicit scanner(std::string_view sql) : sql_{sql}
    {
        if (sql_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // UTF-8 byte order mark
    }

    table_rows run()
    {
        table_rows tables;
        for (skip_space(); !at_end(); skip_space()) {
            if (match_keyword("INSERT"))
                insert_statement(tables);
            else
                skip_statement();
        }
        return tables;
    }

private:
    std::string_view sql_;
    std::size_t pos_ = 0;

    bool at_end() const noexcept { return pos_ >= sql_.size(); }
    char peek(std::size_t ahead = 0) const noexcept
    {
        return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
    }

    std::size_t line_of(std::size_t pos) const
    {
        const auto end = sql_.begin() + static_cast<std::ptrdiff_t>(std::min(pos, sql_.size()));
        return 1 + static_cast<std::size_t>(std::count(sql_.begin(), end, '\n'));
    }

    [[noreturn]] void fail_at(std::size_t pos, std::string_view what) const
    {
        throw std::runtime_error("sql dump, line " + std::to_string(line_of(pos)) + ": " + std::string(what));
    }
    [[noreturn]] void fail(std::string_view what) const
    {
        fail_at(pos_, std::string(what) + ", found " + describe_here());
    }

    std::string describe_here() const
    {
        if (at_end()) return "end of input";
        const char c = peek();
        if (c == '\n' || c == '\r') return "end of line";
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(c));
            return std::string("byte ") + hex;
        }
        // Show the start of the offending token, not just one byte.
        std::size_t len = 1;
        while (len < 20 && pos_ + len < sql_.size() && !is_space(sql_[pos_ + len])) ++len;
        return "'" + std::string(sql_.substr(pos_, len)) + "'";
    }

    // True (and consumed) when a comment starts at pos_.
    bool skip_comment()
    {
        const char c = peek();
        if (c == '#' || (c == '-' && peek(1) == '-' && (pos_ + 2 >= sql_.size() || is_space(peek(2))))) {
            // MySQL needs whitespace after "--", so "1--2" stays an expression.
            const auto eol = sql_.find('\n', pos_);
            pos_ = eol == std::string_view::npos ? sql_.size() : eol + 1;
            return true;
        }
        if (c == '/' && peek(1) == '*') {
            const auto close = sql_.find("*/", pos_ + 2);
            if (close == std::string_view::npos) fail_at(pos_, "unterminated /* comment");
            pos_ = close + 2;
            return true;
        }
        return false;
    }

    void skip_space()
    {
        for (;;) {
            while (!at_end() && is_space(sql_[pos_])) ++pos_;
            if (!skip_comment()) return;
        }
    }

    // Case-insensitive keyword followed by a non-word character; consumes it and
    // the whitespace after it on success, leaves pos_ untouched otherwise.
    bool match_keyword(std::string_view keyword)
    {
        if (sql_.size() - pos_ < keyword.size()) return false;
        for (std::size_t i = 0; i < keyword.size(); ++i)
            if (to_upper(sql_[pos_ + i]) != keyword[i]) return false;
        if (pos_ + keyword.size() < sql_.size() && is_word_char(sql_[pos_ + keyword.size()])) return false;
        pos_ += keyword.size();
        skip_space();
        return true;
    }

    void expect_keyword(std::string_view keyword)
    {
        if (!match_keyword(keyword)) fail("expected " + std::string(keyword));
    }

    std::string identifier()
    {
        if (peek() == '`') {
            const std::size_t start = pos_;
            std::string name;
            for (++pos_;; ++pos_) {
                if (at_end()) fail_at(start, "unterminated `identifier`");
                if (sql_[pos_] == '`') {
                    if (peek(1) != '`') break;
                    ++pos_;  // `` inside a quoted name is one backtick
                }
                name += sql_[pos_];
            }
            ++pos_;
            return name;
        }
        const std::size_t start = pos_;
        while (!at_end() && is_word_char(sql_[pos_])) ++pos_;
        if (pos_ == start) fail("expected a table name");
        return std::string(sql_.substr(start, pos_ - start));
    }

    // Quoted literal with MySQL backslash escapes and quote doubling.
    std::string quoted_string()
    {
        const std::size_t start = pos_;
        const char quote = sql_[pos_++];
        const char stops[] = {quote, '\\', '\0'};
        std::string text;
        for (;;) {
            // Copy plain runs in one go; dumps rarely contain escapes.
            const auto stop = sql_.find_first_of(std::string_view(stops, 2), pos_);
            if (stop == std::string_view::npos) fail_at(start, "unterminated string");
            text.append(sql_, pos_, stop - pos_);
            pos_ = stop + 1;
            if (sql_[stop] == quote) {
                if (peek() != quote) return text;
                text += quote;
                ++pos_;
                continue;
            }
            if (at_end()) fail_at(start, "unterminated string");
            switch (const char e = sql_[pos_++]) {
            case '0': text += '\0'; break;
            case 'b': text += '\b'; break;
            case 'n': text += '\n'; break;
            case 'r': text += '\r'; break;
            case 't': text += '\t'; break;
            case 'Z': text += '\x1a'; break;
            // MySQL keeps the backslash so these stay LIKE-pattern escapes.
            case '%':
            case '_':
                text += '\\';
                text += e;
                break;
            default: text += e; break;  // \' \" \\ and unknown escapes: the character itself
            }
        }
    }

    // Unquoted number: [+-] digits [. digits] [e [+-] digits], kept as written.
    std::string number()
    {
        const std::size_t start = pos_;
        if (peek() == '-' || peek() == '+') ++pos_;
        std::size_t digits = 0;
        while (is_digit(peek())) ++pos_, ++digits;
        if (peek() == '.') {
            ++pos_;
            while (is_digit(peek())) ++pos_, ++digits;
        }
        if (digits == 0) {
            pos_ = start;
            fail("expected a value");
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '-' || peek() == '+') ++pos_;
            if (!is_digit(peek())) fail("expected exponent digits");
            while (is_digit(peek())) ++pos_;
        }
        if (is_word_char(peek())) fail("malformed number");
        return std::string(sql_.substr(start, pos_ - start));
    }

    std::optional<std::string> value()
    {
        const char c = peek();
        if (c == '\'' || c == '"') return quoted_string();
        if (match_keyword("NULL")) return std::nullopt;
        return number();
    }

    dump_row row()
    {
        if (peek() != '(') fail("expected '(' starting a row");
        ++pos_;
        skip_space();
        if (peek() == ')') fail("empty row");
        dump_row values;
        for (;;) {
            values.push_back(value());
            skip_space();
            if (peek() == ',') {
                ++pos_;
                skip_space();
            } else if (peek() == ')') {
                ++pos_;
                return values;
            } else {
                fail("expected ',' or ')' after a value");
            }
        }
    }

    void insert_statement(table_rows& tables)
    {
        match_keyword("IGNORE");
        expect_keyword("INTO");
        const std::size_t name_pos = pos_;
        std::string name = identifier();
        if (name.empty()) fail_at(name_pos, "empty table name");
        skip_space();
        if (peek() == '(') fail("column lists in INSERT are not supported");
        expect_keyword("VALUES");

        auto it = tables.find(name);
        if (it == tables.end()) it = tables.emplace(std::move(name), std::vector<dump_row>{}).first;
        auto& rows = it->second;
        for (;;) {
            const std::size_t row_pos = pos_;
            dump_row r = row();
            // The dump cannot be loaded by MySQL either if a row has the wrong width.
            if (!rows.empty() && r.size() != rows.front().size())
                fail_at(row_pos, "row of " + it->first + " has " + std::to_string(r.size()) +
                                     " values, earlier rows have " + std::to_string(rows.front().size()));
            rows.push_back(std::move(r));
            skip_space();
            if (peek() == ',') {
                ++pos_;
                skip_space();
            } else if (peek() == ';') {
                ++pos_;
                return;
            } else if (at_end()) {
                fail_at(name_pos, "INSERT INTO " + it->first + " is not terminated by ';'");
            } else {
                fail("expected ',' or ';' after a row");
            }
        }
    }

    // Any other statement: up to the next ';' outside quotes and comments.
    void skip_statement()
    {
        while (!at_end()) {
            const char c = sql_[pos_];
            if (c == ';') {
                ++pos_;
                return;
            }
            if (c == '\'' || c == '"')
                quoted_string();
            else if (c == '`')
                identifier();
            else if (!skip_comment())
                ++pos_;
        }
    }
};

}  // namespace

std::map<std::string, std::vector<dump_row>, std::less<>> parse_insert_rows(std::string_view sql)
{
    return scanner{sql}.run();
}

std::string read_file(const std::filesystem::path& path)
{
    // C stdio rather than ifstream: it reports why through errno, also for read
    // errors such as a directory given as the path, where ifstream would throw
    // an exception that does not name the file.
    const auto fail = [&path](std::string_view action, int err) -> std::runtime_error {
        return std::runtime_error("cannot " + std::string(action) + " " + path.string() +
                                  (err != 0 ? ": " + std::generic_category().message(err) : std::string()));
    };
    errno = 0;
    const std::unique_ptr<std::FILE, file_closer> file(std::fopen(path.c_str(), "rb"));
    if (!file) throw fail("open", errno);
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
        text.append(buffer, got);
        if (got < sizeof buffer) break;
    }
    if (std::ferror(file.get())) throw fail("read", errno);
    return text;
}

}  // namespace reflorm::samples
