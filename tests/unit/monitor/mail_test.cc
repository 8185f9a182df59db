// The abuse mailbox's parser and classifier on real-shaped mail
// (tests/fixtures/monitor/mail: a Postfix DSN, two bounces from sisimai's
// set of emails, OTRS and RT auto-acknowledgements, a human reply with
// encoded words), every line-end convention, and hostile input that hits
// each cap.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/text.h"
#include "monitor/inbox.h"
#include "monitor/mail.h"
#include "tests/harness/harness.h"

namespace dragnet::monitor {
namespace {

const char* kDomain = "dragnet-test.test";
const char* kOurId = "11111111-2222-4333-8444-555555555555";

std::string Mailfile(const std::string& name) {
  return dragnet::testing::ReadAll(dragnet::testing::Fixture("monitor/mail/" + name));
}

TicketPatterns Tickets() {
  auto t = TicketPatterns::Compile({});
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

Classified Classify(const std::string& bytes) {
  auto m = ParseMail(bytes);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return ClassifyMail(*m, kDomain, Tickets());
}

std::string WithLineEnds(std::string text, const std::string& eol) {
  std::string lf;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    lf.push_back(text[i]);
  }
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += eol;
    else out.push_back(c);
  }
  return out;
}

TEST(Mail, PostfixDsnNamesTheFailedAddressAndOurMessage) {
  for (const char* eol : {"\n", "\r\n", "\r"}) {
    std::string bytes = WithLineEnds(Mailfile("dsn-postfix.eml"), eol);
    auto m = ParseMail(bytes);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->content_type, "multipart/report");
    EXPECT_EQ(m->report_type, "delivery-status");
    auto dsn = ParseDsn(*m);
    ASSERT_TRUE(dsn.has_value()) << "eol " << (int)eol[0];
    EXPECT_EQ(dsn->reporting_mta, "dns; mx.registrar.test");
    ASSERT_EQ(dsn->recipients.size(), 1u);
    EXPECT_EQ(dsn->recipients[0].final_recipient, "abuse@registrar.test");
    EXPECT_EQ(dsn->recipients[0].action, "failed");
    EXPECT_EQ(dsn->recipients[0].status, "5.1.1");
    EXPECT_NE(dsn->recipients[0].diagnostic.find("User unknown"), std::string::npos);
    EXPECT_EQ(dsn->original_message_id, std::string(kOurId) + "@" + kDomain);
    Classified c = ClassifyMail(*m, kDomain, Tickets());
    EXPECT_EQ(c.kind, "bounce");
    ASSERT_EQ(c.refs.size(), 1u);
    EXPECT_EQ(c.refs[0], kOurId);
    EXPECT_EQ(c.case_id, "DN-0123456789AB");
    ASSERT_EQ(c.failed.size(), 1u);
  }
}

TEST(Mail, GmailDsnWithAnEmptyStatusPartFallsBackToXFailedRecipients) {
  auto m = ParseMail(Mailfile("sisimai-lhost-googleworkspace-01.eml"));
  ASSERT_TRUE(m.ok());
  auto dsn = ParseDsn(*m);
  ASSERT_TRUE(dsn.has_value());
  ASSERT_EQ(dsn->recipients.size(), 1u);
  EXPECT_EQ(dsn->recipients[0].final_recipient, "neko-nyaan-cat-meeting@google-groups.example.com");
  EXPECT_EQ(dsn->recipients[0].action, "failed");
  // Not about one of our messages: nothing to act on.
  EXPECT_EQ(ClassifyMail(*m, kDomain, Tickets()).kind, "unrelated");
}

