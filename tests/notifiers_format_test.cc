// Every rendered format against golden files (tests/testdata/golden/notifiers/), plus the small
// codecs and the alerting config. Regenerate the golden files after an intended change with
// PARKWATCH_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string_view>

#include "config/config.h"
#include "notifiers/receiver_types.h"
#include "notifiers/receivers.h"
#include "notifiers/router.h"
#include "notifiers/template.h"
#include "notifiers/transport.h"
#include "tests/support/alert_fixtures.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using nlohmann::json;

const int64_t kNowMs = 1707105600000;  // 2024-02-05 04:00:00 UTC = 12:00 in the park

std::string GoldenPath(const std::string& name) {
  return std::string(PARKWATCH_SOURCE_DIR) + "/tests/testdata/golden/notifiers/" + name;
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  if (std::getenv("PARKWATCH_UPDATE_GOLDEN")) {
    testing::WriteFile(GoldenPath(name), actual);
    return;
  }
  EXPECT_EQ(actual, testing::ReadFile(GoldenPath(name))) << "golden file " << name;
}

std::string Pretty(const std::string& body) { return json::parse(body).dump(2, ' ', false) + "\n"; }

// An enterprise's output alert as the engine and the register make it: the labels carry the
// credit code with the register's name and industry, the annotations the rule's title, measure
// and levels (rules/outcome.cc).
AlertNotice Notice(const std::string& enterprise, const std::string& severity, double value,
                   const std::string& status) {
  AlertNotice a;
  a.delivery_id = 7;
  a.notification_id = 3;
  a.rule = "KeyEnterpriseOutputDrop";
  const std::string code =
      enterprise == "常德精工装备" ? "91430700MA4L0B2X3K" : "91430700684910274A";
  a.labels = {{"scope", "enterprise"},
              {"enterprise", code},
              {"enterprise_name", enterprise},
              {"industry", "装备制造"}};
  a.annotations = {{"summary", enterprise + " output fell YoY"},
                   {"summary_zh", enterprise + " 2024年第5周 产值同比下降"},
                   {"title", "Key enterprise output drop"},
                   {"title_zh", "重点企业产值同比下降"},
                   {"rule_kind", "threshold"},
                   {"measure", "yoy(output_value)"},
                   {"indicator_title", "工业总产值"},
                   {"direction", "below"},
                   {"levels", "blue=-0.05 yellow=-0.1 orange=-0.2 red=-0.3"},
                   {"threshold", "-30.0%"},
                   {"dimension", "money"},
                   {"figure", "8765432.1"},
                   {"figure_year_ago", "12890341"},
                   {"recent",
                    "2023-W50=13012000/12500000;2023-W51=12980000/12800000;"
                    "2023-W52=11020000/11900000;2024-W01=9050000/;2024-W02=12500000/12410000;"
                    "2024-W03=11200000/12700000;2024-W04=9950000/12800000;"
                    "2024-W05=8765432.1/12890341"}};
  a.fingerprint = Fingerprint(a.rule, {{"scope", "enterprise"}, {"enterprise", code}});
  a.idempotency_key =
      a.fingerprint + "/2024-W05/" + (status == "firing" ? "firing" : "resolved") + "/" + severity;
  a.kind = status == "firing" ? EventKind::kFiring : EventKind::kResolved;
  a.severity = ParseSeverity(severity).value();
  a.period = Period::Week(2024, 5);
  a.value = value;
  a.value_at_firing = -0.32;
  a.fired_at = 1706932800;  // 2024-02-03 12:00 in the park
  a.at = 1707105600;
  return a;
}

Message TwoAlerts() {
  Message m;
  m.receiver = "leaders";
  m.group_key = "leaders:{alertname=\"KeyEnterpriseOutputDrop\"}";
  m.group_labels = {{"alertname", "KeyEnterpriseOutputDrop"}};
  m.alerts = {Notice("湖南恒达机械有限公司", "red", -0.32, "firing"),
              Notice("常德精工装备", "orange", 0.015, "resolved")};
  m.external_url = "http://parkwatch.example.gov.cn";
  m.grafana_url = "http://grafana.example.gov.cn/d/park-weekly";
  return m;
}

