// The console's sign-in: users and roles from the web config, sessions that follow the config in
// force and expire, the cookie's value read from a Cookie header, and the same-origin rule for
// writes. The browser test (tests/console/browser_test.py) drives the same through a daemon.
#include "daemon/sessions.h"

#include <gtest/gtest.h>

#include "config/web_config.h"
#include "daemon/auth.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

const std::string& RightPasswordHash() {
  static const std::string hash = HashPassword("right-password");
  return hash;
}

ConsoleConfig Users(Role zhang_role, const std::string& hash = RightPasswordHash()) {
  ConsoleConfig c;
  c.users["zhang"] = {zhang_role, hash};
  c.session_ttl_seconds = 3600;
  return c;
}

TEST(ConsoleSessionTest, ASignedInUserIsFoundByTheCookieUntilItExpires) {
  Sessions sessions;
  sessions.Configure(Users(Role::kOperator));
  std::string id;
  EXPECT_FALSE(sessions.Login("zhang", "wrong", 1000, &id));
  EXPECT_FALSE(sessions.Login("nobody", "right-password", 1000, &id));
  auto s = sessions.Login("zhang", "right-password", 1000, &id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->role, Role::kOperator);
  EXPECT_EQ(s->expires_at, 4600);
  EXPECT_EQ(s->csrf.size(), 64u);
  std::string cookie = "theme=dark; parkwatch_session=" + id + "; other=1";
  auto found = sessions.Find(cookie, 2000);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user, "zhang");
  EXPECT_EQ(found->csrf, s->csrf);
  EXPECT_FALSE(sessions.Find(cookie, 4600)) << "expired";
  EXPECT_FALSE(sessions.Find("parkwatch_session=" + id + "x", 2000));
  sessions.End(cookie);
  EXPECT_FALSE(sessions.Find(cookie, 2000)) << "signed out";
}

TEST(ConsoleSessionTest, AReloadChangesTheRoleOfOpenSessionsOrEndsThem) {
  Sessions sessions;
  sessions.Configure(Users(Role::kOperator));
  std::string id;
  ASSERT_TRUE(sessions.Login("zhang", "right-password", 1000, &id));
  std::string cookie = "parkwatch_session=" + id;
  sessions.Configure(Users(Role::kViewer));
  ASSERT_TRUE(sessions.Find(cookie, 1001));
  EXPECT_EQ(sessions.Find(cookie, 1001)->role, Role::kViewer);
  sessions.Configure(ConsoleConfig{});
  EXPECT_FALSE(sessions.Find(cookie, 1001)) << "a removed user's session ends";
  EXPECT_TRUE(sessions.anonymous_read()) << "without users reads are open, as before logins";
}

TEST(ConsoleSessionTest, APasswordChangedByAReloadSignsTheUserOutEverywhere) {
  Sessions sessions;
  sessions.Configure(Users(Role::kOperator));
  std::string first, second;
  ASSERT_TRUE(sessions.Login("zhang", "right-password", 1000, &first));
  ASSERT_TRUE(sessions.Login("zhang", "right-password", 1000, &second));
  sessions.Configure(Users(Role::kOperator));  // the same users again: nothing ends
  ASSERT_TRUE(sessions.Find("parkwatch_session=" + first, 1001));
  sessions.Configure(Users(Role::kOperator, HashPassword("new-password")));
  EXPECT_FALSE(sessions.Find("parkwatch_session=" + first, 1001)) << "the old password's session";
  EXPECT_FALSE(sessions.Find("parkwatch_session=" + second, 1001)) << "every one of them";
  EXPECT_FALSE(sessions.Login("zhang", "right-password", 1002, &first));
  EXPECT_TRUE(sessions.Login("zhang", "new-password", 1002, &first));
}

TEST(ConsoleSessionTest, TheCookieIsHttpOnlyStrictAndExpires) {
  std::string c = SessionCookie("abc", 3600, /*secure=*/true);
  for (const char* part :
       {"parkwatch_session=abc", "Max-Age=3600", "HttpOnly", "SameSite=Strict", "Secure", "Path=/"})
    EXPECT_NE(c.find(part), std::string::npos) << part << " in " << c;
  EXPECT_EQ(SessionCookie("abc", 60, false).find("Secure"), std::string::npos);
  EXPECT_EQ(CookieValue("a=1; parkwatch_session=xyz", "parkwatch_session"), "xyz");
  EXPECT_EQ(CookieValue("xparkwatch_session=xyz", "parkwatch_session"), "");
  EXPECT_EQ(CookieValue("", "parkwatch_session"), "");
}

