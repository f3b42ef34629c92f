// Reader for the row data in MySQL/MariaDB SQL dumps (the World and DBT-3
// test databases): only the values of INSERT statements are extracted, the
// schema is left to the sample, which maps the rows onto its own structs.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reflorm::samples {

// One value per column, std::nullopt for SQL NULL. Numbers keep the text as
// written so that the caller decides on the target type and no precision is lost.
using dump_row = std::vector<std::optional<std::string>>;

// Rows of every `INSERT [IGNORE] INTO <table> VALUES (...),(...);` statement
// in `sql`, in file order, keyed by the table name as written (backtick
// quotes removed, case kept). Comments (`#`, `-- `, `/* */`) and other
// statements (CREATE TABLE, ANALYZE, ...) are skipped. All rows of one table
// must have the same number of values. Throws std::runtime_error naming the
// line number on malformed input.
std::map<std::string, std::vector<dump_row>, std::less<>> parse_insert_rows(std::string_view sql);

// Whole file contents; throws std::runtime_error naming the path on failure.
std::string read_file(const std::filesystem::path& path);

}  // namespace reflorm::samples