// A receiver "leaders" of type, read from parkwatch.yml text as an operator writes it, with
// the settings its type takes (and extra ones, like "max_alerts: 1").
ReceiverConfig Receiver(const std::string& type, const std::string& extra = "") {
  std::string settings;
  if (type == "email")
    settings =
        "smarthost: 127.0.0.1:25, from: 经开区经济运行局 <alerts@park.gov.cn>, "
        "to: [leader@park.gov.cn]";
  else if (type == "alertmanager")
    settings = "url: http://127.0.0.1/, resend_interval: 1m";
  else if (type == "wecom")
    settings = "url: http://127.0.0.1/, at_mobiles: [\"13800000000\"]";
  else if (type == "dingtalk")
    settings = "url: http://127.0.0.1/, secret: SEC000, at_mobiles: [\"13800000000\"]";
  else if (type == "feishu")
    settings = "url: http://127.0.0.1/, secret: SEC000";
  else
    settings = "url: http://127.0.0.1/";
  if (!extra.empty()) settings += ", " + extra;
  AlertingConfig c = testing::AlertingFromYaml("receivers: [{name: leaders, type: " + type + ", " +
                                               settings + "}]\nroute: {receiver: leaders}\n");
  return c.receivers.at(0);
}

TEST(NotifierFormatTest, TextsInChineseAndEnglish) {
  for (const std::string lang : {"zh", "en"}) {
    RenderedMessage r = Render(TwoAlerts(), Receiver("email"), lang);
    ExpectGolden("text_" + lang + ".txt", r.title + "\n\n" + r.text);
    ExpectGolden("markdown_" + lang + ".md", r.markdown);
    ExpectGolden("html_" + lang + ".html", r.html);
  }
}

// Every event (firing, escalated, de-escalated, resolved, a reminder) in both languages, one
// golden file per language: what a reader gets for each turn of an alert's life.
TEST(NotifierFormatTest, EveryEventInBothLanguages) {
  for (const std::string lang : {"zh", "en"}) {
    std::string all;
    for (EventKind kind : {EventKind::kFiring, EventKind::kEscalated, EventKind::kDeescalated,
                           EventKind::kResolved}) {
      for (bool repeat : {false, true}) {
        if (repeat && kind != EventKind::kFiring) continue;
        Message m = TwoAlerts();
        m.alerts.resize(1);
        m.alerts[0].kind = kind;
        m.alerts[0].repeat = repeat;
        if (kind == EventKind::kDeescalated) m.alerts[0].severity = Severity::kYellow;
        if (kind == EventKind::kResolved) m.alerts[0].value = -0.02;
        RenderedMessage r = Render(m, Receiver("email"), lang);
        all += "==== " + std::string(EventKindName(kind)) + (repeat ? " (repeat)" : "") + "\n" +
               r.title + "\n\n" + r.text + "\n";
      }
    }
    ExpectGolden("events_" + lang + ".txt", all);
  }
}

// The body says the figure with its unit this year and a year before, and the recent periods
// with their growth, so a director need not open the link to see the trend.
TEST(ChineseReaderTest, BodyGivesTheFigureInWanYuanAYearBeforeAndTheRecentWeeks) {
  Message m = TwoAlerts();
  m.alerts.resize(1);
  RenderedMessage r = Render(m, Receiver("email"), "zh");
  EXPECT_NE(r.text.find("工业总产值：本期 876.54万元，上年同期 1,289.03万元"), std::string::npos)
      << r.text;
  EXPECT_NE(r.text.find("近8周（万元）：第50周 1,301.20（+4.1%）；第51周"), std::string::npos)
      << r.text;
  EXPECT_NE(r.text.find("第1周 905.00；"), std::string::npos) << r.text;  // no year-ago figure
  EXPECT_NE(
      r.html.find("<td>第5周</td><td align=\"right\">876.54</td><td align=\"right\">1,289.03</td>"
                  "<td align=\"right\">-32.0%"),
      std::string::npos)
      << r.html;
  RenderedMessage en = Render(m, Receiver("email"), "en");
  EXPECT_NE(en.text.find("this period 876.54 ten thousand yuan"), std::string::npos) << en.text;
}