TEST(ConsoleSessionTest, AWriteFromAnotherSiteIsNotSameOrigin) {
  EXPECT_TRUE(SameOrigin("127.0.0.1:9780", "http://127.0.0.1:9780", ""));
  EXPECT_TRUE(SameOrigin("park.example:443", "", "https://park.example:443/alerts/x"));
  EXPECT_TRUE(SameOrigin("127.0.0.1:9780", "", "")) << "a script sends neither";
  EXPECT_FALSE(SameOrigin("127.0.0.1:9780", "http://evil.example", ""));
  EXPECT_FALSE(SameOrigin("127.0.0.1:9780", "null", ""));
  EXPECT_FALSE(SameOrigin("127.0.0.1:9780", "", "http://127.0.0.1:9781/"));
}

TEST(ConsoleSessionTest, TheWebConfigNamesUsersRolesAndBcryptHashes) {
  std::string hash = HashPassword("p");
  WebSecurityConfig web;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(
      ParseWebConfig("console:\n  session_ttl: 8h\n  users:\n    zhang: {role: operator, "
                     "password: '" +
                         hash + "'}\n",
                     "web.yml", &web, &d))
      << JoinDiagnostics(d);
  EXPECT_EQ(web.console.users.at("zhang").role, Role::kOperator);
  EXPECT_EQ(web.console.session_ttl_seconds, 8 * 3600);
  EXPECT_FALSE(web.console.AnonymousRead()) << "with users, reads need a sign-in by default";
  d.clear();
  EXPECT_FALSE(
      ParseWebConfig("console:\n  session_ttl: 5s\n  users:\n    li: {role: boss, "
                     "password: secret}\n",
                     "web.yml", &web, &d));
  std::string text = JoinDiagnostics(d);
  EXPECT_NE(text.find("web.yml:2:"), std::string::npos) << text;
  EXPECT_NE(text.find("console.session_ttl: a duration from 1m to 30d"), std::string::npos) << text;
  EXPECT_NE(text.find("console.users.li.role: one of viewer, operator, admin"), std::string::npos)
      << text;
  EXPECT_NE(text.find("console.users.li.password: not a bcrypt hash"), std::string::npos) << text;
  EXPECT_EQ(text.find("secret"), std::string::npos) << "a password typed in is never echoed";
}

// The users an admin manages in the console live in console-users.yml beside the web config:
// read with it, named in the audit by what changed, and never a second home for one user.
TEST(ConsoleSessionTest, TheUsersAnAdminManagesAreReadFromBesideTheWebConfig) {
  testing::TempDir dir;
  std::string hash = HashPassword("zhao-pass-1");
  std::string web = testing::WriteFile(
      dir / "web.yml", "console:\n  users:\n    zhang: {role: admin, password: '" + hash + "'}\n");
  WebSecurityConfig before, after;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(LoadWebConfigFile(web, &before, &d)) << JoinDiagnostics(d);
  EXPECT_EQ(ConsoleUsersPath(web), dir / "console-users.yml");
  testing::WriteFile(ConsoleUsersPath(web), ConsoleUsersYaml({{"赵敏", {Role::kOperator, hash}}}));
  ASSERT_TRUE(LoadWebConfigFile(web, &after, &d)) << JoinDiagnostics(d);
  ASSERT_EQ(after.console.users.size(), 2u);
  EXPECT_TRUE(after.console.users.at("赵敏").managed);
  EXPECT_FALSE(after.console.users.at("zhang").managed);
  EXPECT_EQ(after.console.users.at("赵敏").role, Role::kOperator);
  // A managed user signs in like any other.
  Sessions sessions;
  sessions.Configure(after.console);
  std::string id;
  EXPECT_TRUE(sessions.Login("赵敏", "zhao-pass-1", 1000, &id));
  EXPECT_EQ(DiffConsoleUsers(before.console, after.console),
            std::vector<std::string>{"console user 赵敏: added (operator)"});
  ConsoleConfig changed = after.console;
  changed.users["赵敏"].role = Role::kAdmin;
  changed.users["赵敏"].password_hash = HashPassword("another-1");
  changed.users.erase("zhang");
  EXPECT_EQ(DiffConsoleUsers(after.console, changed),
            (std::vector<std::string>{"console user 赵敏: role operator -> admin",
                                      "console user 赵敏: password changed",
                                      "console user zhang: removed"}));
  // The same user in both files is refused, naming both.
  testing::WriteFile(ConsoleUsersPath(web), ConsoleUsersYaml({{"zhang", {Role::kViewer, hash}}}));
  d.clear();
  EXPECT_FALSE(LoadWebConfigFile(web, &after, &d));
  std::string text = JoinDiagnostics(d);
  EXPECT_NE(text.find("console-users.yml"), std::string::npos) << text;
  EXPECT_NE(text.find("users.zhang: also a user of " + web), std::string::npos) << text;
}

}  // namespace
}  // namespace parkwatch
