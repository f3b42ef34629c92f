// Models and a checking helper shared by the snippets of docs/queries.md (compiled and run by
// tests/docs, so the SQL shown in the document is the SQL reflorm renders).
#pragma once

#include <reflorm/reflorm.hpp>

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

struct Shop {
    std::int64_t id = 0;
    std::string name{};
    std::optional<std::string> city{};
    std::int32_t stock = 0;
    double price = 0;
    std::optional<std::int64_t> parent_id{};
};

struct Sale {
    std::int64_t id = 0;
    std::int64_t shop_id = 0;
    std::int32_t quantity = 0;
    reflorm::date day{};
};

template <>
struct reflorm::model<Sale> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Sale::shop_id, &Shop::id>);
};

/// Counts mismatches between a statement's SQL and the text the document shows.
inline int failures = 0;

template <class Statement>
void shows(const Statement& statement, const std::string& sqlite, const std::string& postgresql, const std::string& mysql) {
    const std::pair<const reflorm::sql::compiler*, const std::string*> expected[] = {
        {&reflorm::dialect::sqlite(), &sqlite}, {&reflorm::dialect::postgresql(), &postgresql}, {&reflorm::dialect::mysql(), &mysql}};
    for (const auto& [dialect, text] : expected) {
        const std::string actual = reflorm::sql::to_sql(statement, *dialect);
        if (actual != *text) {
            std::cerr << dialect->name() << ":\n  document: " << *text << "\n  rendered: " << actual << '\n';
            ++failures;
        }
    }
}
