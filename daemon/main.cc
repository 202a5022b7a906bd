// parkwatch: one binary, subcommands in the style of promtool.
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: parkwatch serve|ingest|check-config|demo ...\n");
    return 2;
  }
  std::fprintf(stderr, "parkwatch: unknown command %s\n", argv[1]);
  return 2;
}
