#include "web/charts.h"

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace dragnet::web {
namespace {

std::string Num(double v) {
  // One decimal at most; SVG coordinates need no more.
  long tenths = std::lround(v * 10);
  std::string s = std::to_string(tenths / 10);
  if (tenths % 10 != 0) s += "." + std::to_string(std::labs(tenths % 10));
  return s;
}

std::string SafeClass(const std::string& c) {
  std::string out;
  for (char ch : c) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-') out += ch;
  }
  return out;
}

}  // namespace

std::string EscapeXml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string StackedBarChart(const std::string& title, const std::vector<std::string>& categories,
                            const std::vector<ChartSeries>& series) {
  const double width = 640, height = 240, left = 40, bottom = 40, top = 30, right = 10;
  std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" + EscapeXml(title) + "</title>";
  svg += "<text class=\"chart-title\" x=\"" + Num(left) + "\" y=\"18\">" + EscapeXml(title) + "</text>";
  if (categories.empty()) return svg + "<text x=\"" + Num(left) + "\" y=\"80\">No data yet.</text></svg>";
  double max_total = 0;
  for (size_t i = 0; i < categories.size(); ++i) {
    double t = 0;
    for (const auto& s : series) t += i < s.values.size() ? s.values[i] : 0;
    max_total = std::max(max_total, t);
  }
  if (max_total <= 0) max_total = 1;
  double plot_w = width - left - right, plot_h = height - top - bottom;
  double slot = plot_w / static_cast<double>(categories.size());
  double bar = std::max(2.0, slot * 0.7);
  // Axis and its top value.
  svg += "<line class=\"axis\" x1=\"" + Num(left) + "\" y1=\"" + Num(top + plot_h) + "\" x2=\"" + Num(width - right) +
         "\" y2=\"" + Num(top + plot_h) + "\"/>";
  svg += "<text class=\"tick\" x=\"" + Num(left - 4) + "\" y=\"" + Num(top + 4) + "\" text-anchor=\"end\">" +
         Num(max_total) + "</text>";
  svg += "<text class=\"tick\" x=\"" + Num(left - 4) + "\" y=\"" + Num(top + plot_h) + "\" text-anchor=\"end\">0</text>";
  size_t label_every = std::max<size_t>(1, categories.size() / 7);
  for (size_t i = 0; i < categories.size(); ++i) {
    double x = left + slot * static_cast<double>(i) + (slot - bar) / 2;
    double y = top + plot_h;
    for (const auto& s : series) {
      double v = i < s.values.size() ? s.values[i] : 0;
      if (v <= 0) continue;
      double h = plot_h * v / max_total;
      y -= h;
      svg += "<rect class=\"" + SafeClass(s.css_class) + "\" x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" +
             Num(bar) + "\" height=\"" + Num(h) + "\"><title>" + EscapeXml(categories[i] + ": " + s.name + " " + Num(v)) +
             "</title></rect>";
    }
    if ((categories.size() - 1 - i) % label_every == 0) {  // the newest always labelled
      svg += "<text class=\"tick\" x=\"" + Num(x + bar / 2) + "\" y=\"" + Num(top + plot_h + 14) +
             "\" text-anchor=\"middle\">" + EscapeXml(categories[i]) + "</text>";
    }
  }
  double lx = left;
  for (const auto& s : series) {
    svg += "<rect class=\"" + SafeClass(s.css_class) + "\" x=\"" + Num(lx) + "\" y=\"" + Num(height - 14) +
           "\" width=\"10\" height=\"10\"/><text class=\"legend\" x=\"" + Num(lx + 14) + "\" y=\"" + Num(height - 5) +
           "\">" + EscapeXml(s.name) + "</text>";
    lx += 24 + 7.0 * static_cast<double>(s.name.size());
  }
  return svg + "</svg>";
}

std::string HorizontalBarChart(const std::string& title, const std::vector<BarRow>& rows) {
  const double width = 640, row_h = 22, top = 30, label_w = 260, right = 90;
  double height = top + row_h * static_cast<double>(std::max<size_t>(rows.size(), 1)) + 10;
  std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\"><title>" + EscapeXml(title) + "</title>";
  svg += "<text class=\"chart-title\" x=\"0\" y=\"18\">" + EscapeXml(title) + "</text>";
  if (rows.empty()) return svg + "<text x=\"0\" y=\"46\">No data yet.</text></svg>";
  double max_v = 0;
  for (const auto& r : rows) max_v = std::max(max_v, r.value);
  if (max_v <= 0) max_v = 1;
  double plot_w = width - label_w - right;
  for (size_t i = 0; i < rows.size(); ++i) {
    double y = top + row_h * static_cast<double>(i);
    std::string label = rows[i].label.size() > 40 ? CutText(rows[i].label, 39) + "…" : rows[i].label;
    double w = plot_w * rows[i].value / max_v;
    svg += "<text class=\"tick\" x=\"" + Num(label_w - 6) + "\" y=\"" + Num(y + 14) + "\" text-anchor=\"end\">" +
           EscapeXml(label) + "</text>";
    svg += "<rect class=\"bar\" x=\"" + Num(label_w) + "\" y=\"" + Num(y + 3) + "\" width=\"" + Num(std::max(w, 1.0)) +
           "\" height=\"" + Num(row_h - 6) + "\"/>";
    svg += "<text class=\"tick\" x=\"" + Num(label_w + w + 6) + "\" y=\"" + Num(y + 14) + "\">" +
           EscapeXml(rows[i].value_text) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace dragnet::web
