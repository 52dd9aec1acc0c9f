using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// One statement of the writer connection, prepared once and run through SQLite's own API, its parameters bound
/// by position. For the statements every message runs: a profile of the persistence benchmark had a fifth of
/// the server's CPU in the append, most of it in Microsoft.Data.Sqlite finding each named parameter again
/// (its name converted to UTF-8 and looked up per execution) and walking its statement list, not in SQLite.
/// Runs inside whatever transaction the connection has open; errors surface as the <see cref="SqliteException"/>
/// Microsoft.Data.Sqlite would throw. Writer thread only, like the rest of <see cref="SqliteStatementCache"/>.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;

    public SqliteRawStatement(SqliteConnection connection, string sql)
    {
        _connection = connection;
        var rc = raw.sqlite3_prepare_v3(connection.Handle, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    /// <summary>Binds parameter <paramref name="index"/> (1-based, in the order they appear in the SQL).</summary>
    public SqliteRawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <inheritdoc cref="Bind(int, long)"/>
    public SqliteRawStatement Bind(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));
        return this;
    }

    /// <summary>Runs the statement; the first column of its first row, or null when it returned no row.</summary>
    public long? ExecuteScalar()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_ROW)
            {
                return raw.sqlite3_column_int64(_statement, 0);
            }
            Check(rc);
            return null;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement to its end.</summary>
    public void ExecuteNonQuery()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }
            Check(rc);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }

    public void Dispose() => _statement.Dispose();
}
