// The MySQL/MariaDB driver: being written (issue 12); until then connecting throws unsupported_error.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>

namespace reflorm::driver {

std::unique_ptr<connection> open_mysql(const url& u) {
    throw unsupported_error("reflorm: the MySQL/MariaDB driver is not finished; cannot connect to '" + u.to_string() + "'");
}
void check_mysql_url(const url&) {}

}  // namespace reflorm::driver
