#pragma once
// Migrations (docs/migrations.md): the runtime schema model, from_models, inspect, compare.
#include <reflorm/migrate/compare.hpp>
#include <reflorm/migrate/from_models.hpp>
#include <reflorm/migrate/inspect.hpp>
#include <reflorm/migrate/naming_convention.hpp>
#include <reflorm/migrate/operations.hpp>
#include <reflorm/migrate/schema_model.hpp>
#include <reflorm/migrate/type_compare.hpp>
