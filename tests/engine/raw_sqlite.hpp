// Ground truth for the engine tests on SQLite: hand-written SQL through the sqlite3 C API,
// bypassing reflorm. Now the SQLite case of tests/support/raw_client.hpp, which also covers
// PostgreSQL and MariaDB; new tests use reflorm_test::database and raw_client directly.
#pragma once

#include "support/backend.hpp"
#include "support/raw_client.hpp"

#include <filesystem>

namespace engine_test {

/// A sqlite3 connection to `file` (created when missing): rows(), value(), integer().
class raw_sqlite : public reflorm_test::raw_client {
public:
    explicit raw_sqlite(const std::filesystem::path& file) : raw_client(raw_client::open_sqlite(file)) {}
};

using reflorm_test::temp_dir;

}  // namespace engine_test
