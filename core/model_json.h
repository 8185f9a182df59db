#pragma once
// JSON for the data model (core/model.h), via nlohmann-json's ADL hooks:
// `nlohmann::json j = seed_result;` and `j.get<SeedResult>()` both work.
// Optional fields are omitted when absent, never written as null.

#include <nlohmann/json.hpp>

#include "core/model.h"

namespace dragnet {

void to_json(nlohmann::json& j, const TlsInfo& v);
void to_json(nlohmann::json& j, const Hop& v);
void to_json(nlohmann::json& j, const Indicator& v);
void from_json(const nlohmann::json& j, Indicator& v);
void to_json(nlohmann::json& j, const Reason& v);
void from_json(const nlohmann::json& j, Reason& v);
void to_json(nlohmann::json& j, const Verdict& v);
void from_json(const nlohmann::json& j, Verdict& v);
void to_json(nlohmann::json& j, const AbuseContact& v);
void from_json(const nlohmann::json& j, AbuseContact& v);
void to_json(nlohmann::json& j, const IpInfo& v);
void from_json(const nlohmann::json& j, IpInfo& v);
void to_json(nlohmann::json& j, const Registrar& v);
void from_json(const nlohmann::json& j, Registrar& v);
void to_json(nlohmann::json& j, const DomainInfo& v);
void from_json(const nlohmann::json& j, DomainInfo& v);
void to_json(nlohmann::json& j, const Cdn& v);
void from_json(const nlohmann::json& j, Cdn& v);
void to_json(nlohmann::json& j, const Hosting& v);
void from_json(const nlohmann::json& j, Hosting& v);
void to_json(nlohmann::json& j, const PageSummary& v);
void from_json(const nlohmann::json& j, PageSummary& v);
void to_json(nlohmann::json& j, const ScriptSummary& v);
void from_json(const nlohmann::json& j, ScriptSummary& v);
void to_json(nlohmann::json& j, const RedirectStep& v);
void from_json(const nlohmann::json& j, RedirectStep& v);
void to_json(nlohmann::json& j, const ReportSummary& v);
void from_json(const nlohmann::json& j, ReportSummary& v);
void to_json(nlohmann::json& j, const Favicon& v);
void from_json(const nlohmann::json& j, Favicon& v);
void to_json(nlohmann::json& j, const BrowserRequest& v);
void from_json(const nlohmann::json& j, BrowserRequest& v);
void to_json(nlohmann::json& j, const BrowserCapture& v);
void from_json(const nlohmann::json& j, BrowserCapture& v);
void to_json(nlohmann::json& j, const Cloaking& v);
void from_json(const nlohmann::json& j, Cloaking& v);
void to_json(nlohmann::json& j, const SeedResult& v);
void from_json(const nlohmann::json& j, SeedResult& v);

}  // namespace dragnet
