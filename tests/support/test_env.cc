// Placeholder translation unit so pw_test_support always has a source; helpers for tests
// (temporary directories, free ports, an HTTP client) live beside it.
namespace parkwatch::testing {}
