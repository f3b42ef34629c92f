// The part of result<Row> that is the same for every row type (engine/result.hpp), compiled once.
#include <reflorm/engine/result.hpp>

namespace reflorm::detail {

result_cursor::~result_cursor() = default;

void result_cursor::take(result_cursor& other) noexcept {
    take_cursor(other);
    rowcount_ = other.rowcount_;
}

void result_cursor::take_cursor(result_cursor& other) noexcept {
    keep_ = std::move(other.keep_);
    cursor_ = std::exchange(other.cursor_, nullptr);
    pending_ = std::exchange(other.pending_, false);
    counts_rows_ = other.counts_rows_;
    sql_ = other.sql_;
    watch_ = std::move(other.watch_);
    delivered_ = other.delivered_;
}

void result_cursor::close_cursor() noexcept {
    if (cursor_) {
        cursor_->reset();
        watch_.fire(rowcount_ >= 0 ? rowcount_ : delivered_);  // after the reset: a stream's close counts
    }
    cursor_ = nullptr;
    pending_ = false;
    keep_.reset();
}

void result_cursor::finish() {
    if (counts_rows_) rowcount_ = cursor_->affected_rows();
    close_cursor();
}

bool result_cursor::step() {
    try {
        if (!pending_ && !cursor_->step()) {
            finish();
            return false;
        }
        pending_ = false;
        ++delivered_;
        return true;
    } catch (database_error& e) {
        failed(e);
        close_cursor();
        throw;
    }
}

void result_cursor::failed(database_error& e) {
    e.attach(sql_ ? *sql_ : std::string(), {});
    watch_.disarm();  // a failed statement fires no after event
}

std::string result_cursor::where() const { return sql_ ? " for: " + *sql_ : std::string(); }

void result_cursor::throw_no_row(const char* what) const {
    throw no_result_found(std::string("reflorm: ") + what + " found no row" + where());
}

void result_cursor::check_no_more(bool more, const char* what) {
    const std::string at = where();
    close_cursor();
    if (more) throw multiple_results_found(std::string("reflorm: ") + what + " found more than one row" + at);
}

}  // namespace reflorm::detail
