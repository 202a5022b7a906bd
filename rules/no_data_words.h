// Why a rule has no value for a member, in the reader's language. The measures state the reason
// once, in English, as it is logged and tested ("enterprise 91430700MA4L000011 常德甲药业 has no
// figure for 2025-08"); the API gives it beside its Chinese, which this says with the periods in
// words (常德甲药业 2025年8月没有数据), as PeriodName does for every other text. A reason it does
// not know (a new one, a configuration error) is given as it is, in both languages.
//
// Any thread.
#pragma once

#include <string>

#include "core/time_text.h"

namespace parkwatch {

std::string NoDataWords(const std::string& reason, Language lang = Language::kZh);

}  // namespace parkwatch
