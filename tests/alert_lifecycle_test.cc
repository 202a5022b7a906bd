// The alert lifecycle as a pure state machine: `for` in periods, hysteresis, keep_firing_for,
// severity changes, revisions of a period, missing data.
#include "alerts/lifecycle.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "alerts/alert.h"

namespace parkwatch {
namespace {

Period W(int week) { return Period::Week(2024, week); }

Observation Breach(Period p, double value, Severity s) {
  Observation o;
  o.period = p;
  o.value = value;
  o.breach = s;
  return o;
}

// Not in breach; cleared says whether beyond the clear threshold.
Observation Calm(Period p, double value, bool cleared = true) {
  Observation o;
  o.period = p;
  o.value = value;
  o.cleared = cleared;
  return o;
}

Observation NoData(Period p) {
  Observation o;
  o.period = p;
  return o;
}

std::vector<EventKind> Kinds(const std::vector<AlertEvent>& events) {
  std::vector<EventKind> kinds;
  for (const auto& e : events) kinds.push_back(e.kind);
  return kinds;
}

using K = EventKind;
using Kinds_ = std::vector<EventKind>;  // expected event kinds

TEST(SeverityTest, NamesParseAndOrder) {
  EXPECT_EQ(SeverityName(Severity::kRed), "red");
  EXPECT_EQ(SeverityName(Severity::kNone), "none");
  EXPECT_EQ(SeverityChineseName(Severity::kOrange), "橙");
  EXPECT_EQ(ParseSeverity("blue"), Severity::kBlue);
  EXPECT_EQ(ParseSeverity("YELLOW"), Severity::kYellow);
  EXPECT_EQ(ParseSeverity("红"), Severity::kRed);
  EXPECT_EQ(ParseSeverity("橙色"), Severity::kOrange);
  EXPECT_EQ(ParseSeverity("none"), Severity::kNone);
  EXPECT_FALSE(ParseSeverity("purple"));
  EXPECT_FALSE(ParseSeverity("色"));
  EXPECT_FALSE(ParseSeverity(""));
  EXPECT_LT(Severity::kBlue, Severity::kYellow);
  EXPECT_LT(Severity::kYellow, Severity::kOrange);
  EXPECT_LT(Severity::kOrange, Severity::kRed);
}

TEST(FingerprintTest, StableAndUnambiguous) {
  Labels a = {{"enterprise", "91430700MA4L0XXXXX"}, {"industry", "装备制造"}};
  std::string fp = Fingerprint("KeyEnterpriseOutputDrop", a);
  EXPECT_EQ(fp.size(), 64u);
  EXPECT_EQ(fp, Fingerprint("KeyEnterpriseOutputDrop", a));
  // Stored as a primary key: the encoding must never change. Golden values from
  // `printf '1:r,' | sha256sum` and the same over the netstrings of rule, name, value.
  EXPECT_EQ(Fingerprint("r", {}),
            "2960c3a14ae1c1aad5736fc81d21dcf63ddc7c565d7fe5c6c739ec3937b1ffb8");
  EXPECT_EQ(Fingerprint("KeyEnterpriseOutputDrop", {{"enterprise", "ABC"}}),
            "69ce4633112738fa88d0402ae4f39e9478b3893da1b5a2a955078c68a2802add");
}

TEST(FingerprintTest, DifferentIdentitiesDiffer) {
  EXPECT_NE(Fingerprint("a", {{"b", "c"}}), Fingerprint("ab", {{"", "c"}}));
  EXPECT_NE(Fingerprint("r", {{"k", "v"}}), Fingerprint("r", {{"k", "w"}}));
  EXPECT_NE(Fingerprint("r", {{"k", "v"}}), Fingerprint("s", {{"k", "v"}}));
  EXPECT_NE(Fingerprint("r", {{"ab", "c"}}), Fingerprint("r", {{"a", "bc"}}));
}

TEST(LifecycleTest, ForFiresAtSecondConsecutiveBreach) {
  AlertStatus s;
  Timing t{2, 0};
  auto e1 = Advance(&s, Breach(W(1), -0.12, Severity::kYellow), t, 100);
  EXPECT_EQ(Kinds(e1), Kinds_{K::kPending});
  EXPECT_EQ(s.state, AlertState::kPending);
  EXPECT_EQ(s.breach_count, 1);
  EXPECT_EQ(s.first_breach_period, W(1));

  auto e2 = Advance(&s, Breach(W(2), -0.11, Severity::kYellow), t, 200);
  ASSERT_EQ(Kinds(e2), Kinds_{K::kFiring});
  EXPECT_EQ(e2[0].severity, Severity::kYellow);
  EXPECT_EQ(e2[0].period, W(2));
  EXPECT_EQ(e2[0].value, -0.11);
  EXPECT_EQ(e2[0].fired_at, 200);
  EXPECT_EQ(s.state, AlertState::kFiring);
  EXPECT_EQ(s.active_since_period, W(2));
  EXPECT_EQ(s.first_breach_period, W(1));
  EXPECT_EQ(s.value_at_firing, -0.11);

  EXPECT_TRUE(Advance(&s, Breach(W(3), -0.12, Severity::kYellow), t, 300).empty());
  EXPECT_EQ(s.breach_count, 3);
}

TEST(LifecycleTest, GapResetsFor) {
  AlertStatus s;
  Timing t{2, 0};
  EXPECT_EQ(Kinds(Advance(&s, Breach(W(1), -0.2, Severity::kOrange), t, 1)), Kinds_{K::kPending});
  EXPECT_TRUE(Advance(&s, Calm(W(2), -0.04, /*cleared=*/false), t, 2).empty());  // silent
  EXPECT_EQ(s.state, AlertState::kInactive);
  EXPECT_EQ(Kinds(Advance(&s, Breach(W(3), -0.2, Severity::kOrange), t, 3)), Kinds_{K::kPending});
  EXPECT_EQ(s.breach_count, 1);
  EXPECT_EQ(Kinds(Advance(&s, Breach(W(4), -0.2, Severity::kOrange), t, 4)), Kinds_{K::kFiring});
}

TEST(LifecycleTest, ForOfOneFiresAtOnce) {
  AlertStatus s;
  auto e = Advance(&s, Breach(W(1), -0.3, Severity::kRed), Timing{1, 0}, 5);
  ASSERT_EQ(Kinds(e), Kinds_{K::kFiring});
  EXPECT_EQ(e[0].previous, Severity::kNone);
  EXPECT_EQ(s.severity, Severity::kRed);
}

TEST(LifecycleTest, HysteresisDoesNotFlap) {
  // blue at -0.05 or below, clears only above -0.03: -0.04 is in between.
  AlertStatus s;
  Timing t{1, 0};
  std::vector<AlertEvent> all;
  auto run = [&](Observation o, int64_t now) {
    for (auto& e : Advance(&s, o, t, now)) all.push_back(e);
  };
  int week = 1;
  for (int i = 0; i < 4; ++i) {
    run(Breach(W(week), -0.06, Severity::kBlue), week);
    ++week;
    run(Calm(W(week), -0.04, /*cleared=*/false), week);
    ++week;
  }
  EXPECT_EQ(s.state, AlertState::kFiring);
  run(Calm(W(week), -0.01), week);
  ASSERT_EQ(Kinds(all), (Kinds_{K::kFiring, K::kResolved}));
  const AlertEvent& resolved = all[1];
  EXPECT_EQ(resolved.severity, Severity::kBlue);
  EXPECT_EQ(resolved.value, -0.01);
  EXPECT_EQ(resolved.value_at_firing, -0.06);
  EXPECT_EQ(resolved.active_since_period, W(1));
  EXPECT_EQ(resolved.period, W(week));
  EXPECT_EQ(s.state, AlertState::kInactive);
  EXPECT_EQ(s.severity, Severity::kNone);
  EXPECT_EQ(s.resolved_at, week);
}

TEST(LifecycleTest, KeepFiringForCountsConsecutiveClearedPeriods) {
  AlertStatus s;
  Timing t{1, 2};  // resolves at the 3rd consecutive cleared period
  Advance(&s, Breach(W(1), -0.1, Severity::kYellow), t, 1);
  EXPECT_TRUE(Advance(&s, Calm(W(2), 0.01), t, 2).empty());
  EXPECT_TRUE(Advance(&s, Calm(W(3), 0.01), t, 3).empty());
  EXPECT_EQ(s.clear_count, 2);
  EXPECT_TRUE(Advance(&s, Calm(W(4), -0.04, /*cleared=*/false), t, 4).empty());  // restarts
  EXPECT_EQ(s.clear_count, 0);
  EXPECT_TRUE(Advance(&s, Calm(W(5), 0.01), t, 5).empty());
  EXPECT_TRUE(Advance(&s, Calm(W(6), 0.01), t, 6).empty());
  EXPECT_EQ(s.state, AlertState::kFiring);
  EXPECT_EQ(Kinds(Advance(&s, Calm(W(7), 0.02), t, 7)), Kinds_{K::kResolved});
}

TEST(LifecycleTest, KeepFiringForZeroResolvesAtFirstClearedPeriod) {
  AlertStatus s;
  Timing t{1, 0};
  Advance(&s, Breach(W(1), -0.1, Severity::kYellow), t, 1);
  EXPECT_EQ(Kinds(Advance(&s, Calm(W(2), 0.0), t, 2)), Kinds_{K::kResolved});
}

TEST(LifecycleTest, EscalatesAndDeescalates) {
  AlertStatus s;
  Timing t{1, 0};
  Advance(&s, Breach(W(1), -0.06, Severity::kBlue), t, 1);
  auto up = Advance(&s, Breach(W(2), -0.25, Severity::kOrange), t, 2);
  ASSERT_EQ(Kinds(up), Kinds_{K::kEscalated});
  EXPECT_EQ(up[0].severity, Severity::kOrange);
  EXPECT_EQ(up[0].previous, Severity::kBlue);
  EXPECT_EQ(up[0].value_at_firing, -0.06);
  auto down = Advance(&s, Breach(W(3), -0.12, Severity::kYellow), t, 3);
  ASSERT_EQ(Kinds(down), Kinds_{K::kDeescalated});
  EXPECT_EQ(down[0].severity, Severity::kYellow);
  EXPECT_EQ(down[0].previous, Severity::kOrange);
  EXPECT_TRUE(Advance(&s, Breach(W(4), -0.13, Severity::kYellow), t, 4).empty());
  // Back in the hysteresis band: still firing at its last level.
  EXPECT_TRUE(Advance(&s, Calm(W(5), -0.04, false), t, 5).empty());
  EXPECT_EQ(s.severity, Severity::kYellow);
  EXPECT_EQ(s.fired_at, 1);
}

TEST(LifecycleTest, SeverityChangeWhilePendingIsSilentAndFiresAtLatestLevel) {
  AlertStatus s;
  Timing t{2, 0};
  Advance(&s, Breach(W(1), -0.06, Severity::kBlue), t, 1);
  auto e = Advance(&s, Breach(W(2), -0.35, Severity::kRed), t, 2);
  ASSERT_EQ(Kinds(e), Kinds_{K::kFiring});
  EXPECT_EQ(e[0].severity, Severity::kRed);
  EXPECT_EQ(e[0].previous, Severity::kBlue);
}

TEST(LifecycleTest, NoDataChangesNothing) {
  AlertStatus s;
  Timing t{2, 0};
  Advance(&s, Breach(W(1), -0.2, Severity::kOrange), t, 1);
  AlertStatus before = s;
  EXPECT_TRUE(Advance(&s, NoData(W(2)), t, 2).empty());
  EXPECT_EQ(s, before);
  // The missing week neither broke nor extended the run: the next breach fires.
  EXPECT_EQ(Kinds(Advance(&s, Breach(W(3), -0.2, Severity::kOrange), t, 3)), Kinds_{K::kFiring});
  before = s;
  EXPECT_TRUE(Advance(&s, NoData(W(4)), t, 4).empty());
  EXPECT_EQ(s, before);  // no data never resolves
}

TEST(LifecycleTest, LateCalmWeekBeforeTheLastChangesNothingItDoesNotDecide) {
  AlertStatus s;
  Timing t{1, 0};
  Advance(&s, Breach(W(5), -0.2, Severity::kOrange), t, 1);
  // Week 4 arrives late and calm: week 5 still breaches, so it still fires since week 5.
  EXPECT_TRUE(Advance(&s, Calm(W(4), 0.1), t, 2).empty());
  EXPECT_EQ(s.state, AlertState::kFiring);
  EXPECT_EQ(s.active_since_period, W(5));
  EXPECT_EQ(s.last_period, W(5));
  EXPECT_EQ(s.fired_at, 1);
  EXPECT_EQ(s.log.size(), 2u);
}

TEST(LifecycleTest, LateRevisionCountsTowardsForAndFiresMarkedAsRevision) {
  AlertStatus s;
  Timing t{2, 0};
  Advance(&s, Calm(W(47), -0.01), t, 1);
  Advance(&s, Calm(W(48), -0.02), t, 2);
  EXPECT_EQ(Kinds(Advance(&s, Breach(W(49), -0.15, Severity::kYellow), t, 3)), Kinds_{K::kPending});
  // Week 48 is corrected to a breach: weeks 48 and 49 are two in a row, so it fires now.
  auto e = Advance(&s, Breach(W(48), -0.25, Severity::kOrange), t, 4);
  ASSERT_EQ(Kinds(e), Kinds_{K::kFiring});
  EXPECT_EQ(e[0].period, W(49));  // dated at the latest period, as receivers see it
  EXPECT_EQ(e[0].revised_period, W(48));
  EXPECT_EQ(e[0].active_since_period, W(49));
  EXPECT_EQ(e[0].severity, Severity::kYellow);
  EXPECT_EQ(s.state, AlertState::kFiring);
  EXPECT_EQ(s.first_breach_period, W(48));
}

TEST(LifecycleTest, LateBreachRemovedAgainResolvesAsRevision) {
  AlertStatus s;
  Timing t{1, 0};
  Advance(&s, Breach(W(10), -0.2, Severity::kOrange), t, 1);
  Advance(&s, Breach(W(11), -0.2, Severity::kOrange), t, 2);
  Advance(&s, Calm(W(12), -0.1, false), t, 3);  // between level and clear: still firing
  ASSERT_EQ(s.state, AlertState::kFiring);
  // Weeks 10 and 11 were a unit error: corrected, nothing ever breached.
  EXPECT_TRUE(Advance(&s, Calm(W(10), 0.01), t, 4).empty());  // week 11 still fires
  auto e = Advance(&s, Calm(W(11), 0.01), t, 5);
  ASSERT_EQ(Kinds(e), Kinds_{K::kResolved});
  EXPECT_EQ(e[0].revised_period, W(11));
  EXPECT_EQ(e[0].period, W(12));
  EXPECT_EQ(s.state, AlertState::kInactive);
}

TEST(LifecycleTest, AnyArrivalOrderEndsWhereTheOrderedReplayEnds) {
  // Every permutation of six weeks (with one early wrong value) ends in the ordered status.
  Timing t{2, 1};
  std::vector<Observation> weeks = {Breach(W(1), -0.2, Severity::kOrange),
                                    Breach(W(2), -0.3, Severity::kRed),
                                    Calm(W(3), 0.01),
                                    Calm(W(4), -0.05, false),
                                    Calm(W(5), 0.02),
                                    Calm(W(6), 0.03)};
  AlertStatus ordered;
  for (const auto& o : weeks) Advance(&ordered, o, t, 1);
  std::vector<int> order = {0, 1, 2, 3, 4, 5};
  int permutations = 0;
  do {
    AlertStatus s;
    Advance(&s, Calm(W(2), 0.5), t, 1);  // a wrong first figure, corrected by the real one
    for (int i : order) Advance(&s, weeks[static_cast<size_t>(i)], t, 1);
    ASSERT_EQ(static_cast<const AlertSnapshot&>(s).state, ordered.state);
    EXPECT_EQ(s.severity, ordered.severity);
    EXPECT_EQ(s.active_since_period, ordered.active_since_period);
    EXPECT_EQ(s.breach_count, ordered.breach_count);
    EXPECT_EQ(s.clear_count, ordered.clear_count);
    EXPECT_EQ(s.log, ordered.log);
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(permutations, 720);
}

TEST(LifecycleTest, RevisionThatRemovesBreachResolves) {
  AlertStatus s;
  Timing t{2, 0};
  Advance(&s, Breach(W(1), -0.2, Severity::kOrange), t, 1);
  Advance(&s, Breach(W(2), -0.2, Severity::kOrange), t, 2);
  ASSERT_EQ(s.state, AlertState::kFiring);
  // Week 2's figures are revised: no slowdown after all.
  auto e = Advance(&s, Calm(W(2), 0.02), t, 3);
  ASSERT_EQ(Kinds(e), Kinds_{K::kResolved});
  EXPECT_EQ(e[0].severity, Severity::kOrange);
  EXPECT_EQ(e[0].value, 0.02);
  EXPECT_EQ(e[0].value_at_firing, -0.2);
  EXPECT_EQ(e[0].period, W(2));
  EXPECT_EQ(s.state, AlertState::kInactive);
  EXPECT_EQ(s.resolved_at, 3);
  // The same revision again is nothing new.
  EXPECT_TRUE(Advance(&s, Calm(W(2), 0.02), t, 4).empty());
  // Revised back into breach: it fires again, for the same period.
  EXPECT_EQ(Kinds(Advance(&s, Breach(W(2), -0.2, Severity::kOrange), t, 5)), Kinds_{K::kFiring});
}

TEST(LifecycleTest, RevisionThatRemovesBreachUnpendsSilently) {
  AlertStatus s;
  Timing t{2, 0};
  Advance(&s, Breach(W(1), -0.2, Severity::kOrange), t, 1);
  EXPECT_TRUE(Advance(&s, Calm(W(1), -0.04, false), t, 2).empty());
  EXPECT_EQ(s.state, AlertState::kInactive);
  // And week 1 no longer counts toward `for`.
  EXPECT_EQ(Kinds(Advance(&s, Breach(W(2), -0.2, Severity::kOrange), t, 3)), Kinds_{K::kPending});
}

TEST(LifecycleTest, RevisionIsNotCountedTwice) {
  AlertStatus s;
  Timing t{2, 0};
  Advance(&s, Breach(W(1), -0.2, Severity::kOrange), t, 1);
  EXPECT_TRUE(Advance(&s, Breach(W(1), -0.21, Severity::kOrange), t, 2).empty());
  EXPECT_EQ(s.state, AlertState::kPending);
  EXPECT_EQ(s.breach_count, 1);
  EXPECT_EQ(s.value, -0.21);
  EXPECT_EQ(Kinds(Advance(&s, Breach(W(2), -0.2, Severity::kOrange), t, 3)), Kinds_{K::kFiring});
}

TEST(LifecycleTest, RevisionThatRaisesSeverityEscalates) {
  AlertStatus s;
  Timing t{1, 0};
  Advance(&s, Breach(W(1), -0.06, Severity::kBlue), t, 1);
  auto e = Advance(&s, Breach(W(1), -0.31, Severity::kRed), t, 2);
  ASSERT_EQ(Kinds(e), Kinds_{K::kEscalated});
  EXPECT_EQ(e[0].previous, Severity::kBlue);
  EXPECT_EQ(e[0].severity, Severity::kRed);
  EXPECT_EQ(s.fired_at, 1);  // startsAt does not move
  EXPECT_TRUE(Advance(&s, Breach(W(1), -0.31, Severity::kRed), t, 3).empty());
}

TEST(LifecycleTest, RevisionOfTheResolvingPeriodKeepsItFiring) {
  AlertStatus s;
  Timing t{1, 0};
  Advance(&s, Breach(W(1), -0.12, Severity::kYellow), t, 1);
  EXPECT_EQ(Kinds(Advance(&s, Calm(W(2), 0.01), t, 2)), Kinds_{K::kResolved});
  // Week 2 revised into the hysteresis band: it should never have resolved.
  auto e = Advance(&s, Calm(W(2), -0.04, false), t, 3);
  ASSERT_EQ(Kinds(e), Kinds_{K::kFiring});
  EXPECT_EQ(e[0].fired_at, 1);
  EXPECT_EQ(s.active_since_period, W(1));
}

TEST(LifecycleTest, MonthlyPeriodsIncludingJanFeb) {
  AlertStatus s;
  Timing t{2, 0};
  Advance(&s, Breach(Period::Month(2023, 12), -0.2, Severity::kOrange), t, 1);
  auto e = Advance(&s, Breach(Period::JanFeb(2024), -0.2, Severity::kOrange), t, 2);
  ASSERT_EQ(Kinds(e), Kinds_{K::kFiring});
  EXPECT_EQ(s.active_since_period, Period::JanFeb(2024));
  EXPECT_EQ(Kinds(Advance(&s, Calm(Period::Month(2024, 3), 0.05), t, 3)), Kinds_{K::kResolved});
}

}  // namespace
}  // namespace parkwatch