// An industry's year-to-date growth against its target: the totals of its caliber beside the
// growth, named as months to date and at current prices when the growth is at comparable ones.
TEST(ChineseReaderTest, AnIndustrysAlertGivesItsTotalsToDateAtCurrentPrices) {
  Message m = TwoAlerts();
  m.alerts.resize(1);
  AlertNotice& a = m.alerts[0];
  a.rule = "IndustryBelowTarget";
  a.labels = {{"scope", "industry"}, {"industry", "装备制造"}};
  a.annotations = {{"title_zh", "行业工业增加值累计增速低于目标"},
                   {"rule_kind", "threshold"},
                   {"measure", "ytd_yoy(value_added, prices=comparable_or_current)"},
                   {"indicator_title", "工业增加值"},
                   {"direction", "below"},
                   {"levels", "blue=-0.01 red=-0.06"},
                   {"measured", "0.023"},
                   {"target", "0.09"},
                   {"prices", "comparable"},
                   {"dimension", "money"},
                   {"figure", "3437724000"},
                   {"figure_year_ago", "3360000000"},
                   {"figure_span", "ytd"}};
  a.period = Period::Month(2026, 10);
  a.value = -0.067;
  a.severity = Severity::kRed;
  RenderedMessage r = Render(m, Receiver("email"), "zh");
  EXPECT_NE(r.text.find("工业增加值：2026年1—10月累计 343,772.40万元（现价），上年同期 "
                        "336,000.00万元"),
            std::string::npos)
      << r.text;
  // The gap to the target in words, never 低于目标-6.00个百分点.
  EXPECT_NE(r.text.find("低于红色预警线（低于目标6.00个百分点）"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("蓝色 低于目标1.00个百分点；红色 低于目标6.00个百分点"), std::string::npos)
      << r.text;
  RenderedMessage en = Render(m, Receiver("email"), "en");
  EXPECT_NE(en.text.find("January–October 2026 343,772.40 ten thousand yuan (current prices)"),
            std::string::npos)
      << en.text;
}

// A message about several alerts opens with their count by level, and says how many were left
// out past the receiver's limit.
TEST(ChineseReaderTest, AGroupMessageCountsItsAlertsByLevel) {
  Message m = TwoAlerts();
  m.alerts.push_back(Notice("湖南德山制药", "yellow", -0.12, "firing"));
  m.truncated = 4;
  RenderedMessage r = Render(m, Receiver("email"), "zh");
  EXPECT_EQ(r.text.substr(0, r.text.find('\n')),
            "共 7 条预警：红色 1 条、黄色 1 条；已恢复 1 条；另有 4 条未列出");
  RenderedMessage en = Render(m, Receiver("email"), "en");
  EXPECT_EQ(en.text.substr(0, en.text.find('\n')),
            "7 alerts: 1 red, 1 yellow; 1 resolved; 4 more not shown");
}

TEST(NotifierFormatTest, WireFormats) {
  const Message m = TwoAlerts();
  ExpectGolden("webhook.json", Pretty(WebhookBody(m, Receiver("webhook"))));
  ExpectGolden("alertmanager.json", Pretty(AlertmanagerBody(m, Receiver("alertmanager"), kNowMs)));
  auto wecom = WeComBodies(m, Receiver("wecom"), "zh");
  ASSERT_EQ(wecom.size(), 1u);
  ExpectGolden("wecom.json", Pretty(wecom[0]));
  ExpectGolden("dingtalk.json", Pretty(DingTalkBody(m, Receiver("dingtalk"), "zh")));
  ExpectGolden("feishu_post.json",
               Pretty(FeishuBody(m, Receiver("feishu", "message_format: post"), "zh", kNowMs)));
  ExpectGolden(
      "feishu_interactive.json",
      Pretty(FeishuBody(m, Receiver("feishu", "message_format: interactive"), "en", kNowMs)));
  ExpectGolden("email.eml", EmailMessage(m, Receiver("email"), "zh", kNowMs));
}

TEST(NotifierFormatTest, OverriddenTemplates) {
  ReceiverConfig rc = Receiver("wecom");
  rc.title_template = "[{{ level }}] {{ rule }} {{ title }} x{{ count }}";
  rc.text_template =
      "{{ name }} {{ enterprise }} {{ period_name }}: {{ value }} vs {{ threshold }} "
      "{{ label.scope }}";
  RenderedMessage r = Render(TwoAlerts(), rc, "zh");
  EXPECT_EQ(r.title, "[红色预警] KeyEnterpriseOutputDrop 重点企业产值同比下降 x2");
  EXPECT_EQ(r.text,
            "湖南恒达机械有限公司 91430700684910274A 2024年第5周: -32.0% vs -30.0% enterprise\n\n"
            "常德精工装备 91430700MA4L0B2X3K 2024年第5周: 1.5% vs -30.0% enterprise\n");
}

TEST(NotifierFormatTest, WebhookTruncatesToMaxAlerts) {
  ReceiverConfig rc = Receiver("webhook", "max_alerts: 1");
  json body = json::parse(WebhookBody(TwoAlerts(), rc));
  EXPECT_EQ(body["alerts"].size(), 1u);
  EXPECT_EQ(body["truncatedAlerts"], 1);
}

// The English words a Chinese reader would meet in a text: runs of 3+ ASCII letters that are not
// part of a URL, a markup tag or a code (a token with digits, like a credit code).
std::vector<std::string> EnglishWords(std::string text) {
  text = std::regex_replace(text, std::regex("https?://[^\\s)<\"]+"), " ");
  text = std::regex_replace(text, std::regex("<[^>]*>"), " ");
  std::vector<std::string> words;
  std::regex token("[A-Za-z0-9_]+");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), token);
       it != std::sregex_iterator(); ++it) {
    std::string w = it->str();
    bool letters_only = std::all_of(w.begin(), w.end(), [](char c) { return std::isalpha(c); });
    if (letters_only && w.size() >= 3) words.push_back(w);
  }
  return words;
}

