#pragma once
// Migrations (docs/migrations.md): the runtime schema model, from_models, inspect, compare,
// rendering, revisions, the runner and the command line.
#include <reflorm/migrate/apply_operation.hpp>
#include <reflorm/migrate/autogenerate.hpp>
#include <reflorm/migrate/bulk_insert.hpp>
#include <reflorm/migrate/cli.hpp>
#include <reflorm/migrate/column_def.hpp>
#include <reflorm/migrate/compare.hpp>
#include <reflorm/migrate/from_models.hpp>
#include <reflorm/migrate/inspect.hpp>
#include <reflorm/migrate/naming_convention.hpp>
#include <reflorm/migrate/op.hpp>
#include <reflorm/migrate/operations.hpp>
#include <reflorm/migrate/render.hpp>
#include <reflorm/migrate/revision.hpp>
#include <reflorm/migrate/runner.hpp>
#include <reflorm/migrate/schema_model.hpp>
#include <reflorm/migrate/type_compare.hpp>
