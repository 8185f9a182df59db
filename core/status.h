#pragma once
// Status and Result<T>: errors are values.
//
// Anything that touches the network, the disk, Redis or page bytes returns a
// Status (or a Result<T>, which is a T or a Status) and the caller checks it on
// the next line. A Status carries a machine-readable Code, used for exit codes
// and metrics, and a one-sentence message for humans. Both types are cheap to
// move, immutable once made, and safe to pass between threads.

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace dragnet {

enum class Code {
  kOk = 0,
  kInvalidArgument,   // bad input from the user: URL, flag, config value
  kNotFound,          // file, key, case or record does not exist
  kIoError,           // disk or socket error
  kParseError,        // malformed bytes from outside (HTML, JSON, TOML, RESP)
  kLimitExceeded,     // a named limit was hit
  kRefused,           // policy refused it (SSRF guard, scheme, suppression)
  kTimeout,
  kUnavailable,       // remote service down or unreachable; retry later
  kCorrupt,           // stored data failed an integrity check
  kInternal,          // a broken invariant of our own
};

const char* CodeName(Code c);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "code: message", or "ok".
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {Code::kIoError, std::move(m)}; }
inline Status ParseError(std::string m) { return {Code::kParseError, std::move(m)}; }
inline Status LimitExceeded(std::string m) { return {Code::kLimitExceeded, std::move(m)}; }
inline Status Refused(std::string m) { return {Code::kRefused, std::move(m)}; }
inline Status Timeout(std::string m) { return {Code::kTimeout, std::move(m)}; }
inline Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
inline Status Corrupt(std::string m) { return {Code::kCorrupt, std::move(m)}; }
inline Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

// A T or an error Status. Construct from either; check ok() before value().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "Result built from an ok Status");
    if (status_.ok()) status_ = Status(Code::kInternal, "Result built from an ok Status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace dragnet

// Early return on error: DRAGNET_RETURN_IF_ERROR(f());
#define DRAGNET_RETURN_IF_ERROR(expr)                 \
  do {                                                \
    ::dragnet::Status _st = (expr);                   \
    if (!_st.ok()) return _st;                        \
  } while (0)
