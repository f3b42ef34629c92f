#pragma once
// Errors raised while building or rendering a statement, below the engine (whose
// reflorm::error hierarchy the sql layer cannot see). Both are logic errors in the calling code.
#include <stdexcept>

namespace reflorm::sql {

/// A statement uses a feature the dialect it is rendered for lacks (RETURNING on MySQL).
/// Thrown by to_sql / statement_text; the message names the dialect and the alternative.
class unsupported_feature_error : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

/// A statement built with a run-time mistake: a text() parameter that is unknown or left
/// unbound, an insert given no rows. The message names the parameter or the call.
class statement_error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

}  // namespace reflorm::sql
