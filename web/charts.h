#pragma once
// Server-side SVG charts for the dashboard: the console sends finished
// <svg> markup (no JavaScript, allowed by the strict CSP as inline SVG).
// Every label and title is XML-escaped here; numbers are formatted by us.
// Pure functions; thread-safe.

#include <string>
#include <vector>

namespace dragnet::web {

// "&<>\"'" escaped for XML/HTML text and attribute values.
std::string EscapeXml(const std::string& s);

struct ChartSeries {
  std::string name;            // legend text
  std::string css_class;       // fill class in console.css (s-malicious, ...); [a-z0-9-] only
  std::vector<double> values;  // one per category
};

// Stacked vertical bars: one bar per category (x labels), one colour per series.
// An empty chart (no categories) says so in words.
std::string StackedBarChart(const std::string& title, const std::vector<std::string>& categories,
                            const std::vector<ChartSeries>& series);

// Horizontal bars, one per row, with the value printed after the bar.
struct BarRow {
  std::string label;
  double value = 0;
  std::string value_text;      // how to print the value ("3", "2h 10m")
};
std::string HorizontalBarChart(const std::string& title, const std::vector<BarRow>& rows);

}  // namespace dragnet::web