TEST(ChineseReaderTest, EveryReceiverAndEventReadsWithoutEnglishWords) {
  for (const ReceiverType& type : ReceiverTypes()) {
    for (EventKind kind : {EventKind::kFiring, EventKind::kEscalated, EventKind::kDeescalated,
                           EventKind::kResolved}) {
      Message m = TwoAlerts();
      m.alerts.resize(1);
      m.alerts[0].kind = kind;
      if (kind == EventKind::kDeescalated) m.alerts[0].severity = Severity::kYellow;
      RenderedMessage r = Render(m, Receiver(std::string(type.name)), "zh");
      for (const std::string& text : {r.title, r.text, r.markdown, r.html}) {
        EXPECT_EQ(EnglishWords(text), std::vector<std::string>{})
            << type.name << " " << EventKindName(kind) << ":\n"
            << text;
      }
      EXPECT_NE(r.title.find("湖南恒达机械有限公司"), std::string::npos) << r.title;
      EXPECT_EQ(r.title.find("KeyEnterpriseOutputDrop"), std::string::npos) << r.title;
      EXPECT_EQ(r.text.find("无色"), std::string::npos) << r.text;
    }
  }
}

TEST(ChineseReaderTest, SubjectNamesTheEnterpriseTheFigureInWordsAndThePeriod) {
  Message m = TwoAlerts();
  m.alerts.resize(1);
  m.alerts[0].severity = Severity::kYellow;
  m.alerts[0].value = -0.165;
  m.alerts[0].labels["enterprise_name"] = "湖南德山制药";
  m.alerts[0].annotations["indicator_title"] = "产值";
  m.alerts[0].period = Period::Week(2025, 19);
  RenderedMessage r = Render(m, Receiver("email"), "zh");
  EXPECT_EQ(r.title, "【黄色预警】湖南德山制药 · 产值同比下降 16.5%（2025年第19周）");
  EXPECT_NE(r.text.find("产值同比下降16.5%，低于黄色预警线（下降10%）"), std::string::npos)
      << r.text;
  EXPECT_NE(r.text.find("2025年第19周（5月5日—5月11日）"), std::string::npos) << r.text;
  m.alerts[0].kind = EventKind::kResolved;
  m.alerts[0].value = -0.02;
  EXPECT_EQ(Render(m, Receiver("email"), "zh").title,
            "【已恢复】湖南德山制药 · 产值同比下降 2%（2025年第19周）");
}

