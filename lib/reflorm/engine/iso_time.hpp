#pragma once
// Reading ISO 8601 dates and timestamps from text, for the drivers whose backends hand them
// over as text (SQLite stores them so; PostgreSQL's text format). Writing them is
// sql::iso_date_text / iso_timestamp_text.
#include <reflorm/schema/column_type.hpp>

#include <chrono>
#include <string_view>

namespace reflorm::driver {

/// Parses "YYYY-MM-DD" (a real calendar date); false for anything else.
bool parse_iso_date(std::string_view text, date& out);
/// Parses "YYYY-MM-DD[ T]HH:MM:SS[.f{1,9}]" as UTC, digits past microseconds dropped only when
/// they are zeros; false for anything else (a time zone suffix included).
bool parse_iso_timestamp(std::string_view text, std::chrono::sys_time<std::chrono::microseconds>& out);

}  // namespace reflorm::driver
