#include "reporters/template.h"

#include <cctype>

namespace dragnet::reporters {

struct Template::Node {
  enum Kind { kText, kVar, kSection, kInverted } kind = kText;
  std::string text;              // literal text, or the variable / section name
  std::vector<Node> children;
};

namespace {

std::string Trim(std::string s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

int LineOf(const std::string& text, size_t pos) {
  int line = 1;
  for (size_t i = 0; i < pos && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

// Looks up a dotted name in the context stack, innermost first.
const nlohmann::json* Lookup(const std::vector<const nlohmann::json*>& stack, const std::string& name) {
  if (name == ".") return stack.back();
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    const nlohmann::json* cur = *it;
    size_t pos = 0;
    bool found = true;
    while (pos <= name.size()) {
      size_t dot = name.find('.', pos);
      std::string part = name.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
      if (!cur->is_object() || !cur->contains(part)) {
        found = false;
        break;
      }
      cur = &(*cur)[part];
      if (dot == std::string::npos) break;
      pos = dot + 1;
    }
    if (found) return cur;
  }
  return nullptr;
}

bool Truthy(const nlohmann::json* v) {
  if (!v || v->is_null()) return false;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string()) return !v->get<std::string>().empty();
  if (v->is_array() || v->is_object()) return !v->empty();
  if (v->is_number_integer()) return v->get<int64_t>() != 0;
  if (v->is_number()) return v->get<double>() != 0;
  return true;
}

std::string Text(const nlohmann::json* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_array()) {
    std::string out;
    for (const auto& e : *v) out += (out.empty() ? "" : ", ") + Text(&e);
    return out;
  }
  return v->dump();
}

void RenderNodes(const std::vector<Template::Node>& nodes, std::vector<const nlohmann::json*>& stack,
                 std::string& out) {
  for (const auto& n : nodes) {
    if (out.size() > kMaxRenderedBytes) return;
    switch (n.kind) {
      case Template::Node::kText: out += n.text; break;
      case Template::Node::kVar: out += Text(Lookup(stack, n.text)); break;
      case Template::Node::kSection: {
        const nlohmann::json* v = Lookup(stack, n.text);
        if (!Truthy(v)) break;
        if (v->is_array()) {
          for (const auto& e : *v) {
            stack.push_back(&e);
            RenderNodes(n.children, stack, out);
            stack.pop_back();
            if (out.size() > kMaxRenderedBytes) return;
          }
        } else {
          stack.push_back(v);
          RenderNodes(n.children, stack, out);
          stack.pop_back();
        }
        break;
      }
      case Template::Node::kInverted:
        if (!Truthy(Lookup(stack, n.text))) RenderNodes(n.children, stack, out);
        break;
    }
  }
}

}  // namespace

Result<Template> Template::Compile(const std::string& text, const std::string& origin) {
  // Stack of open sections: (node list being filled, section name).
  std::vector<std::vector<Node>> lists(1);
  std::vector<std::pair<std::string, size_t>> open;  // name, position (for errors)
  std::vector<Node::Kind> open_kinds;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t a = text.find("{{", pos);
    if (a == std::string::npos) {
      lists.back().push_back({Node::kText, text.substr(pos), {}});
      break;
    }
    if (a > pos) lists.back().push_back({Node::kText, text.substr(pos, a - pos), {}});
    size_t b = text.find("}}", a + 2);
    if (b == std::string::npos) {
      return ParseError(origin + ":" + std::to_string(LineOf(text, a)) + ": unclosed '{{'");
    }
    std::string tag = Trim(text.substr(a + 2, b - a - 2));
    pos = b + 2;
    if (tag.empty()) return ParseError(origin + ":" + std::to_string(LineOf(text, a)) + ": empty tag");
    char sigil = tag[0];
    std::string name = Trim(tag.substr(1));
    if (sigil == '!') continue;
    // A section tag alone on its line (Mustache's "standalone" tag) takes
    // its line break with it; one that ends a line of text keeps it, so
    // "  - {{url}}{{#what}} ({{what}}){{/what}}\n" stays a line of its own.
    const bool line_start = a == 0 || text[a - 1] == '\n';
    auto eat_newline = [&] {
      if (line_start && pos < text.size() && text[pos] == '\n') ++pos;
    };
    if (sigil == '#' || sigil == '^') {
      if (static_cast<int>(open.size()) >= kMaxTemplateDepth) {
        return LimitExceeded(origin + ":" + std::to_string(LineOf(text, a)) +
                             ": sections nested deeper than kMaxTemplateDepth");
      }
      open.push_back({name, a});
      open_kinds.push_back(sigil == '#' ? Node::kSection : Node::kInverted);
      lists.emplace_back();
      eat_newline();
    } else if (sigil == '/') {
      if (open.empty() || open.back().first != name) {
        return ParseError(origin + ":" + std::to_string(LineOf(text, a)) + ": '{{/" + name +
                          "}}' closes " + (open.empty() ? "nothing" : "'" + open.back().first + "'"));
      }
      Node n{open_kinds.back(), name, std::move(lists.back())};
      lists.pop_back();
      open.pop_back();
      open_kinds.pop_back();
      lists.back().push_back(std::move(n));
      eat_newline();
    } else {
      lists.back().push_back({Node::kVar, tag, {}});
    }
  }
  if (!open.empty()) {
    return ParseError(origin + ":" + std::to_string(LineOf(text, open.back().second)) + ": section '" +
                      open.back().first + "' is never closed");
  }
  Template t;
  t.nodes_ = std::make_shared<const std::vector<Node>>(std::move(lists.front()));
  return t;
}

std::string Template::Render(const nlohmann::json& ctx) const {
  std::string out;
  if (!nodes_) return out;
  std::vector<const nlohmann::json*> stack{&ctx};
  RenderNodes(*nodes_, stack, out);
  if (out.size() > kMaxRenderedBytes) {
    out.resize(kMaxRenderedBytes);
    out += "\n[... cut at kMaxRenderedBytes]\n";
  }
  return out;
}

}  // namespace dragnet::reporters