// A sudden fall of a shrinking enterprise (fall()): the subject and the figure say its growth
// against last year (同比下降16.4%), not the value the lines compare (its fall from its own
// course, −12 %); a fact says the course and the usual swings in words.
TEST(ChineseReaderTest, AFallSaysTheGrowthAndTheEnterprisesOwnCourse) {
  Message m = TwoAlerts();
  m.alerts.resize(1);
  AlertNotice& a = m.alerts[0];
  a.severity = Severity::kYellow;
  a.value = -0.12;
  a.labels["enterprise_name"] = "湖南德山制药";
  a.period = Period::Week(2025, 19);
  a.annotations["measure"] = "fall(output_value, swings=2.5)";
  a.annotations["growth"] = "-0.164";
  a.annotations["swing"] = "0.042";
  a.annotations["swings"] = "2.5";
  a.annotations["levels"] = "yellow=-0.1 orange=-0.2";
  a.annotations["against_course_zh"] = "比此前一年的增速（同比下降5.0%）低11.4个百分点";
  RenderedMessage r = Render(m, Receiver("email"), "zh");
  // The lines say what else a breach needs: 2.5 of its usual swings below its own course.
  EXPECT_NE(r.text.find("预警线：黄色 下降10%；橙色 下降20%，且低于其自身走势2.5个常规波动幅度以上"
                        "（该企业增速的常规波动约±4.2个百分点）"),
            std::string::npos)
      << r.text;
  EXPECT_NE(
      Render(m, Receiver("email"), "en")
          .text.find("and at least 2.5 usual swings below its own course (this enterprise's growth "
                     "usually moves by about ±4.2 pp)"),
      std::string::npos)
      << Render(m, Receiver("email"), "en").text;
  EXPECT_EQ(r.title, "【黄色预警】湖南德山制药 · 工业总产值同比下降 16.4%（2025年第19周）");
  EXPECT_NE(r.text.find("指标：工业总产值同比下降16.4%，低于黄色预警线（下降10%）"),
            std::string::npos)
      << r.text;
  EXPECT_NE(r.text.find("与自身走势比：比此前一年的增速（同比下降5.0%）低11.4个百分点，其增速"
                        "通常在±4.2个百分点内波动"),
            std::string::npos)
      << r.text;
  // Resolved: the value at firing is the fall from its course, said as such.
  a.kind = EventKind::kResolved;
  a.value = -0.01;
  a.annotations["growth"] = "-0.01";
  a.value_at_firing = -0.12;
  RenderedMessage resolved = Render(m, Receiver("email"), "zh");
  EXPECT_NE(resolved.text.find("触发时：工业总产值较上年同期（逐年下降的企业较其自身走势）下降12%"),
            std::string::npos)
      << resolved.text;
}

TEST(ChineseReaderTest, AResolvedMissingReportNoLongerSaysNotReported) {
  Message m = TwoAlerts();
  m.alerts.resize(1);
  AlertNotice& a = m.alerts[0];
  a.rule = "WeeklyReportMissing";
  a.annotations = {{"title_zh", "重点企业周报未报送"},
                   {"rule_kind", "missing_report"},
                   {"summary_zh", "湖南恒达机械有限公司 未报送 2024年第5周 周报"},
                   {"levels", "yellow=1 red=2"},
                   {"direction", "above"}};
  a.value = 1;
  RenderedMessage firing = Render(m, Receiver("email"), "zh");
  EXPECT_NE(firing.title.find("重点企业周报未报送"), std::string::npos) << firing.title;
  a.kind = EventKind::kResolved;
  a.value = 0;
  RenderedMessage resolved = Render(m, Receiver("email"), "zh");
  EXPECT_EQ(resolved.title.find("未报送"), std::string::npos) << resolved.title;
  EXPECT_EQ(resolved.text.find("未报送"), std::string::npos) << resolved.text;
  EXPECT_NE(resolved.title.find("已补报"), std::string::npos) << resolved.title;
}

