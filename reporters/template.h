#pragma once
// A small logic-less text template language (a Mustache subset) for the
// email templates in config/templates/<language>/:
//   {{name}} / {{a.b}}      value from the context (strings as-is, numbers
//                           printed, arrays joined with ", "); missing -> ""
//   {{#name}} ... {{/name}} repeat for each element of an array (the element
//                           becomes the innermost context), or render once
//                           when the value is truthy (non-empty, true, != 0)
//   {{^name}} ... {{/name}} render when the value is missing or falsy
//   {{! comment }}          dropped
// Values are inserted as plain text and never re-parsed as template, so a
// site's title cannot inject template syntax. Templates are compiled once
// (errors name the file and line); Render is const and thread-safe.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace dragnet::reporters {

// Section nesting is bounded so a template cannot recurse without end.
inline constexpr int kMaxTemplateDepth = 16;
// Rendered text is capped: a runaway loop over remote data stops here.
inline constexpr size_t kMaxRenderedBytes = 1u << 20;

class Template {
 public:
  static Result<Template> Compile(const std::string& text, const std::string& origin);
  // Renders with `ctx`; output longer than kMaxRenderedBytes is cut with a note.
  std::string Render(const nlohmann::json& ctx) const;

  struct Node;

 private:
  std::shared_ptr<const std::vector<Node>> nodes_;
};

}  // namespace dragnet::reporters
