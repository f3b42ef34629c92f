// exact surface areas, longer city names
//
// Revision ID: c47f2e1b6a03
// Revises: 8b3e4a7c90d2
// Create Date: 2026-12-07 05:02:00
//
// v2 -> v3: column type changes. Every surface area of the World data has at most two decimals
// and fits NUMERIC(10, 2), so the values survive the round trip (the sample checks it). On
// SQLite each alter_column runs in batch mode (the table is copied). Written as
// `revision --autogenerate` writes it.
#include <reflorm/migrate.hpp>

namespace {

void upgrade(reflorm::migrate::operations& op) {
    op.alter_column("country", "surface_area", {.type = reflorm::migrate::types::numeric(10, 2)});
    op.alter_column("city", "name", {.type = reflorm::migrate::types::string(50)});
}

void downgrade(reflorm::migrate::operations& op) {
    op.alter_column("city", "name", {.type = reflorm::migrate::types::string(35)});
    op.alter_column("country", "surface_area", {.type = reflorm::migrate::types::float64()});
}

const reflorm::migrate::registration revision({
    .id = "c47f2e1b6a03",
    .down_revision = "8b3e4a7c90d2",
    .message = "exact surface areas, longer city names",
    .create_date = "2026-12-07 05:02:00",
    .upgrade = upgrade,
    .downgrade = downgrade,
});

}  // namespace
