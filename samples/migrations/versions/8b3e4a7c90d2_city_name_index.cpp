// city name index
//
// Revision ID: 8b3e4a7c90d2
// Revises: 5d0c6f1e2a91
// Create Date: 2026-12-07 05:01:00
//
// v1 -> v2: a new index. Written as `revision --autogenerate` writes it.
#include <reflorm/migrate.hpp>

namespace {

void upgrade(reflorm::migrate::operations& op) {
    op.create_index("ix_city_name", "city", {"name"});
}

void downgrade(reflorm::migrate::operations& op) {
    op.drop_index("ix_city_name", "city");
}

const reflorm::migrate::registration revision({
    .id = "8b3e4a7c90d2",
    .down_revision = "5d0c6f1e2a91",
    .message = "city name index",
    .create_date = "2026-12-07 05:01:00",
    .upgrade = upgrade,
    .downgrade = downgrade,
});

}  // namespace
