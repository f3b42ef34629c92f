// Ground truth for the engine tests: hand-written SQL through the sqlite3 C API, bypassing reflorm.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace engine_test {

class raw_sqlite {
public:
    explicit raw_sqlite(const std::filesystem::path& file) {
        if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            throw std::runtime_error("raw_sqlite: cannot open " + file.string());
    }
    ~raw_sqlite() { sqlite3_close(db_); }
    raw_sqlite(const raw_sqlite&) = delete;
    raw_sqlite& operator=(const raw_sqlite&) = delete;

    /// Every row of `sql`, each value as text (nullopt for NULL; blobs as raw bytes).
    std::vector<std::vector<std::optional<std::string>>> rows(const std::string& sql) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
            throw std::runtime_error("raw_sqlite: " + std::string(sqlite3_errmsg(db_)) + " in " + sql);
        std::vector<std::vector<std::optional<std::string>>> result;
        int rc = 0;
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
            auto& row = result.emplace_back();
            for (int i = 0; i < sqlite3_column_count(statement); ++i) {
                if (sqlite3_column_type(statement, i) == SQLITE_NULL) {
                    row.emplace_back();
                } else {
                    const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, i));
                    row.emplace_back(std::string(data ? data : "", sqlite3_column_bytes(statement, i)));
                }
            }
        }
        sqlite3_finalize(statement);
        if (rc != SQLITE_DONE) throw std::runtime_error("raw_sqlite: " + std::string(sqlite3_errmsg(db_)) + " in " + sql);
        return result;
    }

    /// The single value of a one-row, one-column query.
    std::optional<std::string> value(const std::string& sql) {
        auto result = rows(sql);
        if (result.size() != 1 || result[0].size() != 1) throw std::runtime_error("raw_sqlite: not one value: " + sql);
        return result[0][0];
    }
    long long integer(const std::string& sql) { return std::stoll(value(sql).value()); }

private:
    sqlite3* db_ = nullptr;
};

/// A temporary directory removed at scope exit.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "reflorm-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path = pattern;
    }
    ~temp_dir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

}  // namespace engine_test