TEST(Mail, BounceWithoutADsnIsNotMistakenForOne) {
  auto m = ParseMail(Mailfile("sisimai-lhost-dragonfly-01.eml"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Header("Subject"), "Mail delivery failed");
  EXPECT_FALSE(ParseDsn(*m).has_value());
  EXPECT_EQ(ClassifyMail(*m, kDomain, Tickets()).kind, "unrelated");
}

TEST(Mail, OtrsAcknowledgementKeepsItsTicketNumber) {
  Classified c = Classify(Mailfile("ack-otrs.eml"));
  EXPECT_EQ(c.kind, "auto_ack");
  EXPECT_EQ(c.ticket, "2026113010000042");
  EXPECT_EQ(c.refs, std::vector<std::string>{kOurId});
  EXPECT_EQ(c.case_id, "DN-0123456789AB");
  EXPECT_EQ(c.from, "abuse@registrar.test");
}

TEST(Mail, RequestTrackerAutoReplyThreadsByCaseIdInTheSubject) {
  Classified c = Classify(Mailfile("ack-rt.eml"));
  EXPECT_EQ(c.kind, "auto_ack");
  EXPECT_EQ(c.ticket, "48213");
  EXPECT_TRUE(c.refs.empty());
  EXPECT_EQ(c.case_id, "DN-0123456789AB");
}

TEST(Mail, HumanReplyWithEncodedWordsAndLatin1Body) {
  auto m = ParseMail(Mailfile("reply-human.eml"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Header("From"), "Jörg Müller <joerg@hosting.test>");
  EXPECT_EQ(m->Header("Subject"), "Re: [DN-0123456789AB] Phishing – done");
  Classified c = ClassifyMail(*m, kDomain, Tickets());
  EXPECT_EQ(c.kind, "reply");
  EXPECT_EQ(c.refs, std::vector<std::string>{kOurId});
  EXPECT_NE(c.excerpt.find("we suspended the customer account"), std::string::npos) << c.excerpt;
  EXPECT_NE(c.excerpt.find("Grüße, Jörg"), std::string::npos) << c.excerpt;
  EXPECT_TRUE(c.ticket.empty());
}

TEST(Mail, OurOwnReportInTheMailboxIsNotAnAnswer) {
  std::string own = "From: takedown@dragnet-test.test\nTo: abuse@registrar.test\nSubject: [DN-0123456789AB] x\n"
                    "Message-ID: <" + std::string(kOurId) + "@" + kDomain + ">\nAuto-Submitted: auto-generated\n\nbody\n";
  EXPECT_EQ(Classify(own).kind, "own");
}

TEST(Mail, MessageWithNoHeaderIsAnError) {
  EXPECT_FALSE(ParseMail("").ok());
  EXPECT_FALSE(ParseMail("\n\nbody only").ok());
  EXPECT_EQ(AddressOf("rfc822; User@Example.TEST"), "user@example.test");
  EXPECT_EQ(AddressOf("\"x\" <a@b.test>"), "a@b.test");
  EXPECT_EQ(AddressOf("no address here"), "");
  EXPECT_EQ(MessageIds("<a@b> junk <c@d>"), (std::vector<std::string>{"a@b", "c@d"}));
}

// ------------------------------------------------------------------- caps

TEST(MailCaps, NestingStopsAtkMaxMimeDepth) {
  std::string m = "From: x@y.test\nSubject: deep\n";
  std::string tail;
  for (int i = 0; i < 50; ++i) {
    m += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\n\n--b" + std::to_string(i) + "\n";
    tail = "\n--b" + std::to_string(i) + "--\n" + tail;
  }
  m += "Content-Type: text/plain\n\nleaf\n" + tail;
  auto parsed = ParseMail(m);
  ASSERT_TRUE(parsed.ok());
  bool noted = false;
  for (const auto& n : parsed->notes) noted |= n.find("kMaxMimeDepth") != std::string::npos;
  EXPECT_TRUE(noted);
  EXPECT_TRUE(parsed->parts.empty());
}

TEST(MailCaps, PartsStopAtkMaxMimeParts) {
  std::string m = "From: x@y.test\nContent-Type: multipart/mixed; boundary=\"b\"\n\n";
  for (int i = 0; i < 500; ++i) m += "--b\nContent-Type: text/plain\n\npart " + std::to_string(i) + "\n";
  m += "--b--\n";
  auto parsed = ParseMail(m);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->parts.size(), kMaxMimeParts);
  bool noted = false;
  for (const auto& n : parsed->notes) noted |= n.find("kMaxMimeParts") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(MailCaps, HeaderBlockStopsAtkMaxHeaderBytes) {
  std::string m;
  for (int i = 0; i < 20000; ++i) m += "X-Filler-" + std::to_string(i) + ": " + std::string(40, 'a') + "\n";
  m += "\nbody\n";
  auto parsed = ParseMail(m);
  ASSERT_TRUE(parsed.ok());
  EXPECT_LE(parsed->headers.size(), kMaxHeaders + 1);
  bool noted = false;
  for (const auto& n : parsed->notes) noted |= n.find("kMaxHeaderBytes") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(MailCaps, HostileBytesAreTextAndDsnGroupsAreBounded) {
  std::string m = "From: \xff\xfe <x@y.test>\nSubject: =?UTF-8?B?/w==?= \x01\nContent-Type: multipart/report; "
                  "report-type=delivery-status; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\n";
  for (int i = 0; i < 1000; ++i) m += "Final-Recipient: rfc822; u" + std::to_string(i) + "@x.test\nAction: failed\n\n";
  m += "--b--\n";
  auto parsed = ParseMail(m);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(IsValidUtf8(parsed->Header("From")));
  EXPECT_TRUE(IsValidUtf8(parsed->Header("Subject")));
  auto dsn = ParseDsn(*parsed);
  ASSERT_TRUE(dsn.has_value());
  EXPECT_EQ(dsn->recipients.size(), kMaxDsnRecipients);
}

TEST(MailCaps, TicketsAndReferencesAreSoughtInTheFirstkMaxScanTextBytes) {
  std::string near = "From: a@registrar.test\nSubject: [DN-0123456789AB] Received\nAuto-Submitted: auto-replied\n\n"
                     "Your ticket number is 777123.\n";
  EXPECT_EQ(Classify(near).ticket, "777123");
  std::string far = "From: a@registrar.test\nSubject: Received\nAuto-Submitted: auto-replied\n\n" +
                    std::string(kMaxScanTextBytes, ' ') + "Your ticket number is 777123 [DN-0123456789AB].\n";
  Classified c = Classify(far);
  EXPECT_TRUE(c.ticket.empty());
  EXPECT_EQ(c.kind, "unrelated") << "a reference past the scanned text is not seen";
}

TEST(Maildir, ListsNewAndCurByUniqueNameAndSkipsDotFiles) {
  dragnet::testing::TempDir d;
  std::filesystem::create_directories(d.File("new"));
  std::filesystem::create_directories(d.File("cur"));
  dragnet::testing::WriteAll(d.File("new/1700000000.M1P1.host"), "From: a@b\n\nx");
  dragnet::testing::WriteAll(d.File("cur/1600000000.M2P2.host:2,S"), "From: a@b\n\nx");
  dragnet::testing::WriteAll(d.File("new/.tmpfile"), "x");
  auto l = ListMaildir(d.path(), 10);
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 2u);
  EXPECT_EQ((*l)[0].key, "1600000000.M2P2.host");
  EXPECT_EQ((*l)[1].key, "1700000000.M1P1.host");
  EXPECT_EQ(ListMaildir(d.path(), 1)->size(), 1u);
  EXPECT_FALSE(ListMaildir(d.File("missing"), 10).ok());
}

}  // namespace
}  // namespace dragnet::monitor
