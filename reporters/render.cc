#include "core/json.h"
#include "reporters/render.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <set>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/strings.h"
#include "core/url.h"
#include "reporters/evidence.h"
#include "reporters/mime.h"
#include "reporters/xarf.h"

namespace dragnet::reporters {

// -------------------------------------------------------------- templates ---

Result<TemplateSet> TemplateSet::Load(const std::string& dir) {
  TemplateSet set;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return NotFound("templates folder " + dir + ": " + ec.message());
  for (const auto& entry : it) {
    if (!entry.is_directory()) continue;
    std::string lang = entry.path().filename().string();
    std::string sp = entry.path().string() + "/subject.txt";
    std::string bp = entry.path().string() + "/body.txt";
    auto st = ReadFile(sp, 64 << 10);
    if (!st.ok()) return Status(st.status().code(), "template " + sp + ": " + st.status().message());
    auto bt = ReadFile(bp, 1 << 20);
    if (!bt.ok()) return Status(bt.status().code(), "template " + bp + ": " + bt.status().message());
    auto s = Template::Compile(*st, sp);
    if (!s.ok()) return s.status();
    auto b = Template::Compile(*bt, bp);
    if (!b.ok()) return b.status();
    set.by_lang_.emplace(lang, std::make_pair(std::move(s).value(), std::move(b).value()));
  }
  if (!set.by_lang_.count("en")) return NotFound("templates folder " + dir + ": no 'en' templates (the default)");
  return set;
}

std::string TemplateSet::Resolve(const std::string& lang, const std::string& fallback) const {
  if (by_lang_.count(lang)) return lang;
  if (by_lang_.count(fallback)) return fallback;
  return "en";
}

std::pair<const Template*, const Template*> TemplateSet::For(const std::string& lang,
                                                             const std::string& fallback) const {
  const auto& p = by_lang_.at(Resolve(lang, fallback));
  return {&p.first, &p.second};
}

std::vector<std::string> TemplateSet::languages() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : by_lang_) out.push_back(k);
  return out;
}

// ----------------------------------------------------------------- helpers ---

std::string Rfc5322Date(int64_t unix_ms) {
  time_t t = static_cast<time_t>(unix_ms / 1000);
  struct tm tm {};
  gmtime_r(&t, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto two = [](int v) { return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10); };
  return std::string(kDays[tm.tm_wday]) + ", " + two(tm.tm_mday) + " " + kMonths[tm.tm_mon] + " " +
         std::to_string(tm.tm_year + 1900) + " " + two(tm.tm_hour) + ":" + two(tm.tm_min) + ":" + two(tm.tm_sec) +
         " +0000";
}

namespace {

// "Org Name" <addr>, with the display name encoded when it is not plain ASCII.
std::string AddressValue(const std::string& display, const std::string& addr) {
  std::string d = SanitizeHeaderText(display);
  if (d.empty()) return "<" + addr + ">";
  if (IsPlainAscii(d) && d.find_first_of("\"\\") == std::string::npos) return "\"" + d + "\" <" + addr + ">";
  return EncodeWords(d, 40) + " <" + addr + ">";
}

// Display form of a possibly hostile URL for the text body: one line, no
// controls, IDN hosts in both forms so the reader sees what a victim saw.
std::string DisplayUrl(const std::string& url) { return SafeUri(url); }

std::string KindAsk(const std::string& kind) {
  return kind;  // templates switch on ask_<kind>
}

}  // namespace

// ------------------------------------------------------- browser stage ---