TEST(NotifierCodecTest, SignaturesMatchTheDocumentedAlgorithms) {
  // Reference values computed independently with Python's hmac/base64/urllib.
  EXPECT_EQ(Base64(HmacSha256("key", "The quick brown fox jumps over the lazy dog")),
            "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
  EXPECT_EQ(DingTalkSign(1707105600000, "SEC000"),
            "2Bph%2BUyMKV3QRLY%2FXtd23%2FJ%2FaIuZeXxUHX2GRoono8A%3D");
  EXPECT_EQ(FeishuSign(1707105600, "SEC000"), "VfBkI0Fz2ng/O6RdcNlS3/Of8hSffiPYVcDHAyK15Oc=");
  EXPECT_EQ(UrlEncode("a+b/c="), "a%2Bb%2Fc%3D");
}

TEST(NotifierCodecTest, HeaderWordsAndSplitting) {
  EXPECT_EQ(EncodeHeaderWord("plain ascii"), "plain ascii");
  const std::string subject = "【红色预警】KeyEnterpriseOutputDrop · 湖南恒达机械有限公司 2024-W05";
  const std::string encoded = EncodeHeaderWord(subject);
  size_t start = 0;
  while (start < encoded.size()) {
    size_t end = encoded.find("\r\n ", start);
    std::string word =
        encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(word.size(), 75u);
    EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u);
    start = end == std::string::npos ? encoded.size() : end + 3;
  }
  std::string text;
  for (int i = 0; i < 500; ++i) text += "第" + std::to_string(i) + "行：装备制造\n";
  auto parts = SplitUtf8(text, 4096);
  ASSERT_GT(parts.size(), 1u);
  std::string joined;
  for (const auto& p : parts) {
    EXPECT_LE(p.size(), 4096u);
    EXPECT_EQ(p.back(), '\n');  // split at line ends
    joined += p;
  }
  EXPECT_EQ(joined, text);
  // A single long line splits inside, but never inside a character.
  std::string line(3000, 'x');
  for (int i = 0; i < 1000; ++i) line += "中";
  for (const auto& p : SplitUtf8(line, 4096))
    EXPECT_NE(static_cast<unsigned char>(p[0]) & 0xC0, 0x80);
}

TEST(AlertingConfigTest, RoutesMatchersAndInheritance) {
  AlertingConfig c = testing::AlertingFromYaml(R"(
receivers:
  - {name: ops, type: webhook, url: "http://x/"}
  - {name: leaders, type: dingtalk, url: "http://y/", secret: s}
  - {name: chem, type: wecom, url: "http://z/"}
route:
  receiver: ops
  group_by: [alertname]
  group_wait: 30s
  repeat_interval: 12h
  routes:
    - matchers: ['severity=~"orange|red"']
      receiver: leaders
      group_wait: 0s
      continue: true
    - matchers: ['industry="医药化工"', 'scope!="park"']
      receiver: chem
)");
  ASSERT_EQ(c.receivers.size(), 3u);
  EXPECT_EQ(c.receivers[1].rate_limit_per_minute, 20);  // robots default to 20/min
  EXPECT_EQ(c.receivers[0].rate_limit_per_minute, 0);
  auto m =
      MatchRoutes(c.route, {{"alertname", "A"}, {"severity", "red"}, {"industry", "医药化工"}});
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].receiver, "leaders");
  EXPECT_EQ(m[0].group_wait_ms, 0);
  EXPECT_EQ(m[0].repeat_interval_ms, 12 * 3600000);
  EXPECT_EQ(m[1].receiver, "chem");
  EXPECT_EQ(m[1].group_wait_ms, 30000);
  m = MatchRoutes(
      c.route,
      {{"alertname", "A"}, {"severity", "blue"}, {"industry", "医药化工"}, {"scope", "park"}});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].receiver, "ops");
  EXPECT_EQ(GroupKey(m[0], {{"alertname", "A"}}, "fp"), "ops:{alertname=\"A\"}");
}

TEST(AlertingConfigTest, ErrorsCarryLineAndColumnAndSecretsStayOut) {
  testing::TempDir dir;
  testing::WriteFile(dir / "ding.secret", "topsecret\n");
  const std::string text = R"(alerting:
  receivers:
    - {name: ding, type: dingtalk, url: "http://y/", secret_file: ding.secret}
    - {name: bad, type: pager}
  route:
    receiver: nobody
    routes:
      - matchers: ['severity=~"(unclosed"']
  delivery: {max_attempts: 0, initial_backoff: soon}
)";
  InstallReceiverTypes();
  Config config;
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(ParseConfig(text, dir / "parkwatch.yml", &config, &diagnostics));
  const std::string all = JoinDiagnostics(diagnostics);
  EXPECT_NE(all.find("parkwatch.yml:4:"), std::string::npos) << all;  // type: pager
  EXPECT_NE(all.find("must be email, webhook"), std::string::npos) << all;
  EXPECT_NE(all.find("no receiver named \"nobody\""), std::string::npos) << all;
  EXPECT_NE(all.find("invalid regular expression"), std::string::npos) << all;
  EXPECT_NE(all.find("alerting.delivery.max_attempts"), std::string::npos) << all;
  EXPECT_NE(all.find("expected a duration"), std::string::npos) << all;
  EXPECT_EQ(all.find("topsecret"), std::string::npos);

  // The same file without the mistakes loads, with the secret from its file.
  const std::string good = R"(global: {external_url: "http://pw.example/"}
