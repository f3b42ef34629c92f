// country gdp
//
// Revision ID: 5d0c6f1e2a91
// Revises: <base>
// Create Date: 2026-12-07 05:00:00
//
// v0 -> v1 (samples/common/world_versions.hpp): a new NOT NULL column with a server default. The
// 239 existing rows get the default, so no data migration is needed. Written as
// `revision --autogenerate` writes it.
#include <reflorm/migrate.hpp>

namespace {

void upgrade(reflorm::migrate::operations& op) {
    op.add_column("country", reflorm::migrate::column("gdp", reflorm::migrate::types::float64()).not_null().with_server_default("0"));
}

void downgrade(reflorm::migrate::operations& op) {
    op.drop_column("country", "gdp");
}

const reflorm::migrate::registration revision({
    .id = "5d0c6f1e2a91",
    .down_revision = "",
    .message = "country gdp",
    .create_date = "2026-12-07 05:00:00",
    .upgrade = upgrade,
    .downgrade = downgrade,
});

}  // namespace