namespace {

// The landing page's screenshot (#14): attached as image/png, listed in
// the X-ARF evidence and in the text's evidence list.
void AttachScreenshot(const SeedResult& r, std::vector<XarfEvidence>& ev, nlohmann::json& ev_ctx,
                      std::vector<MimePart>& attachments, size_t& attached, std::vector<std::string>& notes) {
  ScreenshotRef shot = LandingScreenshot(r);
  if (!shot.found) return;
  auto png = ReadCaptureBody(shot.blob);
  if (!png.ok()) {
    notes.push_back(png.status().message());
    return;
  }
  std::string name = "screenshot-" + shot.profile + "-" + shot.sha256.substr(0, 16) + ".png";
  std::string what = "Screenshot of " + DisplayUrl(shot.url) + " in a browser with the " + shot.profile +
                     " profile (User-Agent " + SanitizeHeaderText(shot.user_agent) + ")";
  ev_ctx.push_back({{"sha256", shot.sha256}, {"time", r.finished_at}, {"url", DisplayUrl(shot.url)},
                    {"what", "screenshot (" + shot.profile + "), attached as " + name}});
  ev.push_back({"image/png", what, *png, shot.sha256});
  bool dup = std::any_of(attachments.begin(), attachments.end(), [&](const MimePart& p) { return p.filename == name; });
  if (dup) return;
  if (attached + png->size() > kMaxAttachmentBytes) {
    notes.push_back("screenshot " + shot.sha256 + " not attached (kMaxAttachmentBytes)");
    return;
  }
  attached += png->size();
  attachments.push_back({"image/png", name, std::move(png).value()});
}

}  // namespace

// ------------------------------------------------------------------ render ---