alerting:
  receivers:
    - {name: ding, type: dingtalk, url: "http://y/", secret_file: ding.secret}
  route: {receiver: ding}
)";
  diagnostics.clear();
  ASSERT_TRUE(ParseConfig(good, dir / "parkwatch.yml", &config, &diagnostics))
      << JoinDiagnostics(diagnostics);
  EXPECT_EQ(config.alerting.receivers[0].Options<DingTalkConfig>().secret, "topsecret");
  EXPECT_EQ(config.alerting.external_url, "http://pw.example/");
  EXPECT_TRUE(config.alerting.enabled());
}

TEST(AlertingConfigTest, UnknownReceiverTypeIsAnErrorAtItsLineNotAWebhook) {
  InstallReceiverTypes();
  const std::string text = R"(alerting:
  receivers:
    - name: ops
      type: webhok
      url: "http://x/"
  route: {receiver: ops}
)";
  Config config;
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(ParseConfig(text, "/etc/parkwatch/parkwatch.yml", &config, &diagnostics));
  ASSERT_EQ(diagnostics.size(), 1u) << JoinDiagnostics(diagnostics);  // not also "url: unknown"
  EXPECT_EQ(diagnostics[0].ToString(),
            "/etc/parkwatch/parkwatch.yml:4:13: alerting.receivers[0].type: must be email, "
            "webhook, alertmanager, wecom, dingtalk or feishu");
  EXPECT_TRUE(config.alerting.receivers.empty());  // nothing was made of it

  // A type's settings belong to that type: a mail server on a webhook is misplaced, not used.
  diagnostics.clear();
  EXPECT_FALSE(
      ParseConfig("alerting:\n  receivers:\n    - {name: ops, type: webhook, url: \"http://x/\", "
                  "smarthost: \"mail:25\"}\n  route: {receiver: ops}\n",
                  "parkwatch.yml", &config, &diagnostics));
  EXPECT_NE(JoinDiagnostics(diagnostics).find("parkwatch.yml:3:"), std::string::npos);
  EXPECT_NE(JoinDiagnostics(diagnostics).find("alerting.receivers[0].smarthost: unknown field"),
            std::string::npos)
      << JoinDiagnostics(diagnostics);
}

TEST(ReceiverTypeTableTest, ListsEveryTypeOnceAndEachLoadsAndBuilds) {
  std::set<std::string_view> names;
  for (const ReceiverType& type : ReceiverTypes()) {
    EXPECT_TRUE(names.insert(type.name).second) << type.name << " is listed twice";
    EXPECT_EQ(FindReceiverType(type.name), &type);
    ASSERT_NE(type.read, nullptr) << type.name;
    ASSERT_NE(type.make, nullptr) << type.name;
    EXPECT_EQ(type.groups_itself, type.resend_interval_ms != nullptr) << type.name;
    // Each type is read from parkwatch.yml into its own settings and built into a receiver.
    ReceiverConfig rc = Receiver(std::string(type.name));
    EXPECT_EQ(rc.type, type.name);
    ASSERT_NE(rc.options, nullptr) << type.name;
    EXPECT_EQ(rc.rate_limit_per_minute, type.robot ? 20 : 0) << type.name;
    EXPECT_NE(MakeReceiver(rc, AlertingConfig{}), nullptr) << type.name;
  }
  EXPECT_EQ(names, (std::set<std::string_view>{"email", "webhook", "alertmanager", "wecom",
                                               "dingtalk", "feishu"}));
  EXPECT_EQ(FindReceiverType("pager"), nullptr);
  ReceiverConfig unknown;
  unknown.type = "pager";
  EXPECT_THROW(MakeReceiver(unknown, AlertingConfig{}), std::invalid_argument);
}

