#pragma once
// The test harness's PostgreSQL: one throwaway cluster per test run (started by scripts/test),
// and a fresh database per test, created here and dropped when the test ends.

#include <optional>
#include <string>
#include <vector>

namespace usersctl::test {

using SqlRow = std::vector<std::optional<std::string>>;

/// The cluster scripts/test started (USERSCTL_TEST_PGHOST / USERSCTL_TEST_PGPORT).
struct TestServer {
    static std::string socket_dir();
    static std::string port();
    /// A libpq URI for database `name` over the Unix socket, as `user`.
    static std::string url(const std::string& name, const std::string& user = "postgres");
    /// The same over TCP on 127.0.0.1.
    static std::string tcp_url(const std::string& name);
};

/// A database of its own for one test.
class TestDatabase {
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& name() const { return m_name; }
    /// URI over the Unix socket.
    std::string url() const { return TestServer::url(m_name); }
    /// Runs SQL with $n parameters and returns the rows (text, nullopt for NULL).
    std::vector<SqlRow> query(const std::string& sql, const std::vector<std::string>& params = {}) const;
    /// The single value of a one-row, one-column query ("" for NULL).
    std::string scalar(const std::string& sql, const std::vector<std::string>& params = {}) const;

private:
    std::string m_name;
};

/// Runs SQL on database `db` of the test server.
std::vector<SqlRow> query_database(const std::string& db, const std::string& sql,
                                   const std::vector<std::string>& params = {});

}  // namespace usersctl::test
