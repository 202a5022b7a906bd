// The JSON API's handlers, one function per route of api/routes.cc. Each reads its query through
// call.query, uses the services of its route's thread (call.loop or call.worker), throws ApiError
// for a 4xx, and answers in the one envelope (JsonSuccess / JsonError, web/http_server.h).
#pragma once

#include <string>
#include <vector>

#include "api/route_table.h"
#include "store/store.h"

namespace parkwatch {

class DeliveryStore;
struct AuditRecord;
struct RuleSet;
struct Silence;

// Loop thread.
HttpResponse ApiEnterprises(ApiCall& call);       // ?industry=
HttpResponse ApiEnterprise(ApiCall& call);        // /api/v1/enterprises/{code}
HttpResponse ApiRevisions(ApiCall& call);         // ?enterprise=&indicator=&period=
HttpResponse ApiBatches(ApiCall& call);           // ?limit=
HttpResponse ApiBatch(ApiCall& call);             // /api/v1/batches/{id}: with its errors
HttpResponse ApiAlerts(ApiCall& call);            // ?state=&severity=&rule=
HttpResponse ApiAlertHistory(ApiCall& call);      // ?limit=&rule=&fingerprint=
HttpResponse ApiAlert(ApiCall& call);             // GET /api/v1/alerts/{fingerprint}: why it fires
HttpResponse ApiAcknowledgements(ApiCall& call);  // ?fingerprint=&limit=
HttpResponse ApiAudit(ApiCall& call);             // ?limit=
HttpResponse ApiSilences(ApiCall& call);          // ?all=
HttpResponse ApiDeadLetters(ApiCall& call);       // ?limit=
HttpResponse ApiReload(ApiCall& call);            // POST /-/reload
HttpResponse ApiConsolePage(ApiCall& call);       // /, /alerts, /alerts/{fingerprint}, ...
HttpResponse ApiConsoleAsset(ApiCall& call);      // /console/{file}
HttpResponse ApiLogout(ApiCall& call);            // POST /-/logout
HttpResponse ApiSession(ApiCall& call);           // GET /api/v1/session: who is signed in
HttpResponse ApiTuning(ApiCall& call);            // GET /api/v1/tuning: levels, the tuning file
HttpResponse ApiTuningApply(ApiCall& call);       // POST /api/v1/tuning/apply
HttpResponse ApiTuningRevert(ApiCall& call);      // POST /api/v1/tuning/revert
HttpResponse ApiUsers(ApiCall& call);             // GET /api/v1/users: users, roles, the file
HttpResponse ApiQuarantine(ApiCall& call);        // GET /api/v1/quarantine?all=: held figures

// Serving pool.
HttpResponse ApiLogin(ApiCall& call);       // POST /-/login {"user","password"}
HttpResponse ApiAddUser(ApiCall& call);     // POST /api/v1/users {user, role, password, hash}
HttpResponse ApiChangeUser(ApiCall& call);  // PUT /api/v1/users/{user} {role, password, hash}
HttpResponse ApiRemoveUser(ApiCall& call);  // DELETE /api/v1/users/{user}?hash=

// Worker thread.
HttpResponse ApiRules(ApiCall& call);
HttpResponse ApiIndustries(ApiCall& call);  // ?indicator=&cadence=&period=&prices=: all at once
HttpResponse ApiIndustry(ApiCall& call);    // /api/v1/industries/{name}: with its enterprises
HttpResponse ApiSeries(ApiCall& call);  // ?enterprise=|industry=|scope=park&indicator=&from=&to=
HttpResponse ApiIngest(ApiCall& call);  // ?collector=&source=
HttpResponse ApiUpload(ApiCall& call);  // POST /api/v1/upload?name=: a file, as the inbox
HttpResponse ApiCreateSilence(ApiCall& call);  // {"matchers":[...],"author","comment","duration"}
HttpResponse ApiExpireSilence(ApiCall& call);  // DELETE /api/v1/silences/{id}
HttpResponse ApiAcknowledge(ApiCall& call);    // POST /api/v1/alerts/{fingerprint}/acknowledge
HttpResponse ApiMonthlyReport(ApiCall& call);  // GET /api/v1/reports/monthly/{period}?format=&lang=
HttpResponse ApiPutEnterprise(ApiCall& call);  // PUT /api/v1/enterprises/{code} {"key":true,...}
HttpResponse ApiTuningPreview(ApiCall& call);  // POST /api/v1/tuning/preview: a change over history
// POST /api/v1/quarantine/confirm|reject {"credit_code","period","indicator"}: let a held figure
// in, or keep it out as wrong; the rules re-decide as for a revision.
HttpResponse ApiQuarantineConfirm(ApiCall& call);
HttpResponse ApiQuarantineReject(ApiCall& call);

// One enterprise of the register as the API shows it (api/register.cc).
std::string EnterpriseJson(const EnterpriseRow& e);

// The JSON form of a batch summary, as POST /api/v1/ingest returns it.
std::string BatchSummaryJson(const BatchSummary& summary);

// Validates and stores a silence from a JSON body (shared with the CLI); "" or the error.
// *warnings: a silence whose matchers match no rule of rules says so (it holds nothing). A
// signed-in user is its author whatever the body says (the audit names who did it).
std::string CreateSilence(DeliveryStore& deliveries, const std::string& body, const RuleSet& rules,
                          Silence* out, std::vector<std::string>* warnings,
                          const std::string& signed_in = "");
// The audit record of a silence added or expired ("added" | "expired").
AuditRecord SilenceAudit(const Silence& silence, const std::string& source, const std::string& who,
                         const char* what);

// The user a request acts as when it came with a console session or basic auth ("user:NAME"),
// "" for a bearer token or anonymous: writes record this user as their author.
inline std::string SignedInUser(const ApiCall& call) {
  const std::string& p = call.principal();
  return p.rfind("user:", 0) == 0 ? p.substr(5) : "";
}

}  // namespace parkwatch