RenderedMessage RenderMessage(const OutboxMessage& m, const std::vector<RenderItem>& items,
                              const ReporterOptions& o, const TemplateSet& templates, int64_t now_ms) {
  using nlohmann::json;
  RenderedMessage out;
  const ReportItem& first = items.front().item;
  out.language = templates.Resolve(first.language, o.default_language);

  std::vector<MimePart> attachments;
  size_t attached = 0;
  std::set<std::string> case_ids, hosts, brands, types, manifests_done;
  bool dns_abuse = false;  // some URL is of a type in policy.registrar_types
  json reports = json::array();
  int n = 0;
  for (const auto& ri : items) {
    const SeedResult& r = ri.result;
    const ReportItem& it = ri.item;
    ++n;
    case_ids.insert(it.case_id);
    auto pu = ParseUrl(it.url);
    if (pu.ok()) hosts.insert(pu->host_unicode == pu->host ? pu->host : pu->host + " (" + pu->host_unicode + ")");
    std::string type = XarfType(r);
    types.insert(type == "fraud" ? ScamTypeWords(r.verdict ? r.verdict->scam_type : "") : type);
    {
      const std::string st = r.verdict ? AsciiLower(r.verdict->scam_type) : std::string();
      if (std::find(o.registrar_types.begin(), o.registrar_types.end(), st) != o.registrar_types.end()) dns_abuse = true;
    }
    if (r.verdict && !r.verdict->brand_impersonated.empty()) brands.insert(r.verdict->brand_impersonated);

    // Evidence: the captured HTML, hash-checked on read.
    std::vector<XarfEvidence> ev;
    json ev_ctx = json::array();
    std::string head, manifest_name;
    if (!r.evidence_manifest.empty()) {
      auto set = LoadEvidence(r.evidence_manifest);
      if (!set.ok()) {
        out.notes.push_back(set.status().message());
      } else {
        head = set->head;
        manifest_name = std::filesystem::path(r.evidence_manifest).filename().string();
        for (const auto& p : set->problems) out.notes.push_back(p);
        size_t xarf_bytes = 0;
        for (const auto& cap : set->captures) {
          ev_ctx.push_back({{"sha256", cap.sha256}, {"time", cap.time}, {"url", DisplayUrl(cap.url)}});
          auto body = ReadCaptureBody(cap);
          if (!body.ok()) {
            out.notes.push_back(body.status().message());
            continue;
          }
          if (xarf_bytes + body->size() <= kMaxXarfEvidenceBytes) {
            xarf_bytes += body->size();
            ev.push_back({"text/html", "HTML of " + DisplayUrl(cap.url) + " captured " + cap.time + " (SHA-256 " + cap.sha256 + ")",
                          *body, cap.sha256});
          } else {
            out.notes.push_back("capture " + cap.sha256 + " left out of the X-ARF evidence (kMaxXarfEvidenceBytes)");
          }
          auto gz = Gzip(*body);
          // Defanged: the file inside the gzip is .txt, so opening it shows
          // the source instead of rendering a live credential form.
          std::string name = "capture-" + cap.sha256.substr(0, 16) + ".html.txt.gz";
          if (gz.ok() && attached + gz->size() <= kMaxAttachmentBytes &&
              std::none_of(attachments.begin(), attachments.end(), [&](const MimePart& p) { return p.filename == name; })) {
            attached += gz->size();
            attachments.push_back({"application/gzip", name, std::move(gz).value()});
          } else if (gz.ok()) {
            out.notes.push_back("capture " + cap.sha256 + " not attached (kMaxAttachmentBytes)");
          }
        }
        AttachScreenshot(r, ev, ev_ctx, attachments, attached, out.notes);
        if (manifests_done.insert(r.evidence_manifest).second && attached + set->manifest_text.size() <= kMaxAttachmentBytes) {
          attached += set->manifest_text.size();
          attachments.push_back({"application/json", "evidence-manifest-" + it.case_id + ".json", set->manifest_text});
        }
      }
    }

    std::string verified = !it.verified_at.empty() ? it.verified_at : r.finished_at;
    json x = BuildXarf(r, {it.report_id, it.case_id, it.url, verified, ev}, o);
    out.xarf.push_back(x);
    std::string xname = "xarf-" + it.report_id + ".json";
    std::string xtext = DumpJson(x, 2) + "\n";
    attached += xtext.size();
    attachments.push_back({"application/json", xname, xtext});

    json reasons = json::array();
    if (r.verdict) {
      for (const auto& rs : r.verdict->reasons) reasons.push_back({{"rule", rs.rule}, {"detail", rs.detail}, {"weight", rs.weight}});
    }
    json ips = json::array();
    json rep = {{"n", n},
                {"url", DisplayUrl(it.url)},
                {"case_id", it.case_id},
                {"report_id", it.report_id},
                {"type", type},
                {"fraud_type", type == "fraud" ? ScamTypeWords(r.verdict ? r.verdict->scam_type : "") : ""},
                {"brand", r.verdict ? r.verdict->brand_impersonated : ""},
                {"score", r.verdict ? r.verdict->score : 0},
                {"label", r.verdict ? r.verdict->label : ""},
                {"reasons", reasons},
                {"why_you", it.reason},
                {"verified_at", verified},
                {"first_seen", r.started_at},
                {"evidence", ev_ctx},
                {"manifest", manifest_name},
                {"evidence_head", head},
                {"accounts", ri.accounts},
                {"title", [&] {
                   for (const auto& pg : r.pages) {
                     if (pg.url == r.final_url && !pg.title.empty()) return SanitizeHeaderText(pg.title);
                   }
                   return r.pages.empty() ? std::string() : SanitizeHeaderText(r.pages.front().title);
                 }()}};
    if (r.hosting) {
      const Hosting& h = *r.hosting;
      rep["registrar"] = h.registrar.name;
      rep["registrar_iana_id"] = h.registrar.iana_id;
      rep["domain"] = h.domain.name;
      rep["domain_created"] = h.domain.created;
      if (h.domain.age_days) rep["domain_age_days"] = *h.domain.age_days;
      for (const auto& ip : h.ips) {
        ips.push_back({{"ip", ip.ip}, {"asn", ip.asn}, {"as_org", ip.as_org}, {"country", ip.country}});
      }
      if (h.cdn) rep["cdn"] = h.cdn->name;
    }
    rep["ips"] = ips;
    if (r.cloaking && r.cloaking->detected) rep["cloaking"] = SanitizeHeaderText(r.cloaking->detail);
    json chain = json::array();
    if (!r.seed.empty() && r.seed != it.url) chain.push_back(DisplayUrl(r.seed));
    for (const auto& s : r.redirects) {
      std::string u = DisplayUrl(s.url);
      if (chain.empty() || chain.back() != u) chain.push_back(u);
    }
    if (chain.size() > 1 || (chain.size() == 1 && chain.back() != DisplayUrl(it.url))) {
      std::string text;
      for (const auto& u : chain) text += (text.empty() ? "" : " -> ") + u.get<std::string>();
      rep["chain"] = text;
    }
    reports.push_back(rep);
  }

  auto join = [](const std::set<std::string>& s) {
    std::string o2;
    for (const auto& v : s) o2 += (o2.empty() ? "" : ", ") + v;
    return o2;
  };
  json ctx = {{"org", o.org},
              {"contact_email", o.contact_email},
              {"recipient_name", first.recipient_name},
              {"recipient_kind", first.kind},
              {"ask_" + KindAsk(first.kind), true},
              {"dns_abuse", dns_abuse},
              {"case_ids", join(case_ids)},
              {"count", items.size()},
              {"plural", items.size() > 1},
              {"types", join(types)},
              {"is_phishing", types.count("phishing") > 0},
              {"brand", join(brands)},
              {"hosts", join(hosts)},
              {"reports", reports},
              {"evidence_key_fingerprint", o.evidence_key_fingerprint},
              {"evidence_public_key", o.evidence_public_key},
              {"message_id", m.id},
              {"report_ids", [&] {
                 std::string s;
                 for (const auto& ri : items) s += (s.empty() ? "" : ", ") + ri.item.report_id;
                 return s;
               }()}};
  AddFollowUpContext(ctx, items.front().followup, join(case_ids), o);
  auto [subject_t, body_t] = templates.For(out.language, o.default_language);
  out.subject = SanitizeHeaderText(subject_t->Render(ctx));
  out.body = body_t->Render(ctx);

  // ---- the email ----
  std::string from = o.smtp_from.empty() ? o.contact_email : o.smtp_from;
  std::string reply_to = o.smtp_reply_to.empty() ? o.contact_email : o.smtp_reply_to;
  std::string to = m.recipient.rfind("mailto:", 0) == 0 ? m.recipient.substr(7) : o.contact_email;
  std::vector<std::string> headers = {
      "From: " + AddressValue(o.org, from) + "\r\n",
      "To: <" + to + ">\r\n",
      "Reply-To: <" + reply_to + ">\r\n",
      HeaderField("Subject", out.subject),
      "Date: " + Rfc5322Date(now_ms) + "\r\n",
      "Message-ID: <" + m.id + "@" + o.domain + ">\r\n",
      "Auto-Submitted: auto-generated\r\n",
      "X-Auto-Response-Suppress: All\r\n",
      "X-XARF: PLAIN\r\n",
      HeaderField("X-Dragnet-Case", join(case_ids)),
      HeaderField("X-XARF-Report-ID", ctx["report_ids"].get<std::string>()),
  };
  AddFollowUpHeaders(headers, m, o);
  std::vector<MimePart> parts;
  parts.push_back({"text/plain; charset=utf-8", "", out.body});
  for (auto& a : attachments) {
    out.attachments.push_back(a.filename);
    parts.push_back(std::move(a));
  }
  out.eml = BuildMime(headers, parts, "dragnet-" + Sha256Hex(m.id).substr(0, 24));

  // ---- the webhook body ----
  json webhook = {{"message_id", m.id},
                  {"case_ids", json(std::vector<std::string>(case_ids.begin(), case_ids.end()))},
                  {"recipient", m.recipient},
                  {"subject", out.subject},
                  {"summary", out.body},
                  {"reports", out.xarf}};
  out.webhook_body = DumpJson(webhook);

  json meta_items = json::array();
  for (const auto& ri : items) {
    meta_items.push_back({{"item_id", ri.item.id},
                          {"case_id", ri.item.case_id},
                          {"url", ri.item.url},
                          {"report_id", ri.item.report_id},
                          {"reason", ri.item.reason},
                          {"verified_at", ri.item.verified_at}});
  }
  out.meta = {{"message_id", m.id},
              {"recipient", m.recipient},
              {"recipient_name", first.recipient_name},
              {"kind", first.kind},
              {"route", m.route},
              {"language", out.language},
              {"subject", out.subject},
              {"rendered_at", FormatRfc3339Ms(now_ms)},
              {"items", meta_items},
              {"attachments", out.attachments},
              {"notes", out.notes}};
  AddFollowUpMeta(out.meta, m, items.front().followup);
  return out;
}

}  // namespace dragnet::reporters