TEST(AlertingConfigTest, Durations) {
  EXPECT_EQ(ParseDurationMs("500ms"), 500);
  EXPECT_EQ(ParseDurationMs("1h30m"), 5400000);
  EXPECT_EQ(ParseDurationMs("2d"), 172800000);
  EXPECT_FALSE(ParseDurationMs("5"));
  EXPECT_FALSE(ParseDurationMs("fast"));
}

TEST(InhibitionTest, ParkRedSuppressesSameRuleEnterprisesInItsIndustry) {
  AlertingConfig c = testing::AlertingFromYaml(R"(
receivers: [{name: ops, type: webhook, url: "http://x/"}]
route: {receiver: ops}
inhibit_rules:
  - source_matchers: ['scope="industry"', 'severity="red"']
    target_matchers: ['scope="enterprise"']
    equal: [alertname, industry]
)");
  std::vector<std::pair<std::string, Labels>> sources = {{"s1",
                                                          {{"alertname", "OutputDrop"},
                                                           {"scope", "industry"},
                                                           {"industry", "装备制造"},
                                                           {"severity", "red"}}}};
  Labels same = {{"alertname", "OutputDrop"},
                 {"scope", "enterprise"},
                 {"industry", "装备制造"},
                 {"severity", "orange"}};
  Labels other_industry = same;
  other_industry["industry"] = "医药化工";
  Labels other_rule = same;
  other_rule["alertname"] = "PowerDrop";
  EXPECT_TRUE(IsInhibited(c.inhibit_rules, same, "t", sources));
  EXPECT_FALSE(IsInhibited(c.inhibit_rules, other_industry, "t", sources));
  EXPECT_FALSE(IsInhibited(c.inhibit_rules, other_rule, "t", sources));
}

TEST(TransportTest, OnlyHttpAndHttpsAreSpokenWhateverTheUrl) {
  // The config refuses other schemes; libcurl is held to http and https as well, so a URL that
  // got past the check (or a redirect) can never read a local file or speak another protocol.
  for (const char* url : {"file:///etc/passwd", "gopher://127.0.0.1:1/", "dict://127.0.0.1:1/",
                          "ftp://127.0.0.1:1/x"}) {
    PostResult r = HttpPost(url, "{}", {}, 2000);
    EXPECT_EQ(r.status, 0) << url;
    EXPECT_NE(r.error.find("rotocol"), std::string::npos) << url << ": " << r.error;
  }
}

TEST(TransportTest, ReceiverUrlsMustBeHttp) {
  InstallReceiverTypes();
  for (const char* url : {"file:///etc/passwd", "gopher://x/", "ftp://x/", "x"}) {
    Config c;
    std::vector<Diagnostic> d;
    std::string yaml =
        std::string("alerting:\n  receivers:\n    - {name: a, type: webhook, url: '") + url +
        "'}\n  route: {receiver: a}\n";
    EXPECT_FALSE(ParseConfig(yaml, "/x/parkwatch.yml", &c, &d)) << url;
    EXPECT_NE(JoinDiagnostics(d).find("parkwatch.yml:3:37: alerting.receivers[0].url: must be an "
                                      "http:// or https:// URL"),
              std::string::npos)
        << JoinDiagnostics(d);
  }
}

// Enterprises missing the same week's report, grouped for one receiver, read as one digest.
TEST(MessageTemplateTest, MissingReportsOfOnePeriodAreOneDigest) {
  Message msg;
  msg.receiver = "ops";
  for (const char* name : {"甲公司", "乙公司", "丙公司"}) {
    AlertNotice a = Notice(std::string("9143070000000000") + name, "yellow", 1, "firing");
    a.rule = "WeeklyReportMissing";
    a.labels["enterprise_name"] = name;
    a.annotations = {{"missing_period", "2025年第20周"}};
    msg.alerts.push_back(a);
  }
  EXPECT_EQ(Render(msg, Receiver("email"), "zh").title,
            "3 家企业未报 2025年第20周：甲公司、乙公司、丙公司");
  EXPECT_EQ(Render(msg, Receiver("email"), "en").title,
            "3 enterprises have not reported 2025年第20周: 甲公司, 乙公司, 丙公司");
  // One that reported since (resolved) makes it an ordinary message again.
  msg.alerts[1].kind = EventKind::kResolved;
  EXPECT_EQ(Render(msg, Receiver("email"), "zh").title.find("家企业未报"), std::string::npos);
}

}  // namespace
}  // namespace parkwatch
