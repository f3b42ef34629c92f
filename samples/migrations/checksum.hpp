// Every table's row count and a checksum of its data, to show that a migration loses nothing.
#pragma once

#include <reflorm/engine/connection.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace migrations_sample {

/// One table's rows and checksum.
struct table_sum {
    std::string table;
    std::int64_t rows = 0;
    std::uint64_t checksum = 0;
    friend bool operator==(const table_sum&, const table_sum&) = default;
};

/// Every table of the database (as inspect() finds it, by name), with its row count and a
/// checksum independent of the rows' order: the sum, modulo 2^64, of each row's 64-bit FNV-1a
/// hash over its columns' text forms in column order, separated by 0x1f. The text form is
/// the same for a value whatever the column type holding it: integers in decimal, DOUBLE and
/// NUMERIC alike as the shortest decimal that reads back as the same double (std::to_chars),
/// strings as they are, NULL as \N. So a type change that keeps every value keeps the checksum.
/// Throws database_error from the queries.
std::vector<table_sum> table_sums(reflorm::connection& conn);

/// Prints the sums as a table: name, rows, checksum (16 hex digits).
void print(const std::vector<table_sum>& sums);

}  // namespace migrations_sample
